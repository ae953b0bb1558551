/**
 * "Insert recovery snippet": the manual recovery recipe for when this migration failed in
 * production, built by the server from the file. In the migration's own editor it goes in at the
 * cursor's line as a comment block (the file stays a runnable migration and states its recovery
 * plan); otherwise it opens as a new untitled SQL document, ready to run.
 */
import { EndOfLine, type LogOutputChannel, Position, Uri, ViewColumn, window, workspace } from 'vscode';
import { isMigration } from '../migration-files';
import type { ServerRequests } from '../server-requests';

/** `arg`: the migration's Uri (or its string) from a code action or the checklist; default: the active migration editor. */
export async function insertRecoverySnippet(server: ServerRequests, log: LogOutputChannel, arg?: unknown): Promise<void> {
  const active = window.activeTextEditor;
  const target = arg instanceof Uri ? arg : typeof arg === 'string' ? Uri.parse(arg) : isMigration(active?.document) ? active.document.uri : undefined;
  if (!target) {
    void window.showInformationMessage('Insert recovery snippet: open a migration file first (a SQL file matching pgMigrationGuard.migrationGlobs).');
    return;
  }
  const doc = await workspace.openTextDocument(target);
  const snippet = await server.recoverySnippet(target.toString());
  if (!snippet) {
    void window.showWarningMessage(
      `Insert recovery snippet: ${target.fsPath || target.toString()} is not analysed as a migration (see pgMigrationGuard.migrationGlobs).`,
    );
    return;
  }
  for (const w of snippet.warnings) log.warn(`recovery snippet for ${target.toString()}: ${w}`);

  if (active && active.document.uri.toString() === target.toString()) {
    const eol = doc.eol === EndOfLine.CRLF ? '\r\n' : '\n';
    const block = snippet.text
      .trimEnd()
      .split('\n')
      .map((l) => (l.length > 0 ? `-- ${l}` : '--'))
      .join(eol);
    const at = new Position(active.selection.active.line, 0);
    await active.edit((b) => b.insert(at, `-- Recovery plan (pg-migration-guard), ${snippet.mode}:${eol}${block}${eol}`));
    return;
  }
  const untitled = await workspace.openTextDocument({ language: 'sql', content: snippet.text });
  await window.showTextDocument(untitled, { viewColumn: ViewColumn.Beside });
}
