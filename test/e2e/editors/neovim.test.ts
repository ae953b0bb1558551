/**
 * Neovim 0.7 (headless, built-in LSP client) driving `pg-migration-guard lsp --stdio`: diagnostics on
 * the founding outage, the "Ignore … for this statement" code action picked by title from the menu,
 * `silent write`, and the diagnostics re-published for the edited text. The Lua side is driver.lua.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertRoundTrip,
  cleanup,
  EDITOR_TIMEOUT_MS,
  expectedActions,
  IGNORE_TITLE,
  OUTAGE,
  OUTAGE_PATH,
  outagePosition,
  project,
  type Publish,
  requireEditor,
  RULE,
  runEditor,
  type Seen,
  withIgnoreComment,
} from './harness';

interface LspDiagnostic {
  range: { start: { line: number; character: number } };
  code?: string;
  severity?: number;
  source?: string;
  message: string;
}

interface NvimReport {
  version: string;
  msToFirstDiagnostics: number;
  totalMs: number;
  publishes: Array<Publish<LspDiagnostic>>;
  first: Publish<LspDiagnostic>;
  after?: Publish<LspDiagnostic>;
  editedVersion?: number;
  editorDiagnostics: Array<{ lnum: number; col: number; severity: number; code?: string }>;
  editorDiagnosticsAfter?: Array<{ lnum: number; col: number; severity: number; code?: string }>;
  offered?: string[];
  applied?: string;
  modifiedAfterWrite?: boolean;
  bufferText: string;
  serverExit: { code: number; signal: number };
  logs: Array<{ type: number; message: string }>;
  notifications: Array<{ message: string; level: number }>;
}

const seen = (ds: LspDiagnostic[]): Seen[] =>
  ds.map((d) => ({
    line: d.range.start.line,
    character: d.range.start.character,
    code: String(d.code),
    severity: d.severity ?? null,
    source: d.source ?? null,
  }));

/** vim.diagnostic.severity.ERROR */
const NVIM_ERROR = 1;

function nvim(dir: string, file: string, env: Record<string, string> = {}) {
  return runEditor<NvimReport>('nvim', ['--headless', '-i', 'NONE', '-u', join(__dirname, 'driver.lua')], dir, file, env);
}

function assertServerHealthy(r: NvimReport): void {
  assert.deepEqual(r.serverExit, { code: 0, signal: 0 }, 'the server exits by itself after shutdown/exit');
  assert.deepEqual(
    r.logs.filter((l) => l.type === 1),
    [],
    'no errors logged by the server',
  );
}

describe('editors: Neovim 0.7 headless as LSP client', function () {
  this.timeout(EDITOR_TIMEOUT_MS + 5_000);
  let dir: string | undefined;

  afterEach(function () {
    cleanup(this, dir);
    dir = undefined;
  });

  it('flags the outage as an Error, applies "Ignore … for this statement" by title, writes, and the rule is gone', async function () {
    requireEditor(this, 'nvim');
    const p = project(OUTAGE_PATH, OUTAGE);
    dir = p.dir;
    const run = await nvim(p.dir, p.file, { PGMG_ACTION_RULE: RULE, PGMG_ACTION_TITLE: IGNORE_TITLE });
    const r = run.report;
    console.log(
      `      nvim ${r.version}: first diagnostics ${r.msToFirstDiagnostics} ms after start_client; round trip ${r.totalMs} ms in the driver, ${run.wallMs} ms wall`,
    );

    // The server's publish and Neovim's own view of it (signs, virtual text).
    const pos = outagePosition();
    const mine = r.editorDiagnostics.filter((d) => d.code === RULE);
    assert.deepEqual(
      mine.map((d) => [d.lnum, d.col, d.severity]),
      [[pos.line, pos.character, NVIM_ERROR]],
    );
    assert.equal(r.first.version, 0, 'the publish carries the version Neovim opened the buffer with');

    // The menu offered every action for the line's diagnostics; the one picked by title was applied.
    assert.deepEqual([...(r.offered ?? [])].sort(), await expectedActions(seen(r.first.diagnostics)));
    assert.ok((r.offered ?? []).length > 2, 'several actions: picking by title mattered');
    assert.equal(r.applied, IGNORE_TITLE);
    assert.deepEqual(r.notifications, [], 'no "No code actions available" or other notices');

    // Written to disk: the comment directly above the statement, nothing else changed.
    assert.equal(r.modifiedAfterWrite, false);
    const disk = readFileSync(p.file, 'utf8');
    assert.equal(disk, withIgnoreComment(OUTAGE));
    assert.equal(r.bufferText + '\n', disk);

    // Re-published for the edited version.
    assert.ok(r.after, 'a publish for the edited version');
    assert.equal(r.after.version, r.editedVersion);
    assertRoundTrip(seen(r.first.diagnostics), seen(r.after.diagnostics));
    assert.ok(!(r.editorDiagnosticsAfter ?? []).some((d) => d.code === RULE), 'Neovim no longer shows the rule');
    assertServerHealthy(r);
  });

  it('publishes an empty list for a clean file (an answer, not a timeout)', async function () {
    requireEditor(this, 'nvim');
    const p = project('db/migrations/20251105000000_create_t.sql', 'CREATE TABLE t (id bigint);\n');
    dir = p.dir;
    const run = await nvim(p.dir, p.file);
    const r = run.report;
    console.log(`      nvim ${r.version}: clean file, first (empty) diagnostics ${r.msToFirstDiagnostics} ms after start_client, ${run.wallMs} ms wall`);
    assert.deepEqual(r.first.diagnostics, []);
    assert.deepEqual(r.editorDiagnostics, []);
    assert.ok(r.publishes.every((x) => x.diagnostics.length === 0));
    assert.equal(readFileSync(p.file, 'utf8'), 'CREATE TABLE t (id bigint);\n', 'file untouched');
    assertServerHealthy(r);
  });
});
