/**
 * The migration checklist's requests (`pgMigrationGuard/checklist`, `…/recoverySnippet`,
 * `…/costComment`) and the "Insert recovery snippet" code action on a migration's first line.
 * The data comes from the engine; this module adds what needs the disk (the next migration).
 */
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { type CodeAction, CodeActionKind, type CodeActionParams, type CodeLens, type Connection } from 'vscode-languageserver/node';
import {
  type ChecklistData,
  type ChecklistTrace,
  ClientCommands,
  type ClientSettings,
  type CostCommentEdit,
  type CostCommentParams,
  type DocumentParams,
  type RecoverySnippetResult,
  Requests,
} from '../../../../protocol/protocol';
import { analyze, type Analysis, checklistData, costCommentEdit, findCostComment, isCostMeasurement, recoverySnippet, type Statement } from '../../engine';
import { migrationOrder } from '../../node/history';
import type { DocumentAnalysis } from '../analyses';

export interface ChecklistDeps {
  /** The analysis of the document's current version (analysed now if the scheduled run has not happened yet). */
  current(uri: string): Promise<DocumentAnalysis | undefined>;
  settings(uri: string): Promise<ClientSettings>;
  logError(err: unknown): void;
  /** The latest trace of the document as a table, when the trace feature has one (shown in the checklist's item 1). */
  traceFor?(uri: string): ChecklistTrace | undefined;
}

export function registerChecklistRequests(connection: Connection, deps: ChecklistDeps): void {
  const handle =
    <P, R>(name: string, fn: (params: P) => Promise<R | null>) =>
    async (params: P): Promise<R | null> => {
      try {
        return await fn(params);
      } catch (err) {
        deps.logError(new Error(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
        return null;
      }
    };

  connection.onRequest(
    Requests.checklist,
    handle<DocumentParams, ChecklistData>('checklist', async (params) => {
      if (!isDocumentParams(params)) return null;
      const result = await deps.current(params.uri);
      if (!result) return null;
      const settings = await deps.settings(params.uri);
      const data = checklistFor(result.analysis, params.uri, settings);
      const trace = deps.traceFor?.(params.uri);
      if (trace) data.trace = trace;
      return data;
    }),
  );

  connection.onRequest(
    Requests.recoverySnippet,
    handle<DocumentParams, RecoverySnippetResult>('recoverySnippet', async (params) => {
      if (!isDocumentParams(params)) return null;
      const result = await deps.current(params.uri);
      if (!result) return null;
      const s = recoverySnippet(result.analysis);
      return { text: s.text, mode: s.mode, warnings: s.warnings };
    }),
  );

  connection.onRequest(
    Requests.costComment,
    handle<CostCommentParams, CostCommentEdit>('costComment', async (params) => {
      if (!isDocumentParams(params)) return null;
      const m = { seconds: Number(params.seconds), rows: Number(params.rows), date: String(params.date) };
      if (!isCostMeasurement(m)) return null;
      const result = await deps.current(params.uri);
      if (!result) return null;
      return costCommentEditFor(result.analysis, m);
    }),
  );
}

function isDocumentParams(p: unknown): p is DocumentParams {
  return typeof p === 'object' && p !== null && typeof (p as { uri?: unknown }).uri === 'string';
}

/**
 * The migration role's statement_timeout: what the configured database says (the truth, when the
 * user configured one), else the `pgMigrationGuard.statementTimeout` setting.
 */
function statementTimeoutOf(analysis: Analysis, settings: ClientSettings): string | undefined {
  const fromDatabase = analysis.config.database?.statementTimeoutMs;
  if (fromDatabase !== undefined && fromDatabase > 0) return `${fromDatabase}ms`;
  return typeof settings.statementTimeout === 'string' ? settings.statementTimeout : undefined;
}

export function checklistFor(analysis: Analysis, uri: string, settings: ClientSettings): ChecklistData {
  const next = nextMigration(analysis);
  const statementTimeout = statementTimeoutOf(analysis, settings);
  return checklistData(analysis, {
    uri,
    ...(statementTimeout !== undefined ? { statementTimeout } : {}),
    ...(next ? { next } : {}),
  });
}

export function costCommentEditFor(analysis: Analysis, m: { seconds: number; rows: number; date: string }): CostCommentEdit {
  const first = analysis.statements[0]?.start ?? analysis.text.length;
  const edit = costCommentEdit(analysis.text, findCostComment(analysis.comments, first), m);
  return { range: analysis.lines.rangeOf(edit.start, edit.end), newText: edit.newText };
}

/** The migration the runner applies after this one, analysed without rules (only its statements are needed). */
function nextMigration(analysis: Analysis): { fileName: string; statements: readonly Statement[] } | undefined {
  const path = analysis.path;
  if (!path || !analysis.statements.some((s) => s.section === 'up')) return undefined;
  let order: string[];
  try {
    order = migrationOrder(path, analysis.runner.id);
  } catch {
    return undefined;
  }
  const i = order.indexOf(path);
  const nextPath = i === -1 ? undefined : order[i + 1];
  if (!nextPath) return undefined;
  let text: string;
  try {
    text = readFileSync(nextPath, 'utf8').replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
  const next = analyze(text, { path: nextPath, config: analysis.config, rules: [] });
  const name = basename(nextPath);
  // Prisma and diesel name the folder, not the file.
  const fileName = name === 'migration.sql' || name === 'up.sql' ? `${basename(dirname(nextPath))}/${name}` : name;
  return { fileName, statements: next.statements };
}

/** "Insert recovery snippet" on the first line, for clients that implement the command. */
export function recoveryCodeActions(analysis: Analysis, params: CodeActionParams, clientCommands: ReadonlySet<string>): CodeAction[] {
  if (!clientCommands.has(ClientCommands.insertRecoverySnippet)) return [];
  if (params.range.start.line !== 0) return [];
  const only = params.context.only;
  if (only && !only.some((k) => k === CodeActionKind.Refactor || k === CodeActionKind.Empty)) return [];
  if (!analysis.statements.some((s) => s.section === 'up')) return [];
  const uri = params.textDocument.uri;
  return [
    {
      title: 'Insert recovery snippet',
      kind: CodeActionKind.Refactor,
      command: { title: 'Insert recovery snippet', command: ClientCommands.insertRecoverySnippet, arguments: [uri] },
    },
  ];
}

/** A "Show migration checklist" lens on the first line, for clients that implement the command. */
export function checklistCodeLenses(analysis: Analysis, uri: string, clientCommands: ReadonlySet<string>): CodeLens[] {
  if (!clientCommands.has(ClientCommands.showChecklist) || !analysis.statements.some((s) => s.section === 'up')) return [];
  const at = { line: 0, character: 0 };
  return [
    { range: { start: at, end: at }, command: { title: '$(checklist) Show migration checklist', command: ClientCommands.showChecklist, arguments: [uri] } },
  ];
}
