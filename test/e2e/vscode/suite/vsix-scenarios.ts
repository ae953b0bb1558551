/**
 * The packaged extension: installed from the .vsix with `code-server --install-extension`, loaded
 * from the extensions folder (the development path is only a probe extension, see
 * probe-extension/), it activates for a migration, reports the outage and shows the checklist page.
 */
import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import * as vscode from 'vscode';
import { EXTENSION_ID, OUTAGE_FILE, VSIX_SCENARIOS } from '../scenarios';
import { checkChecklist } from './checklist-check';
import { cliFindings, cliPlaced } from './cli-report';
import { codeOf, closeAll, openMigration, screenshot, waitFor, waitForDiagnostic } from './helpers';

export function defineVsixScenarios(extensionsDir: string): void {
  describe('Postgres Migration Guard installed from the .vsix', () => {
    after(closeAll);

    it(VSIX_SCENARIOS.activates, async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, `${EXTENSION_ID} is not installed`);
      assert.ok(
        realpathSync(ext.extensionPath).startsWith(realpathSync(extensionsDir)),
        `loaded from ${ext.extensionPath}, not from the extensions folder ${extensionsDir}`,
      );
      assert.equal(ext.extensionKind, vscode.ExtensionKind.Workspace);
      await openMigration(OUTAGE_FILE);
      await waitFor('the extension to activate', () => (ext.isActive ? true : undefined));
    });

    it(VSIX_SCENARIOS.diagnostics, async () => {
      const editor = await openMigration(OUTAGE_FILE);
      const ds = await waitForDiagnostic(editor.document.uri, 'ban-add-stored-generated-column');
      const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
      const placed = ds.map((d) => `${d.range.start.line}:${d.range.start.character} ${codeOf(d)} ${d.severity}`).sort();
      assert.deepEqual(placed, cliPlaced(cliFindings(ext.extensionPath, editor.document.uri)));
      await screenshot('vsix-diagnostics');
    });

    it(VSIX_SCENARIOS.checklist, () => checkChecklist('vsix-checklist'));
  });
}
