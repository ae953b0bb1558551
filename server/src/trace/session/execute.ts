/**
 * Runs a migration's up statements unit by unit, as its runner would, and observes each statement:
 * - in a transaction block, between statements: the relation locks our backend holds (new ones are
 *   the statement's), storage files (a new relfilenode is a rewrite or an index build) and the
 *   transaction's scan counters. A lock mode the transaction already held is invisible when asked
 *   for again; when the engine claims exactly such a mode, it is reported as `alreadyHeld`.
 * - a statement that cannot run in a transaction block (CONCURRENTLY, VACUUM) runs alone, and the
 *   Tracer polls its locks from a second connection.
 * A lock's "held" time runs from the start of the statement to the end of its transaction: in a
 * transactional migration every lock stays until the COMMIT, which is what blocks the application.
 */
import type { Client } from 'pg';
import type { TracedRelation, TracedStatement } from '../../../../protocol/protocol';
import { lockStrength, type Statement } from '../../engine';
import { lockFromPgLocks } from '../../engine/effects/locks';
import { checkableClaims, compareEffects } from '../compare';
import { byOid, type ObservedRelation, readRelations, type RelRow, summarize, Tracer } from '../tracer';
import type { ExecutionUnit } from './units';

/** Statements run without comparing them: they take no table locks worth claiming. */
const EXECUTE_ONLY = new Set(['TransactionStmt', 'VariableSetStmt', 'VariableShowStmt', 'CreateFunctionStmt', 'DoStmt', 'CallStmt', 'SelectStmt']);

export interface ExecuteOptions {
  /** `commit`: each unit commits (scratch database). `rollback`: everything runs in one transaction that is rolled back. */
  mode: 'commit' | 'rollback';
  statementTimeout: string;
  lockTimeout: string;
  /** 1-based line of a statement. */
  lineOf: (s: Statement) => number;
  /** Applied to every server message (removes secrets). */
  clean: (message: string) => string;
  /** Called before each statement (progress). */
  onStatement?: (s: Statement, done: number, total: number) => void;
}

export interface ExecuteResult {
  statements: TracedStatement[];
  /** The statement the run stopped at (its error), if any. */
  stoppedAt?: TracedStatement;
}

interface HeldLock {
  relation: number;
  mode: string;
}

const bare = (name: string): string => name.slice(name.lastIndexOf('.') + 1).replace(/^"|"$/g, '');

async function heldLocks(c: Client): Promise<HeldLock[]> {
  return (await c.query<HeldLock>("SELECT relation::int AS relation, mode FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND granted"))
    .rows;
}

async function xactScans(c: Client): Promise<Map<number, number>> {
  const rows = (await c.query<{ relid: number; seq_scan: string }>('SELECT relid::int AS relid, seq_scan FROM pg_stat_xact_user_tables')).rows;
  return new Map(rows.map((r) => [r.relid, Number(r.seq_scan)]));
}

async function tableRows(c: Client): Promise<Map<string, number>> {
  const rows = (
    await c.query<{ name: string; n: number }>(
      `SELECT CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END AS name, c.reltuples::float8 AS n
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`,
    )
  ).rows;
  // reltuples is -1 for a table never vacuumed or analysed: unknown.
  return new Map(rows.filter((r) => r.n >= 0).map((r) => [r.name, r.n]));
}

/**
 * A claimed lock mode the transaction held before the statement: Postgres grants it again without
 * a new pg_locks row. Report it as taken (again) by this statement.
 */
function markAlreadyHeld(stmt: Statement, observed: ObservedRelation[], before: Map<number, RelRow>, held: HeldLock[]): Set<ObservedRelation> {
  const marked = new Set<ObservedRelation>();
  for (const claim of checkableClaims(stmt)) {
    const row = [...before.values()].find((r) => bare(r.name) === bare(claim.relation));
    if (!row || !held.some((h) => h.relation === row.oid && lockFromPgLocks(h.mode) === claim.lock)) continue;
    let o = observed.find((x) => bare(x.relation) === bare(claim.relation) && !x.created);
    if (o?.lock && lockStrength(o.lock) >= lockStrength(claim.lock)) continue;
    if (!o) {
      o = {
        relation: row.name,
        kind: row.relkind === 'm' ? 'matview' : 'table',
        lock: undefined,
        rewrite: false,
        scan: false,
        indexBuild: false,
        created: false,
      };
      observed.push(o);
    }
    o.lock = claim.lock;
    marked.add(o);
  }
  return marked;
}

class Recorder {
  readonly out: TracedStatement[] = [];
  private pendingHeld: Array<{ traced: TracedRelation; start: number }> = [];

  constructor(
    private readonly options: ExecuteOptions,
    private readonly rows: Map<string, number>,
  ) {}

