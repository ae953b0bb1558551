/** Hover on a statement: its locks per relation, what they block, the work done and the transaction it runs in. */
import type { Hover } from 'vscode-languageserver/node';
import { type Analysis, blocking, type Effect, formatRows, type Statement, tableSize } from '../../engine';

const COST: Record<string, string> = {
  rewrite: 'O(rows): the table is rewritten while the lock is held',
  'index-build': 'O(rows): an index is built while the lock is held',
  scan: 'O(rows): every row is read while the lock is held',
  rows: 'O(rows touched): data change',
  catalog: 'O(1): catalog change only',
  none: 'takes no table lock',
};

const TX: Record<Statement['transaction'], string> = {
  runner: "the runner's transaction",
  explicit: 'a BEGIN … COMMIT block in this file',
  implicit: 'an implicit transaction (several statements sent as one query string)',
  none: 'no transaction block (autocommit)',
};

export function statementAt(analysis: Analysis, offset: number): Statement | undefined {
  const list = analysis.statements;
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = list[mid] as Statement;
    if (offset < s.start) hi = mid - 1;
    else if (offset > s.end) lo = mid + 1;
    else return s;
  }
  return undefined;
}

function blocksText(e: Effect): string {
  const b = blocking(e.lock);
  if (b.reads) return 'reads and writes';
  if (b.writes) return 'writes';
  if (b.ddl) return 'DDL and VACUUM only';
  return 'ACCESS EXCLUSIVE only';
}

function workText(e: Effect): string {
  const parts = [e.rewrite ? 'rewrite' : '', e.indexBuild ? 'index build' : '', e.scan && !e.rewrite ? 'full scan' : ''].filter(Boolean);
  return parts.length ? parts.join(', ') : 'catalog only';
}

/** `annotate`: extra lines for the statement (the trace's "Traced: …" line, when it was traced). */
export function hoverFor(analysis: Analysis, offset: number, annotate?: (stmt: Statement) => string | undefined): Hover | null {
  const stmt = statementAt(analysis, offset);
  if (!stmt) return null;
  const lines: string[] = [];
  const title = stmt.text.replace(/\s+/g, ' ').slice(0, 60);
  lines.push(`**pg-migration-guard** · \`${title}${stmt.text.length > 60 ? '…' : ''}\``, '');
  if (stmt.parseError) {
    lines.push(`Not analysed: ${stmt.parseError.message}.`);
    return { contents: { kind: 'markdown', value: lines.join('\n') } };
  }
  if (stmt.effects.length > 0) {
    lines.push('| relation | lock | blocks | work |', '|---|---|---|---|');
    for (const e of stmt.effects) {
      const rows = tableSize(analysis.config, e.relation)?.rows;
      const size = rows !== undefined && !e.createdInFile ? ` · ~${formatRows(rows)} rows` : '';
      const rel = `${e.relation}${e.relationKind !== 'table' ? ` (${e.relationKind})` : ''}${e.createdInFile ? ' · new in this migration or deploy' : ''}${size}`;
      lines.push(`| ${rel} | ${e.lock} | ${blocksText(e)} | ${workText(e)} |`);
    }
    lines.push('');
  }
  lines.push(`**Cost:** ${COST[stmt.cost] ?? stmt.cost}`);
  const runner = analysis.runner;
  lines.push(`**Runs in:** ${TX[stmt.transaction]} · ${runner.id} (${runner.reason}) · ${stmt.section} section`);
  if (stmt.noTransactionBlock) lines.push('**Cannot run inside a transaction block.**');
  const traced = annotate?.(stmt);
  if (traced) lines.push('', `**${traced.slice(0, traced.indexOf(':') + 1)}**${traced.slice(traced.indexOf(':') + 1)}`);
  const findings = analysis.findings.filter((f) => f.statementIndex === stmt.index);
  if (findings.length > 0) {
    lines.push('');
    for (const f of findings) lines.push(`- **${f.rule}** (${f.severity}): ${f.message}${f.help ? `\n  *Safe shape:* ${f.help}` : ''}`);
  }
  return { contents: { kind: 'markdown', value: lines.join('\n') }, range: analysis.lines.rangeOf(stmt.start, stmt.end) };
}
