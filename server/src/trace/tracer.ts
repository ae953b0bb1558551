/**
 * Observes what a statement really does on a running PostgreSQL server: the strongest lock it
 * holds on each relation, whether it rewrote a relation (relfilenode changed), read every row
 * (sequential scan counters), or built an index. Static analysis predicts; this decides.
 *
 * - Transactional statements run inside BEGIN; `pg_locks` for our own backend is read before the
 *   transaction ends (heavyweight locks are held to commit, so this is exact), then ROLLBACK
 *   (or COMMIT when replaying a migration on a scratch database).
 * - Statements that cannot run in a transaction block (CONCURRENTLY, VACUUM) run on a worker
 *   connection while an observer polls `pg_locks` for the worker's pid. A blocker first holds
 *   ACCESS EXCLUSIVE on every user table so the worker's first lock request queues and is seen.
 */
import type { Client } from 'pg';
import { type LockMode, lockFromPgLocks, strongest } from '../engine/effects/locks';

export type ObservedKind = 'table' | 'index' | 'matview' | 'sequence' | 'view' | 'other';

export interface ObservedRelation {
  relation: string;
  kind: ObservedKind;
  /** Strongest lock held or requested; undefined when the statement never locked it. */
  lock: LockMode | undefined;
  rewrite: boolean;
  scan: boolean;
  indexBuild: boolean;
  /** The relation did not exist before the statement. */
  created: boolean;
}

export interface TraceResult {
  ok: boolean;
  error?: string;
  elapsedMs: number;
  transactional: boolean;
  relations: ObservedRelation[];
}

export interface RelRow {
  oid: number;
  name: string;
  relkind: string;
  filenode: number;
  table_oid: number | null;
}

export interface ScanRow {
  relid: number;
  seq_scan: string;
}

const RELATIONS_SQL = `
  SELECT c.oid::int AS oid,
         CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END AS name,
         c.relkind::text AS relkind,
         pg_relation_filenode(c.oid)::bigint AS filenode,
         i.indrelid::int AS table_oid
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_index i ON i.indexrelid = c.oid
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
     AND c.relkind IN ('r', 'p', 'i', 'I', 'm', 'S', 'v')`;

const KIND: Record<string, ObservedKind> = { r: 'table', p: 'table', i: 'index', I: 'index', m: 'matview', S: 'sequence', v: 'view' };

export function byOid(rows: RelRow[]): Map<number, RelRow> {
  return new Map(rows.map((r) => [r.oid, r]));
}

/** Every user relation with its kind and storage file (a changed filenode is a rewrite). */
export async function readRelations(client: Client): Promise<RelRow[]> {
  return (await client.query<RelRow>(RELATIONS_SQL)).rows;
}

export interface TraceOptions {
  /** Commit instead of rolling back (replaying a migration on a scratch database). */
  commit?: boolean;
  statementTimeout?: string;
  lockTimeout?: string;
}

export class Tracer {
  /**
   * @param main   the connection statements run on
   * @param extra  opens further connections (observer, blocker) to the same database
   */
  constructor(
    private readonly main: Client,
    private readonly extra: () => Promise<Client>,
  ) {}

  async trace(sql: string, transactional: boolean, options: TraceOptions = {}): Promise<TraceResult> {
    return transactional ? this.traceInTransaction(sql, options) : this.traceOutsideTransaction(sql);
  }

  private async relations(client: Client): Promise<RelRow[]> {
    return (await client.query<RelRow>(RELATIONS_SQL)).rows;
  }

  async traceInTransaction(sql: string, options: TraceOptions = {}): Promise<TraceResult> {
    const c = this.main;
    await c.query('BEGIN');
    let ended = false;
    try {
      await c.query(`SET LOCAL statement_timeout = '${options.statementTimeout ?? '60s'}'`);
      await c.query(`SET LOCAL lock_timeout = '${options.lockTimeout ?? '10s'}'`);
      const before = byOid(await this.relations(c));
      const scansBefore = await this.xactScans(c);
      const t0 = performance.now();
      try {
        await c.query(sql);
      } catch (err) {
        await c.query('ROLLBACK');
        ended = true;
        return { ok: false, error: (err as Error).message, elapsedMs: performance.now() - t0, transactional: true, relations: [] };
      }
      const elapsedMs = performance.now() - t0;
      const locks = (
        await c.query<{ relation: number; mode: string }>(
          "SELECT relation::int AS relation, mode FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation'",
        )
      ).rows;
      const after = await this.relations(c);
      const scansAfter = await this.xactScans(c);
      await c.query(options.commit ? 'COMMIT' : 'ROLLBACK');
      ended = true;
      return { ok: true, elapsedMs, transactional: true, relations: summarize(before, after, locks, scansBefore, scansAfter) };
    } finally {
      if (!ended) await c.query('ROLLBACK').catch(() => undefined);
    }
  }

  private async xactScans(c: Client): Promise<Map<number, number>> {
    const rows = (await c.query<ScanRow>('SELECT relid::int AS relid, seq_scan FROM pg_stat_xact_user_tables')).rows;
    return new Map(rows.map((r) => [r.relid, Number(r.seq_scan)]));
  }

