/**
 * Applies a migration folder to a database the way each runner does. dbmate is the real binary
 * (npm @dbmate/linux-x64). goose and golang-migrate have no npm build, so they are re-implemented
 * here from their documented and source-read semantics (notes/runners.md, and the facts
 * server/src/engine/model/runner.ts encodes):
 * - goose: files `<version>_<name>.sql`, numeric order; `-- +goose Up` section split line by line
 *   (a statement ends on a line whose last word ends with `;`, or spans StatementBegin/End); each
 *   statement is its own Exec, all in one transaction with the ledger insert unless the file says
 *   `-- +goose NO TRANSACTION`; ledger `goose_db_version`, seeded with version 0.
 * - golang-migrate: files `<version>_<name>.up.sql`, numeric order; the whole file is ONE query
 *   string (an implicit transaction when it holds several statements), no BEGIN from the runner;
 *   ledger `schema_migrations(version bigint, dirty boolean)` with one row, set dirty before the
 *   file runs and clean after.
 */
import { execFile as execFileCb } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Client } from 'pg';
import { compareVersions } from '../../server/src/engine';
import type { RunnerName } from './fixture';

const execFile = promisify(execFileCb);

export const DBMATE = join(__dirname, '..', '..', 'node_modules', '@dbmate', 'linux-x64', 'bin', 'dbmate');

export interface Target {
  /** postgres://… URL of the database (for dbmate). */
  url: string;
  /** A new connection to the database (for the re-implemented runners). */
  connect(): Promise<Client>;
}

export interface MigrationRunner {
  name: RunnerName;
  /** Files of the folder the runner applies, in its order. */
  migrations(dir: string): string[];
  /** The version the runner records for a migration file. */
  version(file: string): string;
  /** Applies every pending migration of `dir`. */
  apply(dir: string, target: Target): Promise<void>;
}

function listSorted(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => pattern.test(f))
    .sort((a, b) => compareVersions(/^\d+/.exec(a)?.[0] ?? a, /^\d+/.exec(b)?.[0] ?? b) || (a < b ? -1 : 1));
}

const dbmate: MigrationRunner = {
  name: 'dbmate',
  // dbmate's migrationFileRegexp: ^(\d+).*\.sql$
  migrations: (dir) => listSorted(dir, /^\d+.*\.sql$/),
  version: (file) => /^\d+/.exec(file)?.[0] ?? '',
  async apply(dir, target) {
    if (!existsSync(DBMATE)) throw new Error(`${DBMATE} not found: npm package @dbmate/linux-x64 is not installed`);
    try {
      await execFile(DBMATE, ['--migrations-dir', dir, '--no-dump-schema', 'migrate'], {
        cwd: dir, // dbmate reads ./.env if present; the temp folder has none
        env: { ...process.env, DATABASE_URL: target.url },
        timeout: 120_000,
      });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`dbmate migrate failed: ${e.stderr || e.stdout || e.message}`);
    }
  },
};

/** goose's endsWithSemicolon: the last word before any `--` comment word ends with `;`. */
function gooseEndsStatement(line: string): boolean {
  let last = '';
  for (const word of line.trim().split(/\s+/)) {
    if (word.startsWith('--')) break;
    last = word;
  }
  return last.endsWith(';');
}

export interface GooseFile {
  noTransaction: boolean;
  up: string[];
}

