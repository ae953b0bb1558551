/**
 * `pgMigrationGuard/refreshDatabaseFacts`: the client sends the database URL it keeps in its
 * SecretStorage; the server reads the facts (read-only catalog queries), keeps them for every
 * analysis and re-validates the open documents. The URL is never logged; errors are redacted.
 */
import { type Connection, ResponseError } from 'vscode-languageserver/node';
import { type DatabaseFactsSummary, type RefreshDatabaseFactsParams, Requests } from '../../../../protocol/protocol';
import { DatabaseFactsCache, summarizeFacts } from '../../node/database-facts';
import { redact } from '../../trace/session/redact';
import type { Analyses } from '../analyses';

export function registerDatabaseFactsRequest(connection: Connection, analyses: Analyses, revalidate: () => void): void {
  const cache = new DatabaseFactsCache();
  connection.onRequest(Requests.refreshDatabaseFacts, async (params: RefreshDatabaseFactsParams): Promise<DatabaseFactsSummary> => {
    const url = typeof params?.databaseUrl === 'string' ? params.databaseUrl : '';
    if (!url) throw new ResponseError(-32602, 'expected { databaseUrl }');
    try {
      analyses.databaseFacts = await cache.refresh(url);
      return summarizeFacts(analyses.databaseFacts);
    } catch (err) {
      // Diagnostics must not keep claiming sizes "per the database" from a database that cannot be read now.
      analyses.databaseFacts = undefined;
      throw new ResponseError(-32603, redact(err instanceof Error ? err.message : String(err), url));
    } finally {
      revalidate();
    }
  });
}
