/**
 * Fills the tables named in pg-migration-guard.json `tables` with as many generated rows as
 * configured (capped), so a trace's timings mean something. One INSERT … SELECT FROM
 * generate_series per table; values are derived from the row number `g` per column type, so they
 * are distinct (unique constraints hold) and deterministic.
 *
 * - Columns with a default, identity or generation expression are left to the server.
 * - A foreign key column takes an existing key of its parent (row `g % count` of the parent), so a
 *   parent is filled first; a parent that is not configured but needed by a NOT NULL foreign key
 *   gets PARENT_ROWS rows. A nullable foreign key to an empty parent stays NULL.
 * - Nullable columns are filled too (a rewrite recomputes real values, not NULLs).
 * - Foreign-key triggers are skipped while loading (session_replication_role = replica): every
 *   generated key exists already, and checking 1M of them one by one would dominate the trace.
 * Then VACUUM ANALYZE, so the migration meets a table like production's: hint bits set, statistics.
 */
import type { Client } from 'pg';

export interface FilledTable {
  table: string;
  rows: number;
  configuredRows: number | null;
  ms: number;
}

/** Rows given to a parent table that is not configured but must exist for a NOT NULL foreign key. */
export const PARENT_ROWS = 1000;

interface Column {
  name: string;
  type: string;
  category: string;
  baseType: string;
  enumType: string | null;
  notNull: boolean;
  serverFills: boolean;
  length: number | null;
}

interface ForeignKey {
  columns: string[];
  parent: string;
  parentColumns: string[];
}

const qi = (name: string): string => `"${name.replace(/"/g, '""')}"`;

