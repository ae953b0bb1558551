/**
 * Shared by the group C rules (transaction and timeout policy): which statements of a section run
 * in the same transaction, and which lock_timeout / statement_timeout is in effect before each
 * statement. Computed once per analysed file (cached on the statements array).
 */
import { ast, type FileView, type Statement, type TransactionContext, transactionKind } from '../server/src/engine';

/** Statements that Postgres runs in one transaction, in order. */
export interface Txn {
  section: number;
  context: TransactionContext;
  statements: Statement[];
}

const txnCache = new WeakMap<readonly Statement[], { txns: Txn[]; byIndex: Map<number, Txn> }>();

/**
 * Groups the file's statements into transactions from the engine's per-statement context. A
 * statement that autocommits (`none`) is a transaction of its own; a COMMIT/ROLLBACK ends the
 * transaction it belongs to; a change of context or section starts a new one.
 */
export function transactions(file: FileView): { txns: Txn[]; byIndex: Map<number, Txn> } {
  const cached = txnCache.get(file.statements);
  if (cached) return cached;
  const txns: Txn[] = [];
  const byIndex = new Map<number, Txn>();
  let current: Txn | undefined;
  let prev: Statement | undefined;
  for (const s of file.statements) {
    const startsNew =
      !current ||
      !prev ||
      prev.sectionIndex !== s.sectionIndex ||
      prev.transaction === 'none' ||
      s.transaction === 'none' ||
      prev.transaction !== s.transaction ||
      transactionKind(prev) === 'close';
    if (startsNew || !current) {
      current = { section: s.sectionIndex, context: s.transaction, statements: [] };
      txns.push(current);
    }
    current.statements.push(s);
    byIndex.set(s.index, current);
    prev = s;
  }
  const result = { txns, byIndex };
  txnCache.set(file.statements, result);
  return result;
}

export type TimeoutName = 'lock_timeout' | 'statement_timeout';

/** One assignment of a timeout found in the file. */
export interface TimeoutSetting {
  statement: Statement;
  /** Milliseconds, or undefined when the value is not a constant we can read. */
  ms: number | undefined;
  /** The value as written (`'5s'`, `0`, …). */
  text: string;
  local: boolean;
  /** RESET / SET … TO DEFAULT: back to the server's configured value. */
  reset: boolean;
}

/** What is in effect right before a statement. */
export interface TimeoutState {
  /** The assignment in effect, if any (never a reset). */
  setting?: TimeoutSetting;
  /** A SET LOCAL of this section whose transaction had already ended. */
  expired?: TimeoutSetting;
  /** A RESET / SET … DEFAULT is the last word. */
  reset?: TimeoutSetting;
}

const stateCache = new WeakMap<readonly Statement[], Map<TimeoutName, Map<number, TimeoutState>>>();

/** The timeout in effect right before `stmt` runs, from the assignments earlier in its section. */
export function timeoutBefore(file: FileView, stmt: Statement, name: TimeoutName): TimeoutState {
  let perName = stateCache.get(file.statements);
  if (!perName) {
    perName = new Map();
    stateCache.set(file.statements, perName);
  }
  let states = perName.get(name);
  if (!states) {
    states = computeStates(file, name);
    perName.set(name, states);
  }
  return states.get(stmt.index) ?? {};
}

function computeStates(file: FileView, name: TimeoutName): Map<number, TimeoutState> {
  const out = new Map<number, TimeoutState>();
  const { byIndex } = transactions(file);
  let section = -1;
  let session: TimeoutSetting | undefined;
  let local: TimeoutSetting | undefined;
  let localTxn: Txn | undefined;
  let expired: TimeoutSetting | undefined;
  for (const s of file.statements) {
    if (s.sectionIndex !== section) {
      section = s.sectionIndex;
      session = local = localTxn = expired = undefined;
    }
    const txn = byIndex.get(s.index);
    if (local && localTxn !== txn) {
      expired = local;
      local = localTxn = undefined;
    }
    const effective = local ?? session;
    const state: TimeoutState = {};
    if (effective && !effective.reset) state.setting = effective;
    else if (effective?.reset) state.reset = effective;
    if (!effective && expired) state.expired = expired;
    out.set(s.index, state);
    for (const a of assignments(s, name)) {
      if (a.local) {
        local = a;
        localTxn = txn;
      } else {
        session = a;
        // A plain SET also replaces the transaction-local value.
        local = localTxn = undefined;
      }
    }
  }
  return out;
}

