/**
 * Code lenses and inlay hints: the lock each statement takes, where it matters. A lens sits above
 * every statement that takes more than ROW EXCLUSIVE on a table that existed before the migration,
 * e.g. `ACCESS EXCLUSIVE on events · rewrites table (~1.15M rows)`.
 */
import type { CodeLens, InlayHint } from 'vscode-languageserver/node';
import { type Analysis, type Effect, formatRows, lockStrength, type Statement, tableSize } from '../../engine';
import { Commands } from '../../../../protocol/protocol';

function work(e: Effect): string {
  if (e.rewrite) return 'rewrites table';
  if (e.indexBuild) return 'builds index';
  if (e.scan) return 'scans table';
  return 'catalog only';
}

/** The strongest lock above ROW EXCLUSIVE on a pre-existing relation, if any. */
export function headlineEffect(stmt: Statement): Effect | undefined {
  let best: Effect | undefined;
  for (const e of stmt.effects) {
    if (e.createdInFile || e.relationKind === 'index' || lockStrength(e.lock) <= lockStrength('ROW EXCLUSIVE')) continue;
    if (!best || lockStrength(e.lock) > lockStrength(best.lock) || (e.rewrite && !best.rewrite)) best = e;
  }
  return best;
}

export function lensTitle(analysis: Analysis, e: Effect): string {
  const rows = tableSize(analysis.config, e.relation)?.rows;
  const w = work(e);
  return `${e.lock} on ${e.relation} · ${w}${rows !== undefined && w !== 'catalog only' ? ` (~${formatRows(rows)} rows)` : ''}`;
}

export function codeLensesFor(analysis: Analysis): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const stmt of analysis.statements) {
    const e = headlineEffect(stmt);
    if (!e) continue;
    const at = analysis.lines.positionAt(stmt.start);
    lenses.push({
      range: { start: at, end: at },
      command: { title: lensTitle(analysis, e), command: Commands.showStatementDetails, arguments: [stmt.index] },
    });
  }
  return lenses;
}

export function inlayHintsFor(analysis: Analysis, startOffset: number, endOffset: number): InlayHint[] {
  const hints: InlayHint[] = [];
  for (const stmt of analysis.statements) {
    if (stmt.end < startOffset || stmt.start > endOffset) continue;
    const e = headlineEffect(stmt);
    if (!e) continue;
    hints.push({ position: analysis.lines.positionAt(stmt.end), label: `${e.lock}${e.rewrite ? ' · rewrite' : ''}`, paddingLeft: true });
  }
  return hints;
}