async function columnsOf(c: Client, table: string): Promise<Column[]> {
  const rows = (
    await c.query<{
      name: string;
      type: string;
      category: string;
      base_type: string;
      enum_type: string | null;
      not_null: boolean;
      server_fills: boolean;
      length: number | null;
    }>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
              bt.typcategory::text AS category, bt.typname::text AS base_type,
              CASE WHEN bt.typtype = 'e' THEN format_type(bt.oid, NULL) END AS enum_type,
              a.attnotnull AS not_null,
              (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '') AS server_fills,
              CASE WHEN bt.typcategory = 'S' AND coalesce(NULLIF(t.typtypmod, -1), a.atttypmod) > 4
                   THEN coalesce(NULLIF(t.typtypmod, -1), a.atttypmod) - 4 END AS length
         FROM pg_attribute a
         JOIN pg_type t ON t.oid = a.atttypid
         JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
        WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum`,
      [table],
    )
  ).rows;
  return rows.map((r) => ({
    name: r.name,
    type: r.type,
    category: r.category,
    baseType: r.base_type,
    enumType: r.enum_type,
    notNull: r.not_null,
    serverFills: r.server_fills,
    length: r.length,
  }));
}

async function foreignKeysOf(c: Client, table: string): Promise<ForeignKey[]> {
  const rows = (
    await c.query<{ columns: string[]; parent: string; parent_columns: string[] }>(
      `SELECT ARRAY(SELECT attname FROM unnest(k.conkey) WITH ORDINALITY u(n, i) JOIN pg_attribute ON attrelid = k.conrelid AND attnum = u.n ORDER BY i)::text[] AS columns,
              k.confrelid::regclass::text AS parent,
              ARRAY(SELECT attname FROM unnest(k.confkey) WITH ORDINALITY u(n, i) JOIN pg_attribute ON attrelid = k.confrelid AND attnum = u.n ORDER BY i)::text[] AS parent_columns
         FROM pg_constraint k
        WHERE k.conrelid = $1::regclass AND k.contype = 'f'`,
      [table],
    )
  ).rows;
  return rows.map((r) => ({ columns: r.columns, parent: r.parent, parentColumns: r.parent_columns }));
}

/** A SQL expression of row number `g` (bigint) for a column, or undefined when we cannot make one. */
export function valueExpression(col: Column): string | undefined {
  const cast = (e: string): string => `(${e})::${col.type}`;
  if (col.enumType) return cast(`(enum_range(NULL::${col.enumType}))[1 + (g % cardinality(enum_range(NULL::${col.enumType})))::int]`);
  switch (col.baseType) {
    case 'int2':
      return cast('g % 32767');
    case 'int4':
    case 'int8':
    case 'float4':
    case 'float8':
    case 'oid':
      return cast('g');
    case 'numeric':
      return /\(/.test(col.type) ? cast('g % 10') : cast('g');
    case 'money':
      return cast('g % 100000');
    case 'bool':
      return 'g % 2 = 0';
    case 'timestamptz':
    case 'timestamp':
      return cast(`timestamptz '2025-01-01 00:00:00+00' - make_interval(secs => g)`);
    case 'date':
      return cast(`date '2025-01-01' - (g % 3650)::int`);
    case 'time':
    case 'timetz':
      return cast(`time '00:00' + make_interval(secs => g % 86400)`);
    case 'interval':
      return cast('make_interval(secs => g)');
    case 'uuid':
      return cast('md5(g::text)::uuid');
    case 'json':
    case 'jsonb':
      return cast(`json_build_object('n', g, 'label', 'item ' || g)`);
    case 'bytea':
      return cast(`decode(md5(g::text), 'hex')`);
    case 'inet':
      return cast(`inet '10.0.0.0' + g`);
    case 'tsvector':
      return cast(`to_tsvector('simple', 'word' || g || ' word' || (g % 97))`);
  }
  if (col.category === 'S') {
    // Starts with g so truncation to a varchar(n) keeps values distinct; a few words after it.
    const words = `g || ' ' || ${quoteLiteral(col.name)} || ' ' || (ARRAY['alpha','bravo','charlie','delta','echo','foxtrot','golf'])[1 + (g % 7)::int] || ' ' || md5(g::text)`;
    return cast(col.length !== null ? `left(${words}, ${col.length})` : words);
  }
  if (col.category === 'A') return `'{}'::${col.type}`;
  return undefined;
}

function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

async function rowCount(c: Client, table: string): Promise<number> {
  return Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n ?? 0);
}

/** The INSERT … SELECT that adds `rows` rows to `table`. */
async function insertSql(c: Client, table: string, rows: number): Promise<string> {
  const columns = await columnsOf(c, table);
  const fks = await foreignKeysOf(c, table);
  const targets: string[] = [];
  const values: string[] = [];
  const joins: string[] = [];
  const byFk = new Map<string, { alias: string; column: string }>();
  for (let i = 0; i < fks.length; i++) {
    const fk = fks[i] as ForeignKey;
    const count = await rowCount(c, fk.parent);
    if (count === 0) continue;
    const alias = `p${i}`;
    const cols = fk.parentColumns.map((p, j) => `${qi(p)} AS c${j}`).join(', ');
    joins.push(`JOIN (SELECT ${cols}, row_number() OVER () - 1 AS rn FROM ${fk.parent}) ${alias} ON ${alias}.rn = g % ${count}`);
    fk.columns.forEach((col, j) => byFk.set(col, { alias, column: `c${j}` }));
  }
  const fkColumns = new Set(fks.flatMap((f) => f.columns));
  for (const col of columns) {
    if (col.serverFills) continue;
    const ref = byFk.get(col.name);
    if (ref) {
      targets.push(qi(col.name));
      values.push(`${ref.alias}.${ref.column}`);
      continue;
    }
    if (fkColumns.has(col.name)) {
      if (col.notNull) throw new Error(`cannot fill ${table}: ${col.name} references an empty table`);
      continue; // stays NULL
    }
    const expr = valueExpression(col);
    if (expr === undefined) {
      if (col.notNull) throw new Error(`cannot fill ${table}: no generator for column ${col.name} of type ${col.type}`);
      continue;
    }
    targets.push(qi(col.name));
    values.push(expr);
  }
  const cols = targets.length ? `(${targets.join(', ')})` : '';
  const select = targets.length ? values.join(', ') : '';
  if (!targets.length) return `INSERT INTO ${table} SELECT FROM generate_series(1, ${rows}) g`;
  return `INSERT INTO ${table} ${cols} SELECT ${select} FROM generate_series(1::bigint, ${rows}) g ${joins.join(' ')}`;
}

/** Regclass text of a configured table name, or undefined when it does not exist before the migration. */
async function resolveTable(c: Client, name: string): Promise<string | undefined> {
  const r = await c.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [name]);
  return r.rows[0]?.t ?? undefined;
}

/**
 * Fills the configured tables (parents first). `tables`: configured name → rows wanted.
 * Returns what was filled; tables that do not exist yet are skipped (the migration creates them).
 */
export async function fillTables(c: Client, tables: Record<string, number>, cap: number): Promise<{ filled: FilledTable[]; skipped: string[] }> {
  const filled: FilledTable[] = [];
  const skipped: string[] = [];
  const done = new Set<string>();
  const configured = new Map<string, number>();
  for (const [name, rows] of Object.entries(tables)) {
    const t = await resolveTable(c, name);
    if (t) configured.set(t, rows);
    else skipped.push(name);
  }
  await c.query("SET session_replication_role = 'replica'").catch(() => undefined);
  const fill = async (table: string, path: string[]): Promise<void> => {
    if (done.has(table) || path.includes(table)) return;
    for (const fk of await foreignKeysOf(c, table)) {
      if (fk.parent === table) continue;
      const parentColumnsNullable = (await columnsOf(c, table)).filter((col) => fk.columns.includes(col.name)).every((col) => !col.notNull);
      if (configured.has(fk.parent) || (!parentColumnsNullable && (await rowCount(c, fk.parent)) === 0)) await fill(fk.parent, [...path, table]);
    }
    done.add(table);
    const wanted = configured.get(table);
    const rows = Math.min(wanted ?? PARENT_ROWS, cap);
    if (rows <= 0) return;
    const t0 = performance.now();
    try {
      await c.query(await insertSql(c, table, rows));
    } catch (err) {
      throw new Error(`generating ${rows} rows for ${table} failed: ${(err as Error).message}`);
    }
    filled.push({ table, rows, configuredRows: wanted ?? null, ms: performance.now() - t0 });
  };
  try {
    for (const table of configured.keys()) await fill(table, []);
  } finally {
    await c.query('RESET session_replication_role').catch(() => undefined);
  }
  for (const f of filled) {
    const t0 = performance.now();
    await c.query(`VACUUM ANALYZE ${f.table}`);
    f.ms += performance.now() - t0;
  }
  return { filled, skipped };
}
