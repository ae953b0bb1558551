/**
 * The migration checklist's data: everything the "Show migration checklist" page shows, built from
 * one analysis. Pure and plain data (the language server sends it as is to the client).
 */
import type { ChecklistData, ChecklistStatement, ChecklistTable } from '../../../../protocol/protocol';
import type { Analysis } from '../analyze';
import { tableSize } from '../config';
import type { Effect } from '../effects/effect';
import { lockStrength, strongest } from '../effects/locks';
import { formatRows, lineOf } from '../lint/helpers';
import type { Statement, TransactionContext } from '../model/statement';
import { transactionKind } from '../model/transactions';
import { list, nodeOfKind, obj, str, num } from '../parse/ast';
import { recoverySnippet } from '../recovery/recovery-snippet';
import { findCostComment } from './cost-comment';
import { createdObjects, referencesTo } from './dependencies';
import { parseDurationMs } from './durations';
import { baseName } from '../text/file-path';

export interface ChecklistOptions {
  uri: string;
  /** The migration role's statement_timeout (`pgMigrationGuard.statementTimeout`); default `60s`. */
  statementTimeout?: string;
  /** The migration that runs next, analysed, when there is one. */
  next?: { fileName: string; statements: readonly Statement[] };
}

export const DEFAULT_STATEMENT_TIMEOUT = '60s';
const EXCERPT_MAX = 100;

export function checklistData(analysis: Analysis, options: ChecklistOptions): ChecklistData {
  const { config } = analysis;
  const up = analysis.statements.filter((s) => s.section === 'up');
  const work = up.filter((s) => transactionKind(s) === undefined);
  const threshold = config.largeTableRows;

  const toTable = (e: Effect): ChecklistTable => {
    const rows = tableSize(config, e.relation)?.rows;
    const t: ChecklistTable = {
      name: e.relation,
      lock: e.lock,
      rewrite: e.rewrite,
      scan: e.scan,
      indexBuild: e.indexBuild,
      relationKind: e.relationKind,
      createdInFile: e.createdInFile,
      large: rows !== undefined && rows >= threshold && !e.createdInFile,
    };
    if (rows !== undefined) t.rows = rows;
    return t;
  };
  const tableOf = (s: Statement): ChecklistTable[] => s.effects.map(toTable);

  const statements: ChecklistStatement[] = work
    .filter((s) => s.effects.length > 0 || s.parseError)
    .map((s) => ({
      index: s.index,
      line: lineOf(analysis, s.start),
      excerpt: excerpt(s.text),
      kind: s.kind,
      transaction: s.transaction,
      concurrently: s.concurrently,
      cost: s.cost,
      tables: tableOf(s),
    }));

  // ---- eligibility: heavy work on a table at or above the threshold --------------------------------
  const reasons: string[] = [];
  const unknownSizes = new Set<string>();
  for (const s of work) {
    for (const t of tableOf(s)) {
      if (t.createdInFile || !(t.rewrite || t.scan || t.indexBuild)) continue;
      const what = t.rewrite ? 'rewrites' : t.indexBuild ? 'builds an index on' : 'scans';
      if (t.rows === undefined) unknownSizes.add(t.name);
      else if (t.large) reasons.push(`line ${lineOf(analysis, s.start)} ${what} ${t.name} (~${formatRows(t.rows)} rows, threshold ${formatRows(threshold)})`);
    }
  }

  // ---- touched tables (not indexes), strongest lock first ------------------------------------------
  const byName = new Map<string, Effect>();
  for (const s of work) {
    for (const e of s.effects) {
      if (e.relationKind === 'index') continue;
      const prev = byName.get(e.relation);
      if (!prev) {
        byName.set(e.relation, { ...e });
        continue;
      }
      prev.lock = strongest(prev.lock, e.lock);
      prev.rewrite ||= e.rewrite;
      prev.scan ||= e.scan;
      prev.indexBuild ||= e.indexBuild;
      prev.createdInFile &&= e.createdInFile;
    }
  }
  // Tables that hold data first (created-in-file ones are empty), then by lock strength.
  const tables = [...byName.values()]
    .sort((a, b) => Number(a.createdInFile) - Number(b.createdInFile) || lockStrength(b.lock) - lockStrength(a.lock))
    .map(toTable);

  // ---- statement_timeout: the role's setting, and a SET in the file ---------------------------------
  const setting = options.statementTimeout?.trim() || DEFAULT_STATEMENT_TIMEOUT;
  const settingMs = parseDurationMs(setting);
  const statementTimeout: ChecklistData['statementTimeout'] = { setting, ms: settingMs === undefined || settingMs === 0 ? null : settingMs };
  const inFile = up.map((s) => ({ s, value: statementTimeoutSet(s) })).find((x) => x.value !== undefined);
  if (inFile?.value !== undefined) {
    const ms = parseDurationMs(inFile.value);
    statementTimeout.inFile = { line: lineOf(analysis, inFile.s.start), value: inFile.value, ms: ms === undefined || ms === 0 ? null : ms };
  }

  const recovery = recoverySnippet(analysis);
  const fileName = analysis.path !== undefined ? baseName(analysis.path) : uriBaseName(options.uri);
  const data: ChecklistData = {
    uri: options.uri,
    fileName,
    runner: { id: analysis.runner.id, reason: analysis.runner.reason, ...(analysis.runner.version !== undefined ? { version: analysis.runner.version } : {}) },
    transaction: { mode: recovery.mode, summary: transactionSummary(analysis.runner.id, work) },
    eligibility: { eligible: reasons.length > 0, thresholdRows: threshold, reasons, unknownSizes: [...unknownSizes] },
    concurrently: work.filter((s) => s.concurrently).map((s) => ({ line: lineOf(analysis, s.start), excerpt: excerpt(s.text) })),
    statements,
    tables,
    statementTimeout,
    recovery: { text: recovery.text, mode: recovery.mode, warnings: recovery.warnings },
  };

  const first = analysis.statements[0]?.start ?? analysis.text.length;
  const cost = findCostComment(analysis.comments, first);
  if (cost) {
    data.costComment = { line: lineOf(analysis, cost.start), text: cost.text };
    if (cost.seconds !== undefined) data.costComment.seconds = cost.seconds;
    if (cost.rows !== undefined) data.costComment.rows = cost.rows;
    if (cost.date !== undefined) data.costComment.date = cost.date;
  }
  if (options.next) data.nextMigration = { fileName: options.next.fileName, references: referencesTo(createdObjects(up), options.next.statements) };
  return data;
}

