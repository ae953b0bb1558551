/**
 * "Trace migration": runs one migration file's up section on a real PostgreSQL and reports, per
 * statement, the locks taken (and how long they were held), rewrites, full scans, index builds and
 * timings, compared with the engine's static prediction. Nothing is ever committed outside a
 * scratch database:
 * - embedded (default): a scratch database on the embedded server, built from the folder's earlier
 *   migrations and filled with the configured row counts; dropped afterwards, also on errors.
 * - a configured database (`databaseUrl`): one transaction, always rolled back; only for files
 *   that can run in one (no CONCURRENTLY, no BEGIN/COMMIT). Secrets never reach a message.
 * `statement_timeout` and `lock_timeout` are set on every session.
 */
import { Client } from 'pg';
import type { TraceReport } from '../../../../protocol/protocol';
import { type Analysis, type GuardConfig, lineOf } from '../../engine';
import type { PgServer } from '../servers';
import type { EmbeddedServerPool } from './embedded';
import { executeUnits, type ExecuteResult } from './execute';
import { fillTables } from './fill';
import { applyHistory } from './history';
import { describeUrl, redact } from './redact';
import { createScratch, dropAbandoned, dropScratch, scratchName } from './scratch';
import { executionUnits, hasTransactionControl, upStatements } from './units';

export const DEFAULT_ROWS_CAP = 2_000_000;

export interface TraceInput {
  path: string;
  /** The file's analysis, made with its configuration and the folder's history (as `lint` does). */
  analysis: Analysis;
  config: GuardConfig;
}

export interface TraceOptions {
  /** Upper bound on generated rows per table. */
  rowsCap?: number;
  statementTimeout?: string;
  lockTimeout?: string;
  /** Progress messages ("applying earlier migrations", "filling events (1,150,000 rows)", …). */
  progress?: (message: string, percent?: number) => void;
}

/** A refusal or failure whose message is safe to show (no secrets). */
export class TraceError extends Error {}

function baseReport(input: TraceInput, mode: 'embedded' | 'database-url'): TraceReport {
  return {
    version: 1,
    file: input.path,
    runner: input.analysis.runner.id,
    target: { mode, serverVersion: '', serverMajor: 0, predictedFor: input.config.pgVersion, startMs: 0, initdb: false, description: '' },
    history: { files: 0, statements: 0, ms: 0 },
    filled: [],
    fillMs: 0,
    statements: [],
    failed: false,
    disagreements: 0,
    cleanup: mode === 'embedded' ? 'scratch-database-dropped' : 'rolled-back',
    totalMs: 0,
    notes: [],
  };
}

function checkParsed(analysis: Analysis): void {
  const bad = upStatements(analysis.statements).find((s) => s.parseError);
  if (bad) throw new TraceError(`line ${lineOf(analysis, bad.start)} does not parse (${bad.parseError?.message}); fix it before tracing`);
}

function finish(report: TraceReport, run: ExecuteResult, t0: number): TraceReport {
  report.statements = run.statements;
  report.disagreements = run.statements.reduce((n, s) => n + s.mismatches.length, 0);
  report.failed = run.stoppedAt !== undefined;
  if (run.stoppedAt) report.notes.push(`stopped at line ${run.stoppedAt.line}: ${run.stoppedAt.error ?? 'error'} (the runner stops here too)`);
  if (report.target.serverMajor !== report.target.predictedFor)
    report.notes.push(
      `the prediction is for PostgreSQL ${report.target.predictedFor} (pgVersion), the trace ran on ${report.target.serverMajor}: version-dependent claims may differ`,
    );
  report.totalMs = performance.now() - t0;
  return report;
}

async function serverVersion(c: Client): Promise<{ version: string; major: number }> {
  const r = await c.query<{ v: string; n: string }>("SELECT current_setting('server_version') AS v, current_setting('server_version_num') AS n");
  return { version: r.rows[0]?.v ?? '?', major: Math.floor(Number(r.rows[0]?.n ?? 0) / 10000) };
}

