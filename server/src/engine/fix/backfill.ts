/**
 * Batched backfill scripts: the data work a fix leaves to the operator, run once after the
 * migration is deployed. One DO block walks the table in batches of about 10,000 rows and commits
 * after each, so no lock is held for long and a stopped run resumes where it left off (only rows
 * still `pending` are written).
 */
import type { FileView } from '../lint/rule';
import { quoteIdent, quoteQualified } from '../text/sql-text';
import type { CreateStep } from './fix';
import type { BatchKey } from './batch-key';
import { dollarTag, quoteLiteral } from './sql-source';
import type { FixEnvironment } from './placement';
import { dirOf, joinPath } from '../text/file-path';

export const BATCH_ROWS = 10_000;

export interface BackfillSpec {
  /** The table, as written (`events`, `app.events`). */
  table: string;
  /** The column the script fills. */
  column: string;
  /** SQL computing the value from the row's own columns (unqualified references). */
  value: string;
  /** SQL predicate of the rows still to fill; the script writes only those, so re-running resumes. */
  pending: string;
  /** The key to walk; without one the script walks physical block ranges (ctid). */
  key: BatchKey | undefined;
  /** The migration whose change the script completes, for the header. */
  migration: string;
  /** What the rows need, one line for the header ("computes total for rows written before …"). */
  purpose: string;
}

/** The folder holding the runner's migrations (prisma and diesel keep one folder per migration inside it). */
function migrationsFolder(file: FileView): string {
  const dir = dirOf(file.path ?? '');
  return file.runner.id === 'prisma' || file.runner.id === 'diesel' ? dirOf(dir) : dir;
}

/**
 * Where the script goes: `backfills/` beside the migrations folder, never inside it. No runner reads
 * that folder (each reads only its configured migrations folder, and Flyway's recursive scan stays
 * within its locations), and the file name starts with the table name, not a version, so even a
 * runner pointed at it would not take it for a migration.
 */
export function backfillPath(file: FileView, table: string, column: string, env: FixEnvironment): { path: string; shown: string } {
  const dir = joinPath(dirOf(migrationsFolder(file)), 'backfills');
  const taken = env.listDir(dir);
  const stem = `${(table.split('.').pop() ?? table).toLowerCase()}_${column.toLowerCase()}`.replace(/[^a-z0-9_]+/g, '_');
  let name = `${stem}.sql`;
  for (let n = 2; taken.includes(name); n++) name = `${stem}_${n}.sql`;
  return { path: joinPath(dir, name), shown: `backfills/${name}` };
}

/** The script, as a `create` step of role `script`. */
export function backfillStep(file: FileView, spec: BackfillSpec, env: FixEnvironment): { step: CreateStep; shown: string } {
  const where = backfillPath(file, spec.table, spec.column, env);
  return { step: { kind: 'create', path: where.path, content: backfillScript(spec, where.shown), role: 'script' }, shown: where.shown };
}

export function backfillScript(spec: BackfillSpec, shown: string): string {
  const t = quoteQualified(spec.table);
  const c = quoteIdent(spec.column);
  const what = `${spec.table}.${spec.column}`;
  const walk = spec.key
    ? `It walks ${spec.table} by ${spec.key.column} (${spec.key.index}) in batches of ${BATCH_ROWS} rows;`
    : `No single-column key of ${spec.table} is known, so it walks physical block ranges (ctid) of about ${BATCH_ROWS} rows\n` +
      `-- (fast on PostgreSQL 14+, which scans a ctid range directly; older versions read the table once per batch);`;
  const header = [
    `-- Backfill of ${what}: ${spec.purpose}.`,
    `-- Completes migration ${spec.migration}. Not a migration itself: it lives outside the migrations folder`,
    `-- and its name has no version, so no runner applies it. Run it after that migration is deployed,`,
    `-- with psql in autocommit mode (the default; not -1/--single-transaction: the loop commits per batch):`,
    `--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f ${shown}`,
    `-- ${walk}`,
    `-- each batch commits on its own, so row locks are short and a stopped run loses at most one batch.`,
    `-- Rows already filled are skipped: run it again to resume. Needs PostgreSQL 11+ (COMMIT inside DO).`,
    '',
    `-- The loop is one statement: a role-level statement_timeout would cancel it; each batch is short.`,
    `SET statement_timeout = 0;`,
    '',
  ];
  const body = spec.key ? keyLoop(t, c, what, spec) : ctidLoop(t, c, what, spec);
  const tag = dollarTag('backfill', body);
  return [...header, `DO ${tag}`, body, `${tag};`, ''].join('\n');
}