/** The value of `SET [LOCAL] statement_timeout = …`, as written (`5min`, `3000`). */
function statementTimeoutSet(s: Statement): string | undefined {
  if (s.kind !== 'VariableSetStmt' || str(s.node, 'name') !== 'statement_timeout' || str(s.node, 'kind') !== 'VAR_SET_VALUE') return undefined;
  const c = nodeOfKind(list(s.node, 'args')[0], 'A_Const');
  if (!c) return undefined;
  const sval = str(obj(c, 'sval'), 'sval');
  if (sval !== undefined) return sval;
  const fval = str(obj(c, 'fval'), 'fval');
  if (fval !== undefined) return fval;
  const ival = obj(c, 'ival');
  return ival ? String(num(ival, 'ival') ?? 0) : undefined;
}

function transactionSummary(runner: string, work: readonly Statement[]): string {
  if (work.length === 0) return 'No statements in the up section.';
  const counts = new Map<TransactionContext, number>();
  for (const s of work) counts.set(s.transaction, (counts.get(s.transaction) ?? 0) + 1);
  const phrase: Record<TransactionContext, string> = {
    runner: `in ${runner}'s transaction`,
    explicit: 'between BEGIN and COMMIT written in the file',
    implicit: 'in the implicit transaction of one query string',
    none: 'on their own, each committing by itself',
  };
  if (counts.size === 1) {
    const [ctx] = counts.keys();
    const n = work.length;
    return `${n === 1 ? 'The statement runs' : `All ${n} statements run`} ${phrase[ctx as TransactionContext]}.`;
  }
  return `${[...counts].map(([ctx, n]) => `${n} ${n === 1 ? 'statement' : 'statements'} ${phrase[ctx]}`).join('; ')}.`;
}

function excerpt(text: string): string {
  const first =
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l.length > 0 && !l.startsWith('--')) ?? text.trim();
  return first.length > EXCERPT_MAX ? `${first.slice(0, EXCERPT_MAX - 1)}…` : first;
}

function uriBaseName(uri: string): string {
  const name = baseName(uri);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
