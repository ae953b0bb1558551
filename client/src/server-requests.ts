/** The server's custom requests, typed (protocol/protocol.ts), behind one small interface the features share. */
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  type ChecklistData,
  type CostCommentEdit,
  type CostCommentParams,
  type DatabaseFactsSummary,
  type DocumentParams,
  type RecoverySnippetResult,
  type RefreshDatabaseFactsParams,
  Requests,
  type TraceParams,
  type TraceReport,
} from '../../protocol/protocol';

export interface ServerRequests {
  checklist(uri: string): Promise<ChecklistData | null>;
  recoverySnippet(uri: string): Promise<RecoverySnippetResult | null>;
  costComment(params: CostCommentParams): Promise<CostCommentEdit | null>;
  /** Rejects with the server's (redacted) message when the trace could not run. */
  trace(params: TraceParams): Promise<TraceReport>;
  /** Rejects with the server's (redacted) message when the database cannot be read. */
  refreshDatabaseFacts(databaseUrl: string): Promise<DatabaseFactsSummary>;
}

export function serverRequests(client: LanguageClient): ServerRequests {
  return {
    checklist: (uri) => client.sendRequest<ChecklistData | null>(Requests.checklist, { uri } satisfies DocumentParams),
    recoverySnippet: (uri) => client.sendRequest<RecoverySnippetResult | null>(Requests.recoverySnippet, { uri } satisfies DocumentParams),
    costComment: (params) => client.sendRequest<CostCommentEdit | null>(Requests.costComment, params),
    trace: (params) => client.sendRequest<TraceReport>(Requests.trace, params),
    refreshDatabaseFacts: (databaseUrl) =>
      client.sendRequest<DatabaseFactsSummary>(Requests.refreshDatabaseFacts, { databaseUrl } satisfies RefreshDatabaseFactsParams),
  };
}
