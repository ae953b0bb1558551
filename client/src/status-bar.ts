/** A status bar item with the active migration's findings count; clicking it opens the checklist. */
import { DiagnosticSeverity, type Disposable, languages, StatusBarAlignment, type TextEditor, ThemeColor, window } from 'vscode';
import { ClientCommands, DIAGNOSTIC_SOURCE } from '../../protocol/protocol';
import { isMigration } from './migration-files';

export function createStatusBar(): Disposable {
  const item = window.createStatusBarItem('pgMigrationGuard.findings', StatusBarAlignment.Left, 100);
  item.name = 'Postgres Migration Guard';

  const update = (editor: TextEditor | undefined = window.activeTextEditor): void => {
    const doc = editor?.document;
    if (!isMigration(doc)) {
      item.hide();
      return;
    }
    const ours = languages.getDiagnostics(doc.uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
    const errors = ours.filter((d) => d.severity === DiagnosticSeverity.Error).length;
    item.text = `$(checklist) ${ours.length === 0 ? 'No findings' : `${ours.length} ${ours.length === 1 ? 'finding' : 'findings'}`}`;
    item.tooltip = `Postgres Migration Guard: ${ours.length} findings in this migration (${errors} errors). Click to show the migration checklist.`;
    item.backgroundColor = errors > 0 ? new ThemeColor('statusBarItem.warningBackground') : undefined;
    item.command = { title: 'Show migration checklist', command: ClientCommands.showChecklist, arguments: [doc.uri] };
    item.show();
  };

  update();
  const subs = [
    window.onDidChangeActiveTextEditor((e) => update(e)),
    languages.onDidChangeDiagnostics((e) => {
      const active = window.activeTextEditor?.document.uri.toString();
      if (active && e.uris.some((u) => u.toString() === active)) update();
    }),
  ];
  return { dispose: () => [item, ...subs].forEach((s) => s.dispose()) };
}
