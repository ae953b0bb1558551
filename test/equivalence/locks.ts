/**
 * Replays a sequence statement by statement under the tracer (server/src/trace/tracer.ts) on a
 * pre-filled copy and judges the locks on the pre-existing tables. A statement's lock is held to
 * the end of its transaction, so within a runner transaction (or an implicit one) each statement
 * runs while every earlier statement's lock is still held: that "held" lock is what is bounded.
 *
 * Bound: held lock ≤ SHARE UPDATE EXCLUSIVE (reads and writes go on), except for O(1) catalog
 * steps (known shapes: ADD COLUMN, SET/DROP DEFAULT, SET NOT NULL proved by a valid CHECK, NOT VALID
 * or USING INDEX constraints, DROP CONSTRAINT/COLUMN, RENAME, CREATE/DROP TRIGGER or FUNCTION) that the tracer
 * shows neither rewrote, scanned nor built an index, and that took less than BRIEF_MS.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Client } from 'pg';
import { analyze, ast, defaultConfig, type LockMode, LOCK_MODES, lockStrength, mergeConfig, type Statement, strongest } from '../../server/src/engine';
import { type ObservedRelation, Tracer } from '../../server/src/trace/tracer';
import type { Cluster } from './databases';
import type { Sequence } from './sequence';

/** An O(1) catalog step on 200k rows takes a few milliseconds; a scan or rewrite takes far longer. */
export const BRIEF_MS = 100;
export const DEFAULT_BOUND: LockMode = 'SHARE UPDATE EXCLUSIVE';

export interface TableLock {
  table: string;
  mode: LockMode;
  rewrite: boolean;
  scan: boolean;
  indexBuild: boolean;
}

export interface TracedStatement {
  file: string;
  sql: string;
  transactional: boolean;
  ms: number;
  /** Locks this statement took on the pre-existing tables. */
  locks: TableLock[];
  /** Strongest lock held on a pre-existing table while it ran (its own, or an earlier one of its transaction). */
  held: LockMode | undefined;
  catalogStep: boolean;
}

const ALTER_CATALOG_SUBTYPES = new Set(['AT_ColumnDefault', 'AT_SetNotNull', 'AT_DropNotNull', 'AT_DropConstraint', 'AT_DropColumn', 'AT_SetStatistics']);

/** Known O(1) catalog shapes (the tracer must still show them brief and without rewrite or scan). */
export function isCatalogStep(s: Statement): boolean {
  if (s.kind === 'RenameStmt' || s.kind === 'CreateTrigStmt' || s.kind === 'CreateFunctionStmt') return true;
  if (s.kind === 'DropStmt') return ['OBJECT_TRIGGER', 'OBJECT_FUNCTION'].includes(ast.str(s.node, 'removeType') ?? '');
  if (s.kind !== 'AlterTableStmt') return false;
  const cmds = ast.list(s.node, 'cmds').map((c) => ast.nodeOfKind(c, 'AlterTableCmd'));
  return (
    cmds.length > 0 &&
    cmds.every((cmd) => {
      const subtype = ast.str(cmd, 'subtype') ?? '';
      if (ALTER_CATALOG_SUBTYPES.has(subtype)) return true;
      const def = ast.obj(cmd, 'def');
      if (subtype === 'AT_AddColumn') {
        // Plain column, NULL/NOT NULL markers or a default: no generated or identity column.
        const constraints = ast.list(ast.nodeOfKind(def, 'ColumnDef'), 'constraints').map((c) => ast.str(ast.nodeOfKind(c, 'Constraint'), 'contype'));
        return constraints.every((t) => t === 'CONSTR_NULL' || t === 'CONSTR_DEFAULT');
      }
      if (subtype === 'AT_AddConstraint') {
        const con = ast.nodeOfKind(def, 'Constraint');
        return ast.flag(con, 'skip_validation') || ast.str(con, 'indexname') !== undefined;
      }
      return false;
    })
  );
}

function locksOn(relations: readonly ObservedRelation[], tables: readonly string[]): TableLock[] {
  return relations
    .filter((o) => !o.created && o.lock && tables.includes(o.relation))
    .map((o) => ({ table: o.relation, mode: o.lock as LockMode, rewrite: o.rewrite, scan: o.scan, indexBuild: o.indexBuild }));
}