/** Batches by ranges of a unique NOT NULL key: each range holds at most BATCH_ROWS rows. */
function keyLoop(t: string, c: string, what: string, spec: BackfillSpec): string {
  const k = quoteIdent(spec.key?.column ?? '');
  return [
    'DECLARE',
    `  backfill_from ${t}.${k}%TYPE;`,
    `  backfill_to ${t}.${k}%TYPE;`,
    'BEGIN',
    `  SELECT min(${k}) INTO backfill_from FROM ${t};`,
    '  WHILE backfill_from IS NOT NULL LOOP',
    `    SELECT max(${k}) INTO backfill_to`,
    `      FROM (SELECT ${k} FROM ${t} WHERE ${k} >= backfill_from ORDER BY ${k} LIMIT ${BATCH_ROWS}) AS batch;`,
    `    UPDATE ${t} SET ${c} = ${spec.value}`,
    `     WHERE ${k} BETWEEN backfill_from AND backfill_to`,
    `       AND ${spec.pending};`,
    '    COMMIT;',
    `    RAISE NOTICE '${what.replace(/'/g, "''")}: filled through ${spec.key?.column.replace(/'/g, "''")} %', backfill_to;`,
    `    SELECT min(${k}) INTO backfill_from FROM ${t} WHERE ${k} > backfill_to;`,
    '  END LOOP;',
    'END',
  ].join('\n');
}

/**
 * Batches by block ranges when no key is known. Blocks that exist when the run starts are covered
 * once; a row a concurrent UPDATE moves behind the walk is caught by the final check, which asks
 * for another run.
 */
function ctidLoop(t: string, c: string, what: string, spec: BackfillSpec): string {
  const reg = `${quoteLiteral(t)}::regclass`;
  const w = what.replace(/'/g, "''");
  return [
    'DECLARE',
    '  backfill_per_block float8;',
    '  backfill_blocks bigint;',
    '  backfill_from bigint := 0;',
    '  backfill_last bigint;',
    'BEGIN',
    `  backfill_last := pg_relation_size(${reg}) / current_setting('block_size')::bigint;`,
    `  -- Blocks per batch from the planner's rows-per-block estimate or, for a table never analysed, from its first 100 blocks.`,
    `  SELECT reltuples / relpages INTO backfill_per_block FROM pg_class WHERE oid = ${reg} AND relpages > 0 AND reltuples > 0;`,
    '  IF backfill_per_block IS NULL THEN',
    `    SELECT count(*)::float8 / greatest(1, least(backfill_last, 100)) INTO backfill_per_block FROM ${t} WHERE ctid < '(100,0)'::tid;`,
    '  END IF;',
    `  backfill_blocks := greatest(1, (${BATCH_ROWS} / greatest(backfill_per_block, 1))::bigint);`,
    '  WHILE backfill_from <= backfill_last LOOP',
    `    UPDATE ${t} SET ${c} = ${spec.value}`,
    `     WHERE ctid >= format('(%s,0)', backfill_from)::tid`,
    `       AND ctid < format('(%s,0)', backfill_from + backfill_blocks)::tid`,
    `       AND ${spec.pending};`,
    '    COMMIT;',
    `    RAISE NOTICE '${w}: filled through block % of %', least(backfill_from + backfill_blocks, backfill_last), backfill_last;`,
    '    backfill_from := backfill_from + backfill_blocks;',
    '  END LOOP;',
    `  IF EXISTS (SELECT 1 FROM ${t} WHERE ${spec.pending}) THEN`,
    `    RAISE WARNING '${w}: rows moved by concurrent updates during the run are still to fill; run this script again';`,
    '  END IF;',
    'END',
  ].join('\n');
}
