/** What the scenarios do in VS Code: open migrations, wait for our diagnostics, ask the runner for screenshots. */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CAPTURE_ENV, DIAGNOSTIC_SOURCE, LOG, MIGRATIONS_DIR } from '../scenarios';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every 100 ms until it returns a value other than undefined; throws `what` after the timeout. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the suite needs the fixture workspace open as a folder');
  return folder.uri;
}

export function migrationUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), MIGRATIONS_DIR, name);
}

export async function openMigration(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(migrationUri(name));
  return vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.One });
}

export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
}

export function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : String(c);
}

/** Our diagnostics for `uri` once at least one with `code` is there. */
export function waitForDiagnostic(uri: vscode.Uri, code: string, timeoutMs = 30_000): Promise<vscode.Diagnostic[]> {
  return waitFor(
    `a ${code} diagnostic on ${uri.path}`,
    () => {
      const ds = ourDiagnostics(uri);
      return ds.some((d) => codeOf(d) === code) ? ds : undefined;
    },
    timeoutMs,
  );
}

/** What the code-server runner saw when asked for a screenshot: the PNG and the text of every webview frame. */
export interface Capture {
  screenshot: string;
  frames: Array<{ url: string; title: string; text: string }>;
}

let captures = 0;

/**
 * Logs `SCREENSHOT <name>` for the runner and waits for its answer (the screenshot is taken while the
 * UI still shows what the scenario set up). Under a runner without capture (@vscode/test-electron)
 * there is nobody to answer: returns undefined at once.
 */
export async function screenshot(name: string, timeoutMs = 15_000): Promise<Capture | undefined> {
  const ack = join(tmpdir(), `pgmg-e2e-capture-${process.pid}-${++captures}-${name}.json`);
  console.log(`${LOG.screenshot} ${name} -> ${ack}`);
  if (!process.env[CAPTURE_ENV]) return undefined;
  const text = await waitFor(`the runner's capture of ${name}`, () => (existsSync(ack) ? readFileSync(ack, 'utf8') : undefined), timeoutMs);
  rmSync(ack, { force: true });
  return JSON.parse(text) as Capture;
}

/** Saves and closes every editor (a dirty one would open a "Save changes?" dialog), so each scenario starts from an empty window. */
export async function closeAll(): Promise<void> {
  await vscode.workspace.saveAll(false);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.commands.executeCommand('workbench.view.explorer');
}

export async function requireCommand(id: string): Promise<void> {
  const all = await vscode.commands.getCommands(true);
  assert.ok(all.includes(id), `command ${id} is not registered by the extension`);
}
