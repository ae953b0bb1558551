/**
 * Databases on one PostgreSQL 15 server (Debian's binaries, which include psql and pg_dump 15):
 * a template per fixture (setup migrations applied by the runner, rows filled by psql), copies of
 * it, sequences applied to the copies, and schema-only dumps.
 */
import { execFile as execFileCb } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import type { Client } from 'pg';
import type { PgServer } from '../../server/src/trace/servers';
import type { MigrationRunner, Target } from './runners';
import type { Sequence } from './sequence';

const execFile = promisify(execFileCb);

export class Cluster {
  constructor(
    readonly server: PgServer,
    private readonly binDir: string,
    private readonly admin: Client,
  ) {}

  url(db: string): string {
    return `postgres://postgres@127.0.0.1:${this.server.port}/${db}?sslmode=disable`;
  }

  target(db: string): Target {
    return { url: this.url(db), connect: () => this.server.connect(db) };
  }

  private async tool(name: string, args: string[]): Promise<string> {
    try {
      const { stdout } = await execFile(join(this.binDir, name), ['-h', '127.0.0.1', '-p', String(this.server.port), '-U', 'postgres', ...args], {
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000,
      });
      return stdout;
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`${name} ${args.join(' ')} failed: ${e.stderr || e.message}`);
    }
  }

  /** `psql -v ON_ERROR_STOP=1 -f file`, as an operator runs a script. */
  async psqlFile(db: string, file: string, vars: Record<string, string> = {}): Promise<void> {
    const v = Object.entries(vars).flatMap(([k, val]) => ['-v', `${k}=${val}`]);
    await this.tool('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...v, '-d', db, '-f', file]);
  }

  /** `pg_dump --schema-only` (a fixed \restrict key: pg_dump 15.14+ otherwise writes a random one into every dump). */
  async dumpSchema(db: string): Promise<string> {
    return this.tool('pg_dump', ['--schema-only', '--restrict-key=equivalence', '-d', db]);
  }

  /** FILE_COPY copies the template's files (faster here than PG 15's default WAL_LOG, which logs every block). */
  async create(db: string, template?: string): Promise<void> {
    await this.admin.query(`CREATE DATABASE ${db}${template ? ` TEMPLATE ${template} STRATEGY FILE_COPY` : ''}`);
  }

  async drop(db: string): Promise<void> {
    await this.admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  }

  async query<T extends object>(db: string, sql: string): Promise<T[]> {
    const c = await this.server.connect(db);
    try {
      return (await c.query<T>(sql)).rows as T[];
    } finally {
      await c.end();
    }
  }
}

/** A folder holding only `files` of `dir`, for a runner that applies every pending migration it sees. */
export function stage(dir: string, files: readonly string[]): string {
  const out = mkdtempSync(join(dir, '..', '.stage-'));
  for (const f of files) cpSync(join(dir, basename(f)), join(out, basename(f)));
  return out;
}

/** What a template depends on: fixtures with the same runner, setup, fill script and row count share one. */
export function templateKey(runner: MigrationRunner, seq: Sequence, fill: string, rows: number): string {
  const h = createHash('sha256').update(`${runner.name}\0${rows}\0${readFileSync(fill, 'utf8')}`);
  for (const f of seq.setup) h.update(`\0${f}\0${readFileSync(join(seq.migrationsDir, f), 'utf8')}`);
  return h.digest('hex');
}

/** Setup migrations by the runner, then the rows: the state every copy starts from. */
export async function buildTemplate(cluster: Cluster, runner: MigrationRunner, seq: Sequence, db: string, fill: string, rows: number): Promise<void> {
  await cluster.create(db);
  await runner.apply(stage(seq.migrationsDir, seq.setup), cluster.target(db));
  await cluster.psqlFile(db, fill, { rows: String(rows) });
  await cluster.query(db, 'VACUUM ANALYZE');
}

/**
 * Applies the steps after the setup with the runner: migrations in batches up to each script, the
 * script with psql, then the rest. The runner only applies what its ledger lacks, as on a deploy.
 */
export async function applySequence(cluster: Cluster, runner: MigrationRunner, seq: Sequence, db: string): Promise<void> {
  const done: string[] = [...seq.setup];
  for (const step of seq.steps) {
    if (step.kind === 'migration') {
      done.push(basename(step.file));
      continue;
    }
    await runner.apply(stage(seq.migrationsDir, done), cluster.target(db));
    await cluster.psqlFile(db, step.file);
  }
  await runner.apply(stage(seq.migrationsDir, done), cluster.target(db));
}
