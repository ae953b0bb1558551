/**
 * Real VS Code: code-server 4.139.1 (VS Code 1.139 server + workbench, Node extension host) in
 * Debian's chromium, running the extension's own mocha suite (suite/) through `extensionTestsPath`.
 * Two runs of run-code-server.mjs: the extension from this checkout, and the packaged .vsix installed
 * with `code-server --install-extension`. Each scenario of the suite is one test here, read from the
 * `E2E PASS/FAIL <title>` lines the suite prints in the extension host.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from '../../cli-helpers';
import { DEV_SCENARIOS, VSIX_SCENARIOS } from './scenarios';

const CODE_SERVER_DIR = join(ROOT, '.vscode-test', 'code-server');
const INSTALL_TIMEOUT_MS = 10 * 60_000;
/** Packaging, workbench boot (~10 s) and the scenarios, with room for a loaded 2-core machine. */
const RUN_TIMEOUT_MS = 4 * 60_000;

interface Scenario {
  title: string;
  ok: boolean;
  ms?: number;
  message?: string;
}

interface RunnerReport {
  mode: 'dev' | 'vsix';
  ok: boolean;
  exitCode: number | string | null;
  error: string | null;
  timings: Record<string, number>;
  scenarios: Scenario[];
  log: string[];
}

interface Run {
  status: number | null;
  output: string;
  report: RunnerReport | undefined;
  startedAt: number;
}

/** Installs code-server once per machine (a fresh CI machine pays ~2 min); a no-op when present. */
function ensureCodeServer(): void {
  const started = Date.now();
  const r = spawnSync('bash', [join(ROOT, 'scripts', 'install-code-server.sh'), CODE_SERVER_DIR], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
  });
  if (r.status !== 0) throw new Error(`scripts/install-code-server.sh failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  console.log(`      ${r.stdout.trim().split('\n').pop()} (${Date.now() - started} ms)`);
}

function runRunner(args: string[]): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'pgmg-vscode-report-'));
  const reportPath = join(dir, 'report.json');
  const startedAt = Date.now();
  return new Promise<Run>((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'run-code-server.mjs'), ...args, '--report', reportPath], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      const report = existsSync(reportPath) ? (JSON.parse(readFileSync(reportPath, 'utf8')) as RunnerReport) : undefined;
      rmSync(dir, { recursive: true, force: true });
      resolve({ status, output, report, startedAt });
    });
  });
}

/** The runner's summary lines (PASS/FAIL per scenario, timings), indented under mocha's output. */
function printSummary(run: Run): void {
  const lines = run.output.split('\n').filter((l) => /^\[[\d.]+s\] (PASS|FAIL|saved|code-server)/.test(l));
  console.log(lines.map((l) => `      ${l}`).join('\n'));
  if (run.status !== 0) console.log(run.output.slice(-6000));
}

function assertScenario(run: Run | undefined, title: string): void {
  assert.ok(run, 'the runner did not run (see the before hook)');
  const s = run.report?.scenarios.find((x) => x.title === title);
  if (!s) {
    const why = run.report?.error ?? `exit ${run.report?.exitCode ?? run.status}`;
    assert.fail(`scenario did not report (${why}); runner output tail:\n${run.output.slice(-3000)}`);
  }
  assert.ok(s.ok, s.message);
}

function assertScreenshot(name: string, since: number): void {
  const png = join(ROOT, 'test-artifacts', 'screenshots', `${name}.png`);
  assert.ok(existsSync(png), `${png} saved`);
  const st = statSync(png);
  assert.ok(st.mtimeMs >= since - 1000, `${png} is from this run`);
  assert.ok(st.size > 10_000, `${png} is a real screenshot (${st.size} bytes)`);
  assert.deepEqual([...readFileSync(png).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'PNG signature');
}

describe('vscode: real VS Code 1.139 (code-server + chromium) running the extension suite', function () {
  before(function () {
    this.timeout(INSTALL_TIMEOUT_MS + 10_000);
    ensureBuilt();
    ensureCodeServer();
  });

  describe('the extension from this checkout (extensionDevelopmentPath)', function () {
    let run: Run | undefined;
    before(async function () {
      this.timeout(RUN_TIMEOUT_MS);
      run = await runRunner([]);
      printSummary(run);
    });

    for (const title of Object.values(DEV_SCENARIOS)) {
      it(title, () => assertScenario(run, title));
    }

    it('the workbench reports success; screenshots of the squiggles and the checklist are saved', () => {
      assert.ok(run?.report, 'runner report');
      assert.equal(run.report.exitCode, 0, `workbench exit code; error: ${run.report.error}`);
      assert.equal(run.status, 0);
      assert.equal(run.report.scenarios.length, Object.keys(DEV_SCENARIOS).length, 'every scenario reported once');
      assertScreenshot('diagnostics', run.startedAt);
      assertScreenshot('checklist', run.startedAt);
    });
  });

  describe('the packaged .vsix (code-server --install-extension)', function () {
    let run: Run | undefined;
    before(async function () {
      this.timeout(RUN_TIMEOUT_MS);
      run = await runRunner(['--vsix']);
      printSummary(run);
    });

    for (const title of Object.values(VSIX_SCENARIOS)) {
      it(title, () => assertScenario(run, title));
    }

    it('npm run package built the .vsix, --install-extension installed it, the workbench reports success', () => {
      assert.ok(run?.report, 'runner report');
      assert.equal(run.report.exitCode, 0, `workbench exit code; error: ${run.report.error}`);
      assert.equal(run.status, 0);
      assert.ok(run.report.timings['packageMs'] !== undefined && run.report.timings['installExtensionMs'] !== undefined, 'packaged and installed in this run');
      assert.equal(run.report.scenarios.length, Object.keys(VSIX_SCENARIOS).length, 'every scenario reported once');
      assertScreenshot('vsix-diagnostics', run.startedAt);
      assertScreenshot('vsix-checklist', run.startedAt);
    });
  });
});
