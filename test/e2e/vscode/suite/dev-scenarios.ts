/**
 * The extension as a user meets it in VS Code: squiggles on the outage migration, the preferred
 * quick fix, the checklist webview, the recovery snippet. Declared inside `defineDevScenarios` so
 * the bundled suite can install mocha's globals first (see run-mocha.ts).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import {
  CONCURRENT_INDEX_FILE,
  CONCURRENT_INDEX_STATEMENT,
  DEV_SCENARIOS,
  EXTENSION_ID,
  OUTAGE_FILE,
  PLAIN_INDEX_FILE,
  PLAIN_INDEX_MIGRATION,
  PLAIN_INDEX_STATEMENT,
} from '../scenarios';
import { checkChecklist } from './checklist-check';
import { checkSecretUrl, checkTrace } from './database-scenarios';
import { cliFindings, cliPlaced } from './cli-report';
import { closeAll, codeOf, migrationUri, openMigration, ourDiagnostics, requireCommand, screenshot, sleep, waitFor, waitForDiagnostic } from './helpers';

const OUTAGE_RULE = 'ban-add-stored-generated-column';
const INDEX_RULE = 'require-concurrent-index-creation';
const RECOVERY_COMMAND = 'pgMigrationGuard.insertRecoverySnippet';
/** Code actions VS Code 1.139's built-in chat contributes for every diagnostic. */
const CHAT_ACTIONS = new Set(['Fix', 'Explain']);

