/** The server's custom requests, typed (protocol/protocol.ts), behind one small interface the features share. */
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  type ChecklistData,
  type CostCommentEdit,
  type CostCommentParams,
  type DocumentParams,
  type RecoverySnippetResult,
  Requests,
} from '../../protocol/protocol';

export interface ServerRequests {
  checklist(uri: string): Promise<ChecklistData | null>;
  recoverySnippet(uri: string): Promise<RecoverySnippetResult | null>;
  costComment(params: CostCommentParams): Promise<CostCommentEdit | null>;
}

export function serverRequests(client: LanguageClient): ServerRequests {
  return {
    checklist: (uri) => client.sendRequest<ChecklistData | null>(Requests.checklist, { uri } satisfies DocumentParams),
    recoverySnippet: (uri) => client.sendRequest<RecoverySnippetResult | null>(Requests.recoverySnippet, { uri } satisfies DocumentParams),
    costComment: (params) => client.sendRequest<CostCommentEdit | null>(Requests.costComment, params),
  };
}