  record(
    stmt: Statement,
    result: { ok: boolean; error?: string; elapsedMs: number; relations: ObservedRelation[]; alreadyHeld?: Set<ObservedRelation> },
    inTransactionBlock: boolean,
    start: number,
  ): TracedStatement {
    const compared = result.ok && !EXECUTE_ONLY.has(stmt.kind);
    const mismatches = compared ? compareEffects(stmt, result.relations, inTransactionBlock) : [];
    const relations: TracedRelation[] = result.relations.map((o) => {
      const traced: TracedRelation = {
        relation: o.relation,
        kind: o.kind,
        lock: o.lock ?? null,
        alreadyHeld: result.alreadyHeld?.has(o) ?? false,
        rewrite: o.rewrite,
        scan: o.scan,
        indexBuild: o.indexBuild,
        created: o.created,
        heldMs: o.lock ? result.elapsedMs : null,
        rowsBefore: o.created ? null : (this.rows.get(o.relation) ?? null),
      };
      if (o.lock && inTransactionBlock) this.pendingHeld.push({ traced, start });
      return traced;
    });
    const traced: TracedStatement = {
      index: stmt.index,
      line: this.options.lineOf(stmt),
      excerpt: stmt.text.replace(/\s+/g, ' ').trim().slice(0, 100),
      kind: stmt.kind,
      transaction: stmt.transaction,
      inTransactionBlock,
      ok: result.ok,
      ...(result.error !== undefined ? { error: this.options.clean(result.error) } : {}),
      elapsedMs: result.elapsedMs,
      relations,
      compared,
      mismatches: mismatches.map((m) => ({ ...m })),
    };
    this.out.push(traced);
    return traced;
  }

  /** The transaction ended at `end`: every lock taken in it was held until then. */
  transactionEnded(end: number): void {
    for (const p of this.pendingHeld) p.traced.heldMs = end - p.start;
    this.pendingHeld = [];
  }
}

export async function executeUnits(
  main: Client,
  extra: () => Promise<Client>,
  units: readonly ExecutionUnit[],
  options: ExecuteOptions,
): Promise<ExecuteResult> {
  const recorder = new Recorder(options, await tableRows(main));
  const total = units.reduce((n, u) => n + (u.kind === 'alone' ? 1 : u.statements.length), 0);
  let done = 0;
  const setLocal = async (): Promise<void> => {
    await main.query(`SET LOCAL statement_timeout = '${options.statementTimeout}'`);
    await main.query(`SET LOCAL lock_timeout = '${options.lockTimeout}'`);
  };
  // Rollback mode: one transaction around everything, always rolled back.
  if (options.mode === 'rollback') {
    await main.query('BEGIN');
    await setLocal();
  } else {
    await main.query(`SET statement_timeout = '${options.statementTimeout}'`);
    await main.query(`SET lock_timeout = '${options.lockTimeout}'`);
  }
  try {
    for (const unit of units) {
      const statements = unit.kind === 'alone' ? [unit.statement] : unit.statements;
      const alone = unit.kind === 'alone' && unit.statement.noTransactionBlock;
      if (alone) {
        const s = unit.statement;
        options.onStatement?.(s, done++, total);
        // Publish this backend's pending scan counters first (the fill's), so they are not taken for the statement's.
        await main.query('SELECT pg_stat_force_next_flush()').catch(() => undefined);
        await main.query('SELECT 1');
        const start = performance.now();
        const r = await new Tracer(main, extra).traceOutsideTransaction(s.text);
        const traced = recorder.record(s, r, false, start);
        if (!r.ok) return { statements: recorder.out, stoppedAt: traced };
        continue;
      }
      if (options.mode === 'commit') {
        await main.query('BEGIN');
        await setLocal();
      }
      for (const s of statements) {
        options.onStatement?.(s, done++, total);
        const before = byOid(await readRelations(main));
        const scansBefore = await xactScans(main);
        const held = await heldLocks(main);
        const start = performance.now();
        try {
          await main.query(s.text);
        } catch (err) {
          const elapsedMs = performance.now() - start;
          await main.query('ROLLBACK').catch(() => undefined);
          recorder.transactionEnded(performance.now());
          const traced = recorder.record(s, { ok: false, error: (err as Error).message, elapsedMs, relations: [] }, true, start);
          if (options.mode === 'rollback') await main.query('BEGIN'); // keeps the finally's ROLLBACK meaningful
          return { statements: recorder.out, stoppedAt: traced };
        }
        const elapsedMs = performance.now() - start;
        const heldAfter = await heldLocks(main);
        const fresh = heldAfter.filter((h) => !held.some((x) => x.relation === h.relation && x.mode === h.mode));
        const relations = summarize(before, await readRelations(main), fresh, scansBefore, await xactScans(main));
        const alreadyHeld = markAlreadyHeld(s, relations, before, held);
        recorder.record(s, { ok: true, elapsedMs, relations, alreadyHeld }, true, start);
      }
      if (options.mode === 'commit') await main.query(unit.kind === 'transaction' && unit.end === 'rollback' ? 'ROLLBACK' : 'COMMIT');
      // In rollback mode the runner would have committed here: that is when its locks are released.
      recorder.transactionEnded(performance.now());
    }
    return { statements: recorder.out };
  } finally {
    if (options.mode === 'rollback') await main.query('ROLLBACK').catch(() => undefined);
  }
}