  async traceOutsideTransaction(sql: string): Promise<TraceResult> {
    const observer = await this.extra();
    const blocker = await this.extra();
    try {
      const before = byOid(await this.relations(observer));
      const scansBefore = await this.totalScans(observer);
      const pid = Number((await this.main.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid);
      // Hold every user table so the worker's first lock request queues where we can see it.
      const tables = [...before.values()].filter((r) => r.relkind === 'r' || r.relkind === 'p');
      await blocker.query('BEGIN');
      await blocker.query("SET LOCAL lock_timeout = '5s'");
      for (const t of tables) await blocker.query(`LOCK TABLE ONLY ${quoteName(t.name)} IN ACCESS EXCLUSIVE MODE`);
      const seen = new Map<number, string>();
      let done = false;
      let error: string | undefined;
      const t0 = performance.now();
      const work = this.main.query(sql).then(
        () => undefined,
        (err: Error) => {
          error = err.message;
        },
      );
      void work.finally(() => {
        done = true;
      });
      let released = tables.length === 0;
      for (let i = 0; !done && i < 20_000; i++) {
        const rows = (
          await observer.query<{ relation: number; mode: string; granted: boolean }>(
            "SELECT relation::int AS relation, mode, granted FROM pg_locks WHERE pid = $1 AND locktype = 'relation'",
            [pid],
          )
        ).rows;
        for (const r of rows) seen.set(r.relation, seen.has(r.relation) ? maxMode(seen.get(r.relation) as string, r.mode) : r.mode);
        if (!released && (rows.some((r) => !r.granted) || i > 200)) {
          await blocker.query('ROLLBACK');
          released = true;
        }
      }
      if (!released) await blocker.query('ROLLBACK');
      await work;
      const elapsedMs = performance.now() - t0;
      if (error !== undefined) return { ok: false, error, elapsedMs, transactional: false, relations: [] };
      await this.main.query('SELECT pg_stat_force_next_flush()').catch(() => undefined);
      const after = await this.relations(observer);
      await observer.query('SELECT pg_stat_clear_snapshot()');
      const scansAfter = await this.totalScans(observer);
      const locks = [...seen].map(([relation, mode]) => ({ relation, mode }));
      return { ok: true, elapsedMs, transactional: false, relations: summarize(before, after, locks, scansBefore, scansAfter) };
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await observer.end().catch(() => undefined);
      await blocker.end().catch(() => undefined);
    }
  }

  private async totalScans(c: Client): Promise<Map<number, number>> {
    const rows = (await c.query<ScanRow>('SELECT relid::int AS relid, seq_scan FROM pg_stat_user_tables')).rows;
    return new Map(rows.map((r) => [r.relid, Number(r.seq_scan)]));
  }
}

function quoteName(name: string): string {
  return name
    .split('.')
    .map((p) => `"${p.replace(/"/g, '""')}"`)
    .join('.');
}

function maxMode(a: string, b: string): string {
  const la = lockFromPgLocks(a);
  const lb = lockFromPgLocks(b);
  if (!la || !lb) return a;
  return strongest(la, lb) === la ? a : b;
}

/** What changed between two snapshots: per relation the strongest lock, rewrite, scan, index build. */
export function summarize(
  before: Map<number, RelRow>,
  afterRows: RelRow[],
  locks: Array<{ relation: number; mode: string }>,
  scansBefore: Map<number, number>,
  scansAfter: Map<number, number>,
): ObservedRelation[] {
  const after = byOid(afterRows);
  const out = new Map<number, ObservedRelation>();
  const get = (oid: number): ObservedRelation | undefined => {
    let o = out.get(oid);
    if (o) return o;
    // Named as before the statement, so a RENAME is reported under the name the statement used.
    const row = before.get(oid) ?? after.get(oid);
    if (!row) return undefined; // catalog relation, or created and dropped within the statement
    o = { relation: row.name, kind: KIND[row.relkind] ?? 'other', lock: undefined, rewrite: false, scan: false, indexBuild: false, created: !before.has(oid) };
    out.set(oid, o);
    return o;
  };
  for (const l of locks) {
    const o = get(l.relation);
    const mode = lockFromPgLocks(l.mode);
    if (o && mode) o.lock = o.lock ? strongest(o.lock, mode) : mode;
  }
  for (const [oid, row] of after) {
    const prev = before.get(oid);
    if (prev && prev.filenode !== row.filenode && row.relkind !== 'i' && row.relkind !== 'I') {
      const o = get(oid);
      if (o) o.rewrite = true;
    }
  }
  // An index build: a new index, or an index whose storage changed while its table's did not (REINDEX).
  for (const [oid, row] of after) {
    if ((row.relkind !== 'i' && row.relkind !== 'I') || row.table_oid === null) continue;
    const prev = before.get(oid);
    const table = get(row.table_oid);
    if (!table) continue;
    if (!prev) table.indexBuild = true;
    else if (prev.filenode !== row.filenode && !table.rewrite) {
      table.indexBuild = true;
      const idx = get(oid);
      if (idx) idx.indexBuild = true;
    }
  }
  for (const [relid, n] of scansAfter) {
    if (n > (scansBefore.get(relid) ?? 0)) {
      const o = get(relid);
      if (o) o.scan = true;
    }
  }
  return [...out.values()];
}
