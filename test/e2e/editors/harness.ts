/**
 * Runs a real editor (headless Neovim, Emacs --batch + eglot) against the built language server and
 * returns the JSON report its driver (driver.lua, driver.el) wrote. Each run gets its own temporary
 * project, a 30 s limit and its own process group, so a hung editor and its server are killed together.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { allRules } from '../../../rules';
import { analyze, defaultConfig, loadParser, mergeConfig } from '../../../server/src/engine';
import { ensureBuilt, ROOT, tempTree } from '../../cli-helpers';

export const EDITOR_TIMEOUT_MS = 30_000;
export const SERVER_CMD = [process.execPath, join(ROOT, 'dist', 'cli.js'), 'lsp', '--stdio'];
export const CONFIG = JSON.stringify({ tables: { events: { rows: 1_150_000 } } });

/** The founding outage as a dbmate migration; the statement is line 3 (0-based) of the file. */
export const OUTAGE_PATH = 'db/migrations/20251104093000_add_search.sql';
export const OUTAGE_STATEMENT = `ALTER TABLE events ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(title,''))) STORED;`;
export const OUTAGE = `-- migrate:up
-- events has ~1.15M rows: a STORED generated column recomputes every one of them
-- while ACCESS EXCLUSIVE blocks all reads and writes.
${OUTAGE_STATEMENT}

-- migrate:down
ALTER TABLE events DROP COLUMN IF EXISTS search_vector;
`;
export const RULE = 'ban-add-stored-generated-column';
export const IGNORE_TITLE = `Ignore ${RULE} for this statement`;
export const IGNORE_COMMENT = `-- pg-migration-guard-ignore ${RULE}: reason`;

/** LSP DiagnosticSeverity.Error. */
export const SEVERITY_ERROR = 1;

export interface Publish<D> {
  ms: number;
  version: number | null;
  diagnostics: D[];
}

export interface EditorRun<R> {
  status: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  wallMs: number;
  stdout: string;
  stderr: string;
  report: R;
  dir: string;
  file: string;
}

/** The editor binary on PATH, or undefined. */
export function which(bin: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * A missing editor fails the test in CI (the CI image installs it with scripts/install-test-deps.sh)
 * and skips it locally, saying why.
 */
export function requireEditor(ctx: Mocha.Context, bin: string): void {
  ensureBuilt();
  if (which(bin)) return;
  const message = `${bin} not found on PATH (scripts/install-test-deps.sh installs it)`;
  if (process.env['CI'] === 'true' || process.env['CI'] === '1') throw new Error(`${message}; CI=${process.env['CI']} requires the real editor, not a skip`);
  console.log(`      skipped: ${message}`);
  ctx.skip();
}

/** A project with pg-migration-guard.json and one migration file; returns the directory. */
export function project(relPath: string, content: string): { dir: string; file: string } {
  const dir = tempTree({ 'pg-migration-guard.json': CONFIG, [relPath]: content });
  return { dir, file: join(dir, relPath) };
}

/** Runs `bin args… file` in `dir` with the driver's environment; resolves when the editor exits or is killed. */
export async function runEditor<R>(bin: string, args: string[], dir: string, file: string, env: Record<string, string>): Promise<EditorRun<R>> {
  const reportPath = join(dir, 'editor-report.json');
  const home = join(dir, '.editor-home');
  mkdirSync(home, { recursive: true });
  const started = Date.now();
  const child = spawn(bin, [...args, file], {
    cwd: dir,
    detached: true, // own process group: the editor and the server it starts are killed together on timeout
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      // Neovim keeps its LSP log, shada and state under these; keep them out of the user's home.
      XDG_CACHE_HOME: join(home, 'cache'),
      XDG_STATE_HOME: join(home, 'state'),
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      PGMG_LSP_CMD: JSON.stringify(SERVER_CMD),
      PGMG_REPORT: reportPath,
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  }, EDITOR_TIMEOUT_MS);
  const [status, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, sig) => resolve([code, sig]));
  }).finally(() => clearTimeout(timer));
  const wallMs = Date.now() - started;
  const context = `${bin} in ${dir}: exit ${status}${signal ? ` (${signal})` : ''}${timedOut ? `, killed after ${EDITOR_TIMEOUT_MS} ms` : ''}\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`;
  if (!existsSync(reportPath)) throw new Error(`no driver report written; ${context}`);
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as R & { error?: string };
  if (timedOut || status !== 0) throw new Error(`driver failed: ${report.error ?? '(no error recorded)'}; ${context}`);
  if (report.error) throw new Error(`driver reported an error with exit 0: ${report.error}; ${context}`);
  return { status, signal, timedOut, wallMs, stdout, stderr, report, dir, file };
}

