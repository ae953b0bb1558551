/**
 * The database features as a user meets them: "Trace migration" on the embedded PostgreSQL (the
 * language server starts it in the extension's global storage), and a database URL kept in
 * SecretStorage whose password must never reach the output channel when the database is down.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import * as vscode from 'vscode';
import type { TraceReport } from '../../../../protocol/protocol';
import { EXTENSION_ID, OUTAGE_FILE } from '../scenarios';
import { openMigration, requireCommand, screenshot, waitFor, waitForDiagnostic } from './helpers';

const TRACE_COMMAND = 'pgMigrationGuard.traceMigration';
const SET_URL_COMMAND = 'pgMigrationGuard.setDatabaseUrl';
const CLEAR_URL_COMMAND = 'pgMigrationGuard.clearDatabaseUrl';
const ROWS_CAP = 20_000;

interface Api {
  logLines(): string[];
}

async function api(): Promise<Api> {
  const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded`);
  return ext.activate();
}

async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('pgMigrationGuard').update(key, value, vscode.ConfigurationTarget.Workspace);
}

/** A loopback port nobody listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export async function checkTrace(): Promise<void> {
  const { logLines } = await api();
  const editor = await openMigration(OUTAGE_FILE);
  const uri = editor.document.uri;
  await waitForDiagnostic(uri, 'ban-add-stored-generated-column');
  await requireCommand(TRACE_COMMAND);
  await setting('trace.target', 'embedded');
  await setting('trace.rowsCap', ROWS_CAP);
  await vscode.commands.executeCommand('workbench.action.closePanel');
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  await vscode.commands.executeCommand('workbench.action.closeSidebar');

  const started = Date.now();
  const report = await vscode.commands.executeCommand<TraceReport | undefined>(TRACE_COMMAND, uri);
  const ms = Date.now() - started;
  assert.ok(report, `the trace ran; the extension's log ends with:\n${logLines().slice(-15).join('\n')}`);
  console.log(
    `trace of ${OUTAGE_FILE}: ${ms} ms in VS Code (server start ${report.target.startMs} ms, initdb ${report.target.initdb}, fill ${report.fillMs} ms, total ${report.totalMs} ms), PostgreSQL ${report.target.serverVersion}`,
  );
  assert.equal(report.target.mode, 'embedded');
  const alter = report.statements.find((s) => s.excerpt.startsWith('ALTER TABLE events ADD COLUMN search_vector'));
  assert.ok(alter, `the ALTER TABLE was traced: ${report.statements.map((s) => s.excerpt).join(' | ')}`);
  assert.ok(alter.ok, alter.error);
  const events = alter.relations.find((r) => r.relation === 'events');
  assert.ok(events, `events among the relations: ${JSON.stringify(alter.relations)}`);
  assert.equal(events.lock, 'ACCESS EXCLUSIVE');
  assert.equal(events.rewrite, true, 'the stored generated column rewrote events');
  assert.equal(events.rowsBefore, ROWS_CAP, `events was filled with ${ROWS_CAP} rows (pgMigrationGuard.trace.rowsCap)`);

  // Item 1 of the checklist shows the trace (the server adds it to the checklist data).
  const title = `Migration checklist: ${OUTAGE_FILE}`;
  await waitFor('the checklist tab', () =>
    vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label === title),
  );
  const row = /\bevents\s+ACCESS EXCLUSIVE\s+[\d.,]+\s*m?s\s+rewrite\s+20,000\b/;
  let seen = '';
  const page = await waitFor(
    'the checklist page to show the trace of events',
    async () => {
      const c = await screenshot('trace-checklist');
      if (!c) return null; // no capturing runner (@vscode/test-electron): the report is all that can be checked
      seen = c.frames.map((f) => f.text).join('\n---\n');
      return c.frames.find((f) => row.test(f.text))?.text;
    },
    20_000,
  ).catch((e: Error) => {
    throw new Error(`${e.message}; webview text seen: ${seen.slice(0, 1500)}`);
  });
  if (page !== null) {
    assert.match(page, /PostgreSQL 18\.\d+ \(embedded\)/, 'the trace names its server');
    console.log(`checklist trace row: ${row.exec(page)?.[0]}`);
  }
  await setting('trace.rowsCap', undefined);
}

export async function checkSecretUrl(): Promise<void> {
  const { logLines } = await api();
  const password = `pw-${randomBytes(9).toString('hex')}`;
  const port = await closedPort();
  const url = `postgres://migrator:${password}@127.0.0.1:${port}/app`;
  const before = logLines().length;
  await requireCommand(SET_URL_COMMAND);
  try {
    // The argument skips the input box; the same path stores it in SecretStorage, then reads the database's facts.
    assert.equal(await vscode.commands.executeCommand<boolean>(SET_URL_COMMAND, url), true, 'the URL was stored');
    const factsFailure = await waitFor('the failed database read in the log', () =>
      logLines()
        .slice(before)
        .find((l) => /database facts from 127\.0\.0\.1:\d+\/app failed: /.test(l)),
    );

    // A trace on the configured database fails the same way, and says so.
    await setting('trace.target', 'database');
    const editor = await openMigration(OUTAGE_FILE);
    await waitForDiagnostic(editor.document.uri, 'ban-add-stored-generated-column');
    const report = await vscode.commands.executeCommand<TraceReport | undefined>(TRACE_COMMAND, editor.document.uri);
    assert.equal(report, undefined, 'nothing was traced: the server is down');
    const lines = logLines().slice(before);
    const traceFailure = lines.find((l) => l.includes(`trace of ${OUTAGE_FILE} failed: `));
    assert.ok(traceFailure, `the failed trace is logged:\n${lines.slice(-10).join('\n')}`);
    console.log(`logged: ${factsFailure}\nlogged: ${traceFailure}`);
    for (const failure of [factsFailure, traceFailure]) assert.match(failure, /ECONNREFUSED|connect|refused/i, 'the reason is in the message');
    assert.ok(
      lines.some((l) => l.includes(`database URL set (127.0.0.1:${port}/app)`)),
      'storing the URL is logged by where it points, without credentials',
    );
    const leaked = lines.filter((l) => l.includes(password));
    assert.deepEqual(leaked, [], 'no line of the output channel contains the password');
  } finally {
    await vscode.commands.executeCommand(CLEAR_URL_COMMAND);
    await setting('trace.target', undefined);
  }
}