/** Traces on a scratch database of the embedded server (the pool starts it on demand). */
export async function traceOnEmbedded(input: TraceInput, pool: EmbeddedServerPool, options: TraceOptions = {}): Promise<TraceReport> {
  const t0 = performance.now();
  const report = baseReport(input, 'embedded');
  checkParsed(input.analysis);
  if (input.analysis.statements.some((s) => s.section === 'up') === false) throw new TraceError('the file has no up section to trace');
  const progress = options.progress ?? (() => undefined);
  progress('starting the embedded PostgreSQL', 0);
  const lease = await pool.acquire();
  report.target.startMs = lease.startMs;
  report.target.initdb = lease.initdb;
  const server: PgServer = lease.server;
  const admin = await server.connect();
  const db = scratchName();
  try {
    await dropAbandoned(admin);
    const v = await serverVersion(admin);
    report.target.serverVersion = v.version;
    report.target.serverMajor = v.major;
    report.target.description = `embedded PostgreSQL ${v.version} on 127.0.0.1:${server.port}, scratch database ${db}`;
    await createScratch(admin, db);
    const main = await server.connect(db);
    try {
      progress('applying the earlier migrations', 5);
      report.history = await applyHistory(main, input.path, input.analysis.runner.id, input.config);
      const cap = options.rowsCap ?? DEFAULT_ROWS_CAP;
      const wanted = Object.fromEntries(Object.entries(input.config.tables).flatMap(([t, size]) => (size.rows !== undefined ? [[t, size.rows]] : [])));
      progress(`generating rows (${Object.keys(wanted).join(', ') || 'no tables configured'})`, 15);
      const tFill = performance.now();
      const { filled, skipped } = await fillTables(main, wanted, cap);
      report.fillMs = performance.now() - tFill;
      report.filled = filled;
      for (const s of skipped) report.notes.push(`${s} (pg-migration-guard.json tables) does not exist before this migration: not filled`);
      for (const f of filled)
        if (f.configuredRows !== null && f.rows < f.configuredRows) report.notes.push(`${f.table}: ${f.rows} rows generated, capped from ${f.configuredRows}`);
      const run = await executeUnits(main, () => server.connect(db), executionUnits(input.analysis.statements), {
        mode: 'commit',
        statementTimeout: options.statementTimeout ?? '10min',
        lockTimeout: options.lockTimeout ?? '10s',
        lineOf: (s) => lineOf(input.analysis, s.start),
        clean: (m) => m,
        onStatement: (s, done, total) =>
          progress(`line ${lineOf(input.analysis, s.start)}: ${s.text.replace(/\s+/g, ' ').slice(0, 50)}`, 30 + (70 * done) / total),
      });
      return finish(report, run, t0);
    } finally {
      await main.end().catch(() => undefined);
    }
  } finally {
    await dropScratch(admin, db).catch(() => undefined);
    await admin.end().catch(() => undefined);
    lease.release();
  }
}

/**
 * Why a file cannot be traced on a configured database (one transaction, rolled back), or
 * undefined when it can.
 */
export function databaseUrlRefusal(analysis: Analysis): string | undefined {
  const line = (offset: number): number => lineOf(analysis, offset);
  const control = hasTransactionControl(analysis.statements);
  if (control)
    return `line ${line(control.start)} controls the transaction (${control.text.trim().slice(0, 30)}): a trace on a configured database runs inside one transaction that is always rolled back, so this file is traced only on the embedded server`;
  const outside = upStatements(analysis.statements).find((s) => s.noTransactionBlock);
  if (outside)
    return `line ${line(outside.start)} cannot run inside a transaction block (${outside.text.trim().slice(0, 40)}): CONCURRENTLY and similar statements are traced only on the embedded server`;
  return undefined;
}

/** Traces inside one transaction on a configured database, and always rolls it back. */
export async function traceOnDatabaseUrl(input: TraceInput, url: string, options: TraceOptions = {}): Promise<TraceReport> {
  const t0 = performance.now();
  const report = baseReport(input, 'database-url');
  checkParsed(input.analysis);
  const refusal = databaseUrlRefusal(input.analysis);
  if (refusal) throw new TraceError(refusal);
  const clean = (m: string): string => redact(m, url);
  const connect = async (): Promise<Client> => {
    const c = new Client({ connectionString: url, application_name: 'pg-migration-guard trace' });
    c.on('error', () => undefined);
    try {
      await c.connect();
    } catch (err) {
      await c.end().catch(() => undefined);
      throw new TraceError(`cannot connect to ${describeUrl(url)}: ${clean((err as Error).message)}`);
    }
    return c;
  };
  let main: Client;
  try {
    main = await connect();
  } catch (err) {
    throw err instanceof TraceError ? err : new TraceError(clean((err as Error).message));
  }
  try {
    const v = await serverVersion(main);
    report.target.serverVersion = v.version;
    report.target.serverMajor = v.major;
    report.target.description = describeUrl(url);
    options.progress?.('running the migration in a transaction that will be rolled back', 10);
    const run = await executeUnits(main, connect, executionUnits(input.analysis.statements), {
      mode: 'rollback',
      statementTimeout: options.statementTimeout ?? '60s',
      lockTimeout: options.lockTimeout ?? '5s',
      lineOf: (s) => lineOf(input.analysis, s.start),
      clean,
      onStatement: (s, done, total) => options.progress?.(`line ${lineOf(input.analysis, s.start)}`, 10 + (90 * done) / total),
    });
    report.notes.push('everything ran in one transaction that was rolled back; held times assume the runner commits where its transactions end');
    return finish(report, run, t0);
  } catch (err) {
    throw err instanceof TraceError ? err : new TraceError(clean((err as Error).message));
  } finally {
    await main.end().catch(() => undefined);
  }
}
