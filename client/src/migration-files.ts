/**
 * Which documents are migrations (SQL files matching pgMigrationGuard.migrationGlobs), and the
 * context key menus use: `pgMigrationGuard.activeEditorIsMigration`.
 */
import { commands, type Disposable, languages, type TextDocument, type TextEditor, window, workspace } from 'vscode';

export const MIGRATION_CONTEXT_KEY = 'pgMigrationGuard.activeEditorIsMigration';

/** The document selector the language client and the commands share. */
export function migrationSelector(): Array<{ scheme: string; language: string; pattern: string }> {
  // The manifest's contributed default applies when the user sets nothing.
  const globs = workspace.getConfiguration('pgMigrationGuard').get<string[]>('migrationGlobs') ?? [];
  return globs.map((pattern) => ({ scheme: 'file', language: 'sql', pattern }));
}

export function isMigration(doc: TextDocument | undefined): doc is TextDocument {
  return doc !== undefined && languages.match(migrationSelector(), doc) > 0;
}

/** Keeps the context key in step with the active editor. */
export function trackActiveMigration(): Disposable {
  const update = (editor: TextEditor | undefined): void => {
    void commands.executeCommand('setContext', MIGRATION_CONTEXT_KEY, isMigration(editor?.document));
  };
  update(window.activeTextEditor);
  const subs = [
    window.onDidChangeActiveTextEditor(update),
    workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('pgMigrationGuard.migrationGlobs')) update(window.activeTextEditor);
    }),
  ];
  return { dispose: () => subs.forEach((s) => s.dispose()) };
}
