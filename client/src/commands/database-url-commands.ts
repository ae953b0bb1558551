/**
 * "Set database URL" / "Clear database URL": the URL goes to SecretStorage only (never settings,
 * never the log). Tests (and other extensions) may pass the URL as the argument to skip the input box.
 */
import { type LogOutputChannel, window } from 'vscode';
import { type DatabaseUrlStore, databaseUrlProblem, describeDatabaseUrl } from '../database/database-url';
import { refreshDatabaseFacts } from '../database/database-facts';
import type { ServerRequests } from '../server-requests';
import { databaseFeaturesAllowed } from '../workspace-trust';

/** Stores the URL, then reads the database's facts with it. Returns whether a URL was stored. */
export async function setDatabaseUrl(server: ServerRequests, store: DatabaseUrlStore, log: LogOutputChannel, arg?: unknown): Promise<boolean> {
  if (!databaseFeaturesAllowed()) return false;
  let value = typeof arg === 'string' ? arg : undefined;
  if (value === undefined) {
    value = await window.showInputBox({
      title: 'Postgres Migration Guard: database URL',
      prompt: 'Stored in VS Code\'s secret storage, never in settings. Used by "Trace migration" when pgMigrationGuard.trace.target is "database".',
      placeHolder: 'postgres://user:password@host:5432/database',
      password: true,
      ignoreFocusOut: true,
      validateInput: (text) => databaseUrlProblem(text),
    });
    if (value === undefined) return false;
  }
  const problem = databaseUrlProblem(value);
  if (problem) {
    void window.showErrorMessage(`Set database URL: ${problem}`);
    return false;
  }
  await store.set(value.trim());
  log.info(`database URL set (${describeDatabaseUrl(value.trim())}); stored in secret storage`);
  await refreshDatabaseFacts(server, store, log, true);
  return true;
}

export async function clearDatabaseUrl(store: DatabaseUrlStore, log: LogOutputChannel): Promise<void> {
  if (!databaseFeaturesAllowed()) return;
  await store.clear();
  log.info('database URL cleared from secret storage');
  void window.showInformationMessage('Database URL cleared.');
}

/** "Refresh database facts": reads them again with the stored URL (the cache otherwise lasts the session). */
export async function refreshStoredDatabaseFacts(server: ServerRequests, store: DatabaseUrlStore, log: LogOutputChannel): Promise<void> {
  if (!databaseFeaturesAllowed()) return;
  if (!(await store.get())) {
    void window.showInformationMessage('No database URL is stored: run "Postgres Migration Guard: Set Database URL" first.');
    return;
  }
  await refreshDatabaseFacts(server, store, log, true);
}
