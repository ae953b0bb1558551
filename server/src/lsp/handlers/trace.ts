/**
 * `pgMigrationGuard/trace`: runs the document's migration on a real PostgreSQL (the embedded server,
 * started on demand in the client's global storage and stopped when idle, or the configured database
 * the client passes from its SecretStorage, in a rolled-back transaction). Reports progress with
 * window/workDoneProgress and keeps the result for hovers and the checklist.
 */
import { join } from 'node:path';
import { type CodeLens, type Connection, ResponseError } from 'vscode-languageserver/node';
import { ClientCommands, Requests, type TraceParams, type TraceReport } from '../../../../protocol/protocol';
import type { Analysis } from '../../engine';
import { EmbeddedServerPool, usableDataDir } from '../../trace/session/embedded';
import { redact } from '../../trace/session/redact';
import { TraceResults } from '../../trace/session/results';
import { TraceError, traceOnDatabaseUrl, traceOnEmbedded } from '../../trace/session/run-trace';
import { type DocumentAnalysis, filePath } from '../analyses';

/** The embedded server stops after this long without a trace. */
export const EMBEDDED_IDLE_MS = 5 * 60_000;

export interface TraceDeps {
  current(uri: string): Promise<DocumentAnalysis | undefined>;
  logError(err: unknown): void;
}

export function registerTraceRequest(connection: Connection, deps: TraceDeps, results: TraceResults, globalStoragePath: () => string | undefined): void {
  let pool: EmbeddedServerPool | undefined;
  const poolFor = (): EmbeddedServerPool => {
    const base = globalStoragePath();
    pool ??= new EmbeddedServerPool(usableDataDir(base ? join(base, 'pg18') : undefined), EMBEDDED_IDLE_MS);
    return pool;
  };

  connection.onRequest(Requests.trace, async (params: TraceParams): Promise<TraceReport> => {
    if (typeof params?.uri !== 'string') throw new ResponseError(-32602, 'expected { uri }');
    const url = typeof params.databaseUrl === 'string' && params.databaseUrl ? params.databaseUrl : undefined;
    const result = await deps.current(params.uri);
    const path = filePath(params.uri);
    if (!result || !path) throw new ResponseError(-32602, 'the document is not an open migration file on disk');
    const progress = await connection.window.createWorkDoneProgress();
    progress.begin('Tracing migration', 0, 'starting', true);
    try {
      const input = { path, analysis: result.analysis, config: result.analysis.config };
      const options = {
        ...(typeof params.rowsCap === 'number' && params.rowsCap >= 0 ? { rowsCap: params.rowsCap } : {}),
        progress: (message: string, percent?: number) => progress.report(Math.round(percent ?? 0), message),
      };
      const report = url ? await traceOnDatabaseUrl(input, url, options) : await traceOnEmbedded(input, poolFor(), options);
      results.set(params.uri, report, statementTexts(result.analysis));
      return report;
    } catch (err) {
      const message = redact(err instanceof Error ? err.message : String(err), url);
      if (!(err instanceof TraceError)) deps.logError(new Error(`trace failed: ${message}`));
      throw new ResponseError(-32603, message);
    } finally {
      progress.done();
    }
  });

  connection.onShutdown(async () => {
    await pool?.stop();
  });
}

function statementTexts(analysis: Analysis): Map<number, string> {
  return new Map(analysis.statements.map((s) => [s.index, s.text]));
}

/** "Trace migration" on the first line, for clients that implement the command. */
export function traceLens(uri: string): CodeLens {
  const at = { line: 0, character: 0 };
  return { range: { start: at, end: at }, command: { title: 'Trace migration', command: ClientCommands.traceMigration, arguments: [uri] } };
}