/** goose's line-based parser, up direction only. */
export function parseGoose(text: string): GooseFile {
  const up: string[] = [];
  let noTransaction = false;
  let section: 'none' | 'up' | 'down' = 'none';
  let inBlock = false;
  let buf: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('--') && line.includes('+goose')) {
      const directive = line
        .slice(line.indexOf('+goose') + '+goose'.length)
        .trim()
        .toUpperCase();
      if (directive === 'UP') section = 'up';
      else if (directive === 'DOWN') section = 'down';
      else if (directive === 'NO TRANSACTION') noTransaction = true;
      else if (directive === 'STATEMENTBEGIN') inBlock = true;
      else if (directive === 'STATEMENTEND') {
        inBlock = false;
        if (section === 'up' && buf.length) up.push(buf.join('\n'));
        buf = [];
      } else if (!directive.startsWith('ENVSUB')) throw new Error(`goose: unknown annotation ${line}`);
      continue;
    }
    if (section !== 'up') continue;
    // Comments and blank lines before a statement are dropped.
    if (buf.length === 0 && !inBlock && (line.trim() === '' || line.trim().startsWith('--'))) continue;
    buf.push(line);
    if (!inBlock && gooseEndsStatement(line)) {
      up.push(buf.join('\n'));
      buf = [];
    }
  }
  if (buf.some((l) => l.trim() !== '')) throw new Error('goose: the last statement has no terminating semicolon');
  return { noTransaction, up };
}

const goose: MigrationRunner = {
  name: 'goose',
  migrations: (dir) => listSorted(dir, /^\d+_.*\.sql$/),
  version: (file) => String(BigInt(/^\d+/.exec(file)?.[0] ?? '0')),
  async apply(dir, target) {
    const c = await target.connect();
    try {
      const exists = (await c.query<{ t: string | null }>("SELECT to_regclass('goose_db_version')::text AS t")).rows[0]?.t;
      if (!exists) {
        await c.query(
          'CREATE TABLE goose_db_version (id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp NOT NULL DEFAULT now())',
        );
        await c.query('INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true)');
      }
      const applied = new Set((await c.query<{ v: string }>('SELECT version_id::text AS v FROM goose_db_version WHERE is_applied')).rows.map((r) => r.v));
      for (const file of goose.migrations(dir)) {
        const version = goose.version(file);
        if (applied.has(version)) continue;
        const parsed = parseGoose(readFileSync(join(dir, file), 'utf8'));
        try {
          if (parsed.noTransaction) {
            for (const stmt of parsed.up) await c.query(stmt);
            await c.query('INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, true)', [version]);
          } else {
            await c.query('BEGIN');
            for (const stmt of parsed.up) await c.query(stmt);
            await c.query('INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, true)', [version]);
            await c.query('COMMIT');
          }
        } catch (err) {
          if (!parsed.noTransaction) await c.query('ROLLBACK').catch(() => undefined);
          throw new Error(`goose: ${file}: ${(err as Error).message}`);
        }
      }
    } finally {
      await c.end();
    }
  },
};

const golangMigrate: MigrationRunner = {
  name: 'golang-migrate',
  migrations: (dir) => listSorted(dir, /^\d+_.*\.up\.sql$/),
  version: (file) => String(BigInt(/^\d+/.exec(file)?.[0] ?? '0')),
  async apply(dir, target) {
    const c = await target.connect();
    const setVersion = async (version: string, dirty: boolean): Promise<void> => {
      await c.query('BEGIN');
      await c.query('TRUNCATE schema_migrations');
      await c.query('INSERT INTO schema_migrations (version, dirty) VALUES ($1, $2)', [version, dirty]);
      await c.query('COMMIT');
    };
    try {
      await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)');
      const row = (await c.query<{ version: string; dirty: boolean }>('SELECT version::text AS version, dirty FROM schema_migrations LIMIT 1')).rows[0];
      if (row?.dirty) throw new Error(`golang-migrate: database is dirty at version ${row.version}`);
      const current = BigInt(row?.version ?? '-1');
      for (const file of golangMigrate.migrations(dir)) {
        const version = golangMigrate.version(file);
        if (BigInt(version) <= current) continue;
        await setVersion(version, true);
        try {
          // The whole file in one simple-query Exec: node-pg sends a parameterless query that way.
          await c.query(readFileSync(join(dir, file), 'utf8'));
        } catch (err) {
          throw new Error(`golang-migrate: ${file}: ${(err as Error).message} (left dirty at ${version})`);
        }
        await setVersion(version, false);
      }
    } finally {
      await c.end();
    }
  },
};

export const RUNNERS: Record<RunnerName, MigrationRunner> = { dbmate, goose, 'golang-migrate': golangMigrate };
