#!/usr/bin/env node
// `npm run test:vscode`: the same suite (suite/index.ts) in desktop VS Code, for contributors, through
// @vscode/test-electron's runTests. It downloads VS Code from update.code.visualstudio.com on first
// use, so it needs that host; machines without it (like the CI image, which has only the npm
// registry and Debian's mirrors) fail at "Resolving version..." with ENOTFOUND. CI runs the suite in
// code-server instead (run-code-server.mjs, the 'vscode' suite of scripts/test-all.mjs).
// Screenshots are a code-server runner feature: here the suite's SCREENSHOT lines are only logged.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { buildSuite } from './build-suite.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const suite = await buildSuite();
// A fresh copy of the fixture workspace: VS Code saves the edits the scenarios make.
const tmp = mkdtempSync(join(tmpdir(), 'pgmg-test-electron-'));
const ws = join(tmp, 'ws');
cpSync(join(ROOT, 'examples', 'dbmate', 'db', 'migrations'), join(ws, 'db', 'migrations'), { recursive: true });
cpSync(join(ROOT, 'examples', 'pg-migration-guard.json'), join(ws, 'pg-migration-guard.json'));
mkdirSync(join(ws, '.vscode'));
writeFileSync(join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none', 'editor.wordWrap': 'on' }, null, 2));

let code = 1;
try {
  code = await runTests({
    version: process.env.VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: suite.index,
    launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', join(tmp, 'user-data'), '--skip-welcome'],
  });
} catch (e) {
  console.error(`test:vscode failed: ${e instanceof Error ? e.message : e}`);
  if (/ENOTFOUND|EAI_AGAIN/.test(String(e))) console.error('(no access to update.code.visualstudio.com: CI runs this suite in code-server, see the README)');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(code === 0 ? 0 : 1);
