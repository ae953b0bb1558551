/**
 * Reads what the analysis can use from a configured database: table sizes, the server's major
 * version, the role's timeouts and its indexes (valid and INVALID). Only catalog reads, inside a
 * READ ONLY transaction that is rolled back, with short timeouts. The URL's password never
 * appears in an error: every message passes through `redact`.
 */
import { Client } from 'pg';
import type { DatabaseFacts } from '../engine';
import { describeUrl, redact } from '../trace/session/redact';

const TIMEOUT_MS = 5_000;

/** A failure to read facts, with a message safe to print (no credentials). */
export class DatabaseFactsError extends Error {}

// Ordinary, partitioned and materialized relations outside the system schemas. `public.` is
// stripped so the names match the engine's keys (tableSize looks up `events` for `public.events`).
const TABLES_SQL = `
SELECT CASE WHEN n.nspname = 'public' THEN '' ELSE n.nspname || '.' END || c.relname AS name,
       c.reltuples::float8 AS reltuples,
       pg_total_relation_size(c.oid)::float8 AS bytes
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`;

// indkey lists the key columns in order (0 for an expression). Partial indexes do not serve a
// foreign key's lookups in general, so they are left out of `indexes`.
const INDEXES_SQL = `
SELECT CASE WHEN n.nspname = 'public' THEN '' ELSE n.nspname || '.' END || ic.relname AS name,
       CASE WHEN n.nspname = 'public' THEN '' ELSE n.nspname || '.' END || tc.relname AS "table",
       i.indisvalid AS valid,
       i.indpred IS NOT NULL AS partial,
       ARRAY(SELECT a.attname FROM unnest(i.indkey[0:i.indnkeyatts - 1]) WITH ORDINALITY AS k(attnum, ord)
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             ORDER BY k.ord)::text[] AS columns
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'`;

interface IndexRow {
  name: string;
  table: string;
  valid: boolean;
  partial: boolean;
  columns: Array<string | null>;
}

/** `current_setting('statement_timeout')` ("0", "5s", "250ms", "1min") in milliseconds. */
export function settingToMs(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?\s*$/.exec(value);
  if (!m) return 0;
  const factor = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 'ms'] ?? 1;
  return Math.round(Number(m[1]) * factor);
}

export async function readDatabaseFacts(url: string): Promise<DatabaseFacts> {
  const fail = (err: unknown, what: string): DatabaseFactsError =>
    new DatabaseFactsError(`${what} ${describeUrl(url)}: ${redact(err instanceof Error ? err.message : String(err), url)}`);
  let client: Client | undefined;
  try {
    client = new Client({
      connectionString: url,
      connectionTimeoutMillis: TIMEOUT_MS,
      // Client-side bound too, in case the server never answers.
      query_timeout: TIMEOUT_MS * 2,
      application_name: 'pg-migration-guard facts',
    });
    client.on('error', () => undefined);
    await client.connect();
  } catch (err) {
    await client?.end().catch(() => undefined);
    throw fail(err, 'cannot connect to');
  }
  try {
    await client.query('BEGIN READ ONLY');
    // The role's timeouts (from ALTER ROLE / ALTER DATABASE / postgresql.conf: what the migration
    // runner's session gets), read before our own SET LOCAL statement_timeout hides them.
    const settings = await client.query<{ v: string; st: string; lt: string }>(
      "SELECT current_setting('server_version_num') AS v, current_setting('statement_timeout') AS st, current_setting('lock_timeout') AS lt",
    );
    await client.query(`SET LOCAL statement_timeout = ${TIMEOUT_MS}`);
    const tables = await client.query<{ name: string; reltuples: number; bytes: number }>(TABLES_SQL);
    const indexes = await client.query<IndexRow>(INDEXES_SQL);
    await client.query('ROLLBACK');
    const s = settings.rows[0];
    return {
      major: Math.floor(Number(s?.v ?? 0) / 10_000),
      statementTimeoutMs: settingToMs(s?.st ?? '0'),
      lockTimeoutMs: settingToMs(s?.lt ?? '0'),
      ...collect(tables.rows, indexes.rows),
    };
  } catch (err) {
    throw fail(err, 'cannot read facts from');
  } finally {
    await client.end().catch(() => undefined);
  }
}

function collect(
  tableRows: ReadonlyArray<{ name: string; reltuples: number; bytes: number }>,
  indexRows: readonly IndexRow[],
): Pick<DatabaseFacts, 'tables' | 'indexes' | 'invalidIndexes'> {
  const tables: DatabaseFacts['tables'] = {};
  // reltuples is -1 on PostgreSQL 14+ for a table never vacuumed or analysed: unknown, not empty.
  for (const t of tableRows) tables[t.name] = { ...(t.reltuples >= 0 ? { rows: Math.round(t.reltuples) } : {}), bytes: t.bytes };
  const indexes: DatabaseFacts['indexes'] = [];
  const invalidIndexes: DatabaseFacts['invalidIndexes'] = [];
  for (const i of indexRows) {
    if (!i.valid) invalidIndexes.push({ name: i.name, table: i.table });
    else if (!i.partial && i.columns.every((c) => c !== null)) indexes.push({ name: i.name, table: i.table, columns: i.columns as string[] });
  }
  return { tables, indexes, invalidIndexes };
}

/** What the facts amount to, for the CLI's JSON `database` object and the language server's reply (never the URL). */
export function summarizeFacts(facts: DatabaseFacts): {
  serverMajor: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  tables: number;
  invalidIndexes: string[];
} {
  return {
    serverMajor: facts.major,
    statementTimeoutMs: facts.statementTimeoutMs,
    lockTimeoutMs: facts.lockTimeoutMs,
    tables: Object.keys(facts.tables).length,
    invalidIndexes: facts.invalidIndexes.map((i) => i.name),
  };
}

/**
 * Facts per database URL, kept in memory until refreshed: the CLI reads once per run, the
 * language server on the client's refresh request. Concurrent reads of one URL share one query.
 */
export class DatabaseFactsCache {
  private readonly entries = new Map<string, Promise<DatabaseFacts>>();

  constructor(private readonly read: (url: string) => Promise<DatabaseFacts> = readDatabaseFacts) {}

  /** The cached facts, read now when there are none (a failed read is not kept). */
  get(url: string): Promise<DatabaseFacts> {
    return this.entries.get(url) ?? this.refresh(url);
  }

  /** Reads again, replacing what was cached. */
  refresh(url: string): Promise<DatabaseFacts> {
    const p = this.read(url);
    this.entries.set(url, p);
    p.catch(() => {
      if (this.entries.get(url) === p) this.entries.delete(url);
    });
    return p;
  }
}
