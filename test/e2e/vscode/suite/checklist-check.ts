/**
 * "Show migration checklist" as a user sees it: the command opens a webview tab beside the
 * migration, titled after the file, whose page lists the tables the migration touches. The page's
 * text comes from the code-server runner, which reads the webview frames when it takes the
 * screenshot; without that runner (@vscode/test-electron) only the tab is checked.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FOREIGN_KEY_FILE } from '../scenarios';
import { openMigration, requireCommand, screenshot, waitFor, waitForDiagnostic } from './helpers';

const CHECKLIST_COMMAND = 'pgMigrationGuard.showChecklist';

/** On the foreign-key migration (events and accounts); saves the screenshot as `<screenshotName>.png`. */
export async function checkChecklist(screenshotName: string): Promise<void> {
  const editor = await openMigration(FOREIGN_KEY_FILE);
  await waitForDiagnostic(editor.document.uri, 'require-not-valid-foreign-key');
  await requireCommand(CHECKLIST_COMMAND);
  // For the screenshot: the editor and the checklist side by side, nothing else.
  await vscode.commands.executeCommand('workbench.action.closePanel');
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  await vscode.commands.executeCommand('workbench.action.closeSidebar');
  await vscode.commands.executeCommand(CHECKLIST_COMMAND);

  const title = `Migration checklist: ${FOREIGN_KEY_FILE}`;
  const tab = await waitFor('the checklist tab', () =>
    vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label === title),
  );
  assert.ok(tab.isActive, 'the checklist is the active tab of its group');
  assert.notEqual(tab.group.viewColumn, editor.viewColumn, 'opened beside the migration');

  // The page as the user sees it: the runner reads the text of the webview's frames with each screenshot.
  // Both tables the foreign key touches are rows of the table (name, then strongest lock); users is not.
  const touched = [/\bevents\s+SHARE ROW EXCLUSIVE\b/, /\baccounts\s+SHARE ROW EXCLUSIVE\b/];
  let seen = '';
  const page = await waitFor(
    'the checklist page to list events and accounts',
    async () => {
      const c = await screenshot(screenshotName);
      if (!c) return null; // no capturing runner (@vscode/test-electron): the tab is all that can be checked
      seen = c.frames.map((f) => f.text).join('\n---\n');
      return c.frames.find((f) => touched.every((re) => re.test(f.text)))?.text;
    },
    20_000,
  ).catch((e: Error) => {
    throw new Error(`${e.message}; webview text seen: ${seen.slice(0, 1000)}`);
  });
  if (page !== null) {
    console.log(`checklist page text: ${page.replace(/\s+/g, ' ').slice(0, 600)}`);
    assert.ok(page.includes(title), 'the page names the file');
    assert.ok(!/\busers\s+(ACCESS|ROW|SHARE)/.test(page), 'users is not touched by this migration');
  }
}
