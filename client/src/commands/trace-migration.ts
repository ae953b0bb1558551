/**
 * "Trace migration": runs the migration on a real PostgreSQL through the server's
 * `pgMigrationGuard/trace` (the server reports progress with window/workDoneProgress, shown as a
 * notification). The target is the embedded server unless the user chose the configured database
 * (`pgMigrationGuard.trace.target` = "database"); only then is the URL read from SecretStorage.
 * On success the checklist opens (or refreshes) with the trace in item 1.
 */
import { commands, type LogOutputChannel, type Uri, window, workspace } from 'vscode';
import type { TraceParams, TraceReport } from '../../../protocol/protocol';
import type { ChecklistPanels } from '../checklist/checklist-panel';
import { DatabaseCommands, type DatabaseUrlStore, describeDatabaseUrl } from '../database/database-url';
import { redactSecrets } from '../logging/redact-secrets';
import type { ServerRequests } from '../server-requests';
import { databaseFeaturesAllowed } from '../workspace-trust';

export interface TraceDeps {
  server: ServerRequests;
  store: DatabaseUrlStore;
  checklists: ChecklistPanels;
  log: LogOutputChannel;
}

export type TraceTarget = 'embedded' | 'database';

export function traceTarget(uri: Uri): TraceTarget {
  return workspace.getConfiguration('pgMigrationGuard', uri).get<string>('trace.target') === 'database' ? 'database' : 'embedded';
}

/** `target`: the migration (from the code lens or a caller); resolves to the report, or undefined when nothing was traced. */
export async function traceMigration(deps: TraceDeps, target: Uri | undefined): Promise<TraceReport | undefined> {
  if (!databaseFeaturesAllowed()) return undefined;
  if (!target) {
    void window.showInformationMessage('Trace migration: open a migration file first (a SQL file matching pgMigrationGuard.migrationGlobs).');
    return undefined;
  }
  const { server, store, checklists, log } = deps;
  // The server analyses open documents only.
  await workspace.openTextDocument(target);
  const params: TraceParams = { uri: target.toString() };
  const config = workspace.getConfiguration('pgMigrationGuard', target);
  const rowsCap = config.get<number | null>('trace.rowsCap');
  if (typeof rowsCap === 'number' && rowsCap >= 0) params.rowsCap = rowsCap;
  let where = 'the embedded PostgreSQL';
  if (traceTarget(target) === 'database') {
    const url = await store.get();
    if (!url) {
      const choice = await window.showWarningMessage(
        'Trace migration: pgMigrationGuard.trace.target is "database" but no database URL is stored.',
        'Set Database URL',
      );
      if (choice) await commands.executeCommand(DatabaseCommands.setDatabaseUrl);
      return undefined;
    }
    params.databaseUrl = url;
    where = `${describeDatabaseUrl(url)} (in a rolled-back transaction)`;
  }

  const name = target.path.split('/').pop() ?? target.toString();
  log.info(`trace ${name} on ${where}`);
  let report: TraceReport;
  try {
    report = await server.trace(params);
  } catch (err) {
    const message = redactSecrets(err instanceof Error ? err.message : String(err), store.knownSecrets());
    log.error(`trace of ${name} failed: ${message}`);
    void window.showErrorMessage(`Trace migration failed: ${message}`);
    return undefined;
  }
  const summary = `${report.statements.length} statements traced on PostgreSQL ${report.target.serverVersion} in ${report.totalMs} ms; ${report.disagreements} disagreement(s) with the prediction`;
  log.info(`trace of ${name}: ${summary}${report.notes.length ? `; ${report.notes.join('; ')}` : ''}`);
  checklists.show(target);
  if (report.failed) {
    void window.showWarningMessage(
      `Trace migration: ${report.statements.some((s) => !s.ok) ? 'a statement failed' : 'the trace disagrees with the prediction'} (see the checklist).`,
    );
  }
  return report;
}