/** `SET [LOCAL|SESSION] name …`, `RESET name`, `SELECT set_config('name', …, is_local)`. */
export function assignments(stmt: Statement, name: TimeoutName): TimeoutSetting[] {
  if (stmt.kind === 'VariableSetStmt') {
    const n = stmt.node;
    const kind = ast.str(n, 'kind');
    const target = ast.str(n, 'name');
    const local = ast.flag(n, 'is_local');
    if (kind === 'VAR_RESET_ALL') return [{ statement: stmt, ms: undefined, text: 'DEFAULT', local: false, reset: true }];
    if (target?.toLowerCase() !== name) return [];
    if (kind === 'VAR_RESET' || kind === 'VAR_SET_DEFAULT') return [{ statement: stmt, ms: undefined, text: 'DEFAULT', local, reset: true }];
    if (kind !== 'VAR_SET_VALUE') return [];
    const arg = ast.list(n, 'args')[0];
    const { ms, text } = constantValue(arg);
    return [{ statement: stmt, ms, text, local, reset: false }];
  }
  if (stmt.kind === 'SelectStmt') {
    const out: TimeoutSetting[] = [];
    for (const call of setConfigCalls(stmt.node)) {
      const args = ast.list(call, 'args');
      const key = constantValue(args[0]);
      if (key.raw?.toLowerCase() !== name) continue;
      const { ms, text } = constantValue(args[1]);
      const localArg = ast.nodeOfKind(args[2], 'A_Const');
      const local = ast.flag(ast.obj(localArg, 'boolval'), 'boolval');
      out.push({ statement: stmt, ms, text, local, reset: false });
    }
    return out;
  }
  return [];
}

function setConfigCalls(x: unknown, out: ast.AstObject[] = []): ast.AstObject[] {
  if (Array.isArray(x)) {
    for (const e of x) setConfigCalls(e, out);
    return out;
  }
  if (!ast.isObj(x)) return out;
  const fc = ast.nodeOfKind(x, 'FuncCall');
  if (fc) {
    const parts = ast.names(ast.list(fc, 'funcname'));
    if (parts[parts.length - 1]?.toLowerCase() === 'set_config') out.push(fc);
  }
  for (const k of Object.keys(x)) setConfigCalls(x[k], out);
  return out;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** A constant GUC value in milliseconds (the base unit of both timeouts). */
function constantValue(arg: unknown): { ms: number | undefined; text: string; raw?: string } {
  const c = ast.nodeOfKind(arg, 'A_Const');
  if (!c) return { ms: undefined, text: '(expression)' };
  const ival = ast.obj(c, 'ival');
  if (ival) {
    const v = ast.num(ival, 'ival') ?? 0;
    return { ms: v, text: String(v), raw: String(v) };
  }
  const fval = ast.str(ast.obj(c, 'fval'), 'fval');
  if (fval !== undefined) return { ms: Number(fval), text: fval, raw: fval };
  const sval = ast.str(ast.obj(c, 'sval'), 'sval');
  if (sval !== undefined) {
    const m = /^\s*(-?\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?\s*$/i.exec(sval);
    const unit = (m?.[2] ?? 'ms').toLowerCase();
    const ms = m ? Number(m[1]) * (UNIT_MS[unit] ?? 1) : undefined;
    return { ms, text: `'${sval}'`, raw: sval };
  }
  return { ms: undefined, text: '(expression)' };
}

/** "ALTER TABLE", "CREATE INDEX", … : the leading keywords of a statement, for messages and underlines. */
export const LEADING_KEYWORDS =
  /^(?:ALTER|CREATE|DROP|TRUNCATE|LOCK|REINDEX|CLUSTER|VACUUM|REFRESH|COMMENT|UPDATE|DELETE|INSERT|ANALYZE|SECURITY|SELECT|DO|CALL|COPY|MERGE|GRANT|REVOKE)\b(?:\s+(?:UNIQUE\s+INDEX|MATERIALIZED\s+VIEW|FOREIGN\s+TABLE|TABLE|INDEX|VIEW|TRIGGER|POLICY|RULE|STATISTICS|SEQUENCE|FULL|ON|FROM|INTO|LABEL)\b)?/i;

export function operation(stmt: Statement): string {
  const m = LEADING_KEYWORDS.exec(stmt.text);
  return m ? m[0].replace(/\s+/g, ' ').toUpperCase() : stmt.kind;
}