function maxLock(locks: readonly TableLock[]): LockMode | undefined {
  return locks.reduce<LockMode | undefined>((m, l) => (m ? strongest(m, l.mode) : l.mode), undefined);
}

/** The up statements of a migration, as the engine splits them for this runner. */
function upStatements(file: string): Statement[] {
  const text = readFileSync(file, 'utf8');
  const a = analyze(text, { path: file, config: mergeConfig(defaultConfig(), { pgVersion: 15 }), rules: [] });
  const bad = a.statements.find((s) => s.parseError);
  if (bad) throw new Error(`${basename(file)}: parse error ${bad.parseError?.message}`);
  return a.statements.filter((s) => s.section === 'up');
}

/**
 * Runs the sequence's steps on `db` (already holding the setup and the rows): every migration
 * statement under the tracer, committed; scripts with psql at their place.
 */
export async function traceSequence(cluster: Cluster, seq: Sequence, db: string, tables: readonly string[]): Promise<TracedStatement[]> {
  const main: Client = await cluster.server.connect(db);
  const tracer = new Tracer(main, () => cluster.server.connect(db));
  const out: TracedStatement[] = [];
  try {
    for (const step of seq.steps) {
      if (step.kind === 'script') {
        await cluster.psqlFile(db, step.file);
        continue;
      }
      let held: LockMode | undefined;
      let group = -1;
      for (const s of upStatements(step.file)) {
        if (s.kind === 'TransactionStmt') {
          held = undefined; // BEGIN / COMMIT: a new transaction starts
          continue;
        }
        if (s.kind === 'VariableSetStmt') {
          await main.query(s.text);
          continue;
        }
        // Locks pile up within one transaction of a section (the runner's, an implicit or an explicit one).
        const inTransaction = s.transaction !== 'none';
        if (!inTransaction || s.sectionIndex !== group) held = undefined;
        group = s.sectionIndex;
        const r = await tracer.trace(s.text, !s.noTransactionBlock, { commit: true });
        if (!r.ok) throw new Error(`${basename(step.file)}: ${s.text.slice(0, 160)} failed under the tracer: ${r.error}`);
        const locks = locksOn(r.relations, tables);
        const own = maxLock(locks);
        held = own ? (held ? strongest(held, own) : own) : held;
        out.push({
          file: basename(step.file),
          sql: s.text,
          transactional: r.transactional,
          ms: Math.round(r.elapsedMs * 10) / 10,
          locks,
          held,
          catalogStep: isCatalogStep(s),
        });
        if (!inTransaction) held = undefined;
      }
    }
  } finally {
    await main.end().catch(() => undefined);
  }
  return out;
}

export function parseLock(mode: string): LockMode {
  const m = LOCK_MODES.find((x) => x === mode);
  if (!m) throw new Error(`unknown lock mode ${mode}`);
  return m;
}

/** Why a traced statement breaks the bound, or undefined when it keeps it. */
export function violation(t: TracedStatement, bound: LockMode): string | undefined {
  if (!t.held || lockStrength(t.held) <= lockStrength(bound)) return undefined;
  const what = `${t.file}: \`${t.sql.replace(/\s+/g, ' ').slice(0, 120)}\` runs holding ${t.held}`;
  if (!t.catalogStep) return `${what}, and it is not an O(1) catalog step`;
  const heavy = t.locks.find((l) => l.rewrite || l.scan || l.indexBuild);
  if (heavy) return `${what} and ${heavy.rewrite ? 'rewrote' : heavy.scan ? 'scanned' : 'built an index on'} ${heavy.table}`;
  if (t.ms >= BRIEF_MS) return `${what} for ${t.ms} ms (≥ ${BRIEF_MS} ms)`;
  return undefined;
}

/** The strongest lock a list of traced statements took, with the statement that took it. */
export function strongestStep(traced: readonly TracedStatement[]): TracedStatement | undefined {
  let best: TracedStatement | undefined;
  for (const t of traced) {
    const own = maxLock(t.locks);
    if (!own) continue;
    const bestOwn = best ? maxLock(best.locks) : undefined;
    if (!bestOwn || lockStrength(own) > lockStrength(bestOwn) || (own === bestOwn && t.ms > (best?.ms ?? 0))) best = t;
  }
  return best;
}
