/**
 * The CLI's verdict on a file, from the same installed extension (`bin/` ships in the .vsix): what
 * the editor must show. Runs under the extension host's own executable — Node in code-server,
 * Electron as Node (ELECTRON_RUN_AS_NODE) in desktop VS Code.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';

export interface CliFinding {
  rule: string;
  severity: string;
  range: { start: { line: number; character: number } };
}

interface CliJson {
  files: Array<{ path: string; diagnostics: CliFinding[] }>;
}

export function cliFindings(extensionPath: string, file: vscode.Uri): CliFinding[] {
  const cli = join(extensionPath, 'bin', 'pg-migration-guard.js');
  let out: string;
  try {
    out = execFileSync(process.execPath, [cli, 'lint', file.fsPath, '--format', 'json'], {
      cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      timeout: 30_000,
    });
  } catch (e) {
    // Exit 1 = findings at or above --fail-on: the JSON is still on stdout.
    const stdout = (e as { stdout?: string }).stdout;
    if (!stdout) throw e;
    out = stdout;
  }
  const json = JSON.parse(out) as CliJson;
  return json.files.flatMap((f) => f.diagnostics);
}

const SEVERITY: Record<string, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** `line:character code severity` strings, sorted: the shape both sides are compared in. */
export function cliPlaced(fs: CliFinding[]): string[] {
  return fs.map((f) => `${f.range.start.line}:${f.range.start.character} ${f.rule} ${SEVERITY[f.severity] ?? f.severity}`).sort();
}