const placed = (ds: vscode.Diagnostic[]): string[] => ds.map((d) => `${d.range.start.line}:${d.range.start.character} ${codeOf(d)} ${d.severity}`).sort();

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded`);
  return ext;
}

export function defineDevScenarios(): void {
  describe('Postgres Migration Guard in VS Code', () => {
    before(closeAll);
    afterEach(closeAll);

    it(DEV_SCENARIOS.diagnostics, async () => {
      const editor = await openMigration(OUTAGE_FILE);
      const uri = editor.document.uri;
      const started = Date.now();
      const ds = await waitForDiagnostic(uri, OUTAGE_RULE);
      console.log(`diagnostics on ${OUTAGE_FILE} ${Date.now() - started} ms after opening: ${placed(ds).join(', ')}`);
      assert.ok(extension().isActive, 'the extension activated for a migration');

      // The outage itself: an Error at the generated column's name.
      const outage = ds.filter((d) => codeOf(d) === OUTAGE_RULE);
      assert.equal(outage.length, 1);
      const line = editor.document.lineAt(outage[0]!.range.start.line).text;
      assert.ok(line.startsWith('ALTER TABLE events ADD COLUMN search_vector'), `flagged line: ${line}`);
      assert.equal(outage[0]!.range.start.character, line.indexOf('search_vector'));
      assert.equal(outage[0]!.severity, vscode.DiagnosticSeverity.Error);
      assert.match(outage[0]!.message, /events/);

      // Exactly what the CLI of the same extension reports for the file.
      assert.deepEqual(placed(ds), cliPlaced(cliFindings(extension().extensionPath, uri)));

      // For the screenshot: the squiggled statement from its first column, the Problems panel, no chat side bar.
      await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      const lineStart = new vscode.Range(outage[0]!.range.start.with({ character: 0 }), outage[0]!.range.start.with({ character: 0 }));
      await vscode.window.showTextDocument(editor.document, { viewColumn: vscode.ViewColumn.One, selection: lineStart });
      await sleep(500); // let the squiggles render
      await screenshot('diagnostics');
    });

    it(DEV_SCENARIOS.quickFix, async () => {
      const uri = migrationUri(PLAIN_INDEX_FILE);
      await vscode.workspace.fs.writeFile(uri, Buffer.from(PLAIN_INDEX_MIGRATION));
      const editor = await openMigration(PLAIN_INDEX_FILE);
      const ds = await waitForDiagnostic(uri, INDEX_RULE);
      const diagnostic = ds.find((d) => codeOf(d) === INDEX_RULE)!;

      const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
        'vscode.executeCodeActionProvider',
        uri,
        diagnostic.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      console.log(`code actions at ${INDEX_RULE}: ${actions.map((a) => a.title).join(' | ')}`);
      // VS Code's built-in chat adds its own "Fix"/"Explain" actions, and the API command does not return an
      // action's diagnostics: ours is the one preferred quick fix among the server's titles.
      const created = '20251120090001_add_events_archived_at_idx.sql';
      const expected = `Build events_archived_at_idx concurrently in a new migration ${created}`;
      const preferred = actions.filter(
        (a): a is vscode.CodeAction =>
          a instanceof vscode.CodeAction && a.isPreferred === true && a.kind?.value === vscode.CodeActionKind.QuickFix.value && !CHAT_ACTIONS.has(a.title),
      );
      assert.deepEqual(
        preferred.map((a) => a.title),
        [expected],
      );
      const fix = preferred[0]!;
      assert.ok(fix.edit, 'the fix carries its edit');

      assert.ok(await vscode.workspace.applyEdit(fix.edit), 'workspace.applyEdit accepted the fix');
      await vscode.workspace.saveAll(false);

      const createdPath = migrationUri(created).fsPath;
      await waitFor(`${created} on disk`, () => (existsSync(createdPath) && readFileSync(createdPath, 'utf8').length > 0 ? true : undefined));
      const newFile = readFileSync(createdPath, 'utf8');
      assert.equal(
        newFile,
        '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY events_archived_at_idx ON events (archived_at);\n\n' +
          '-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS events_archived_at_idx;\n',
      );
      for (const text of [editor.document.getText(), readFileSync(uri.fsPath, 'utf8')]) {
        assert.ok(!text.includes(PLAIN_INDEX_STATEMENT), 'the plain CREATE INDEX left the current migration');
        assert.ok(text.includes('ALTER TABLE events ADD COLUMN archived_at timestamptz;'), 'the rest of the migration stays');
      }
      await waitFor(`${INDEX_RULE} to clear`, () => (ourDiagnostics(uri).some((d) => codeOf(d) === INDEX_RULE) ? undefined : true));
    });

    it(DEV_SCENARIOS.checklist, () => checkChecklist('checklist'));

    it(DEV_SCENARIOS.recovery, async () => {
      const editor = await openMigration(CONCURRENT_INDEX_FILE);
      const migration = editor.document;
      const original = migration.getText();
      await waitForDiagnostic(migration.uri, 'require-statement-timeout');
      await requireCommand(RECOVERY_COMMAND);
      // In the migration's own editor the command inserts the recipe at the cursor's line, as a comment block.
      editor.selection = new vscode.Selection(0, 0, 0, 0);
      await vscode.commands.executeCommand(RECOVERY_COMMAND);

      const marker = `Recovery snippet for ${CONCURRENT_INDEX_FILE}`;
      const inserted = await waitFor('the inserted recovery snippet', () => {
        const text = migration.getText();
        return text.includes(marker) ? text : undefined;
      });
      assert.ok(inserted.endsWith(original), 'inserted above the first line; the migration itself is unchanged below it');
      const block = inserted.slice(0, inserted.length - original.length).split('\n');
      assert.equal(block[0], '-- Recovery plan (pg-migration-guard), non-transactional:');
      assert.ok(
        block.slice(0, -1).every((l) => l.startsWith('--')),
        'every inserted line is a comment: the file stays a runnable migration',
      );
      // The recipe itself, uncommented.
      const snippet = block
        .slice(1)
        .map((l) => l.replace(/^-- ?/, ''))
        .join('\n');

      assert.match(snippet, /Mode: non-transactional/);
      const cic = snippet.indexOf(CONCURRENT_INDEX_STATEMENT);
      assert.ok(cic > 0, 'the CREATE INDEX CONCURRENTLY is replayed verbatim');
      assert.ok(!/^\s*BEGIN\b/im.test(snippet.slice(0, cic)), 'no BEGIN before the concurrent build (it cannot run in a transaction block)');
      const after = snippet.slice(cic);
      assert.match(after, /SELECT indexrelid::regclass, indisvalid FROM pg_index WHERE indexrelid = 'events_user_id_idx'::regclass;/);
      assert.match(after, /IF NOT \(SELECT indisvalid FROM pg_index/, 'a guard stops before the ledger write when the index is INVALID');
      assert.match(
        after,
        /\nBEGIN;\nINSERT INTO schema_migrations \(version\) VALUES \('20250520101500'\);\nCOMMIT;/,
        'the ledger write in its own small transaction',
      );
      assert.ok(after.indexOf('indisvalid') < after.indexOf('INSERT INTO schema_migrations'), 'the validity check comes before the ledger write');
    });

    it(DEV_SCENARIOS.trace, checkTrace);

    it(DEV_SCENARIOS.secretUrl, checkSecretUrl);
  });
}
