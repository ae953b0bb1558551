/**
 * Reads the configured database's facts (table sizes, server version, INVALID indexes) through the
 * server's `pgMigrationGuard/refreshDatabaseFacts`: after "Set database URL", and at start when a
 * URL is stored and the workspace is trusted. Failures are logged and shown with secrets removed.
 */
import { type LogOutputChannel, window } from 'vscode';
import type { DatabaseFactsSummary } from '../../../protocol/protocol';
import { redactSecrets } from '../logging/redact-secrets';
import type { ServerRequests } from '../server-requests';
import { type DatabaseUrlStore, describeDatabaseUrl } from './database-url';

/** `notify`: also tell the user (a command they ran), not only the log (a background refresh at start). */
export async function refreshDatabaseFacts(
  server: ServerRequests,
  store: DatabaseUrlStore,
  log: LogOutputChannel,
  notify: boolean,
): Promise<DatabaseFactsSummary | undefined> {
  const url = await store.get();
  if (!url) return undefined;
  const where = describeDatabaseUrl(url);
  try {
    const facts = await server.refreshDatabaseFacts(url);
    const invalid = facts.invalidIndexes.length ? `; INVALID indexes: ${facts.invalidIndexes.join(', ')}` : '';
    const text = `read ${facts.tables} table sizes from ${where} (PostgreSQL ${facts.serverMajor})${invalid}`;
    log.info(`database facts: ${text}`);
    if (notify) void window.showInformationMessage(`Postgres Migration Guard: ${text}.`);
    return facts;
  } catch (err) {
    const message = redactSecrets(err instanceof Error ? err.message : String(err), store.knownSecrets());
    log.error(`database facts from ${where} failed: ${message}`);
    if (notify) void window.showErrorMessage(`Could not read the database ${where}: ${message}`);
    return undefined;
  }
}