/** Removes a run's directory; kept when the test failed, for a look at the report and the file. */
export function cleanup(ctx: Mocha.Context, dir: string | undefined): void {
  if (!dir) return;
  if (ctx.currentTest?.state === 'failed') console.log(`      kept for inspection: ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

/** The file after the ignore action: the comment on its own line, directly above the statement. */
export function withIgnoreComment(text: string): string {
  const at = text.indexOf(OUTAGE_STATEMENT);
  if (at < 0) throw new Error('statement not in text');
  return `${text.slice(0, at)}${IGNORE_COMMENT}\n${text.slice(at)}`;
}

/** 0-based line and UTF-16 column of the outage's column name in OUTAGE. */
export function outagePosition(): { line: number; character: number } {
  const lines = OUTAGE.split('\n');
  const line = lines.findIndex((l) => l === OUTAGE_STATEMENT);
  return { line, character: OUTAGE_STATEMENT.indexOf('search_vector') };
}

/** One diagnostic as either editor's report gives it, reduced to what the round-trip assertions read. */
export interface Seen {
  line: number;
  character: number;
  code: string;
  severity: number | null;
  source: string | null;
}

/** `line:code` pairs, sorted: the shape compared before and after the edit. */
export function placed(ds: Seen[]): string[] {
  return ds.map((d) => `${d.line}:${d.code}`).sort();
}

/**
 * The assertions both editors share, on the first publish and the publish for the edited version:
 * the outage is flagged where it is, as an error, from our server; after the ignore comment only that
 * rule is gone (nothing else, no unused-ignore) and everything below the comment moved down a line.
 */
export function assertRoundTrip(first: Seen[], after: Seen[]): void {
  const pos = outagePosition();
  for (const d of [...first, ...after]) assert.equal(d.source, 'pg-migration-guard', `source of ${d.code}`);
  const hits = first.filter((d) => d.code === RULE);
  assert.equal(hits.length, 1, `one ${RULE} in ${placed(first).join(', ')}`);
  assert.deepEqual({ line: hits[0]?.line, character: hits[0]?.character }, pos, `${RULE} at the column name`);
  assert.equal(hits[0]?.severity, SEVERITY_ERROR, 'Error: events is configured with 1.15M rows');

  assert.ok(!after.some((d) => d.code === RULE), `${RULE} still published after the ignore: ${placed(after).join(', ')}`);
  assert.ok(!after.some((d) => d.code === 'unused-ignore'), 'the ignore comment is used');
  const expected = first.filter((d) => d.code !== RULE).map((d) => ({ ...d, line: d.line >= pos.line ? d.line + 1 : d.line }));
  assert.deepEqual(placed(after), placed(expected), 'every other finding survives, shifted below the inserted line');
}

/**
 * The code actions the server offers for the diagnostics on the outage's line, sorted: per
 * diagnostic, the engine's fixes that only edit this file (these clients cannot create files, so
 * fixes that add a migration or a backfill script are not offered), ignore and documentation.
 */
export async function expectedActions(first: Seen[]): Promise<string[]> {
  await loadParser();
  const line = outagePosition().line;
  const analysis = analyze(OUTAGE, {
    path: join('/p', OUTAGE_PATH),
    config: mergeConfig(defaultConfig(), { tables: { events: { rows: 1_150_000 } } }),
    rules: allRules,
    fixEnv: { listDir: () => [] },
  });
  const editOnlyFixes = (code: string): string[] =>
    analysis.findings
      .filter((f) => f.rule === code && analysis.lines.positionAt(f.start).line === line)
      .flatMap((f) => analysis.fixesFor(f))
      .filter((fix) => fix.steps.every((step) => step.kind === 'edit'))
      .map((fix) => fix.title);
  return first
    .filter((d) => d.line === line)
    .flatMap((d) => [...editOnlyFixes(d.code), `Ignore ${d.code} for this statement`, `Show documentation for ${d.code}`])
    .sort();
}
