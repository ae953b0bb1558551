/**
 * Emacs 28 + eglot 1.9 (`emacs --batch -Q`) driving `pg-migration-guard lsp --stdio`: flymake shows
 * the outage, the interactive eglot-code-actions menu is answered by title, the buffer is saved, and
 * the diagnostics re-published for the edited text drop the rule. The Elisp side is driver.el.
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

interface EglotDiagnostic {
  line: number;
  character: number;
  code: string | null;
  severity: number | null;
  source: string | null;
  message: string;
  hasData: boolean;
}

interface FlymakeDiagnostic {
  line: number;
  type: string;
  code: string | null;
  text: string;
}

interface EmacsReport {
  version: string;
  eglot: string;
  msToFirstDiagnostics: number;
  totalMs: number;
  publishes: Array<Publish<EglotDiagnostic>>;
  first: Publish<EglotDiagnostic>;
  after?: Publish<EglotDiagnostic>;
  editedVersion?: number;
  editorDiagnostics: FlymakeDiagnostic[];
  editorDiagnosticsAfter?: FlymakeDiagnostic[];
  offered?: string[];
  applied?: string;
  modifiedAfterWrite?: boolean;
  bufferText: string;
  serverExit: { status: string; code: number };
  logs: Array<{ type: number; message: string }>;
  warnings: string[];
}

const seen = (ds: EglotDiagnostic[]): Seen[] =>
  ds.map((d) => ({ line: d.line, character: d.character, code: String(d.code), severity: d.severity, source: d.source }));

function emacs(dir: string, file: string, env: Record<string, string> = {}) {
  return runEditor<EmacsReport>('emacs', ['--batch', '-Q', '-l', join(__dirname, 'driver.el')], dir, file, env);
}

function assertServerGone(r: EmacsReport): void {
  // eglot-shutdown sends shutdown and exit, then jsonrpc-shutdown deletes the process at once, so the
  // status is usually "signal 9" even though the server exits on exit (the Neovim test checks code 0).
  assert.ok(['exit', 'signal'].includes(r.serverExit.status), `server process ${r.serverExit.status}`);
  assert.deepEqual(
    r.logs.filter((l) => l.type === 1),
    [],
    'no errors logged by the server',
  );
  if (r.warnings.length > 0) console.log(`      eglot warnings: ${r.warnings.join(' | ')}`);
}

describe('editors: Emacs 28 + eglot --batch as LSP client', function () {
  this.timeout(EDITOR_TIMEOUT_MS + 5_000);
  let dir: string | undefined;

  afterEach(function () {
    cleanup(this, dir);
    dir = undefined;
  });

  it('flymake shows the outage as an error, the ignore action chosen by title is applied and saved, and the rule is gone', async function () {
    requireEditor(this, 'emacs');
    const p = project(OUTAGE_PATH, OUTAGE);
    dir = p.dir;
    const run = await emacs(p.dir, p.file, { PGMG_ACTION_RULE: RULE, PGMG_ACTION_TITLE: IGNORE_TITLE });
    const r = run.report;
    console.log(
      `      emacs ${r.version} + eglot ${r.eglot}: first diagnostics ${r.msToFirstDiagnostics} ms after eglot--connect; round trip ${r.totalMs} ms in the driver, ${run.wallMs} ms wall`,
    );

    // What flymake shows: our code in the text, an eglot-error on the statement's line.
    const pos = outagePosition();
    const mine = r.editorDiagnostics.filter((d) => d.code === RULE);
    assert.deepEqual(
      mine.map((d) => [d.line, d.type]),
      [[pos.line, 'eglot-error']],
    );
    assert.match(mine[0]?.text ?? '', new RegExp(`^pg-migration-guard \\[${RULE}\\]: Adding the stored generated column search_vector rewrites events`));
    assert.ok(
      r.first.diagnostics.every((d) => d.hasData),
      'each diagnostic carries data (the statement index the code actions need)',
    );

    // The menu held every action for the line; the one chosen by title was applied.
    assert.deepEqual([...(r.offered ?? [])].sort(), await expectedActions(seen(r.first.diagnostics)));
    assert.ok((r.offered ?? []).length > 2, 'several actions: choosing by title mattered');
    assert.equal(r.applied, IGNORE_TITLE);

    // Saved: the comment directly above the statement, nothing else changed.
    assert.equal(r.modifiedAfterWrite, false);
    const disk = readFileSync(p.file, 'utf8');
    assert.equal(disk, withIgnoreComment(OUTAGE));
    assert.equal(r.bufferText, disk);

    // Re-published for the edited version, and flymake followed.
    assert.ok(r.after, 'a publish for the edited version');
    assert.equal(r.after.version, r.editedVersion);
    assertRoundTrip(seen(r.first.diagnostics), seen(r.after.diagnostics));
    assert.ok(!(r.editorDiagnosticsAfter ?? []).some((d) => d.code === RULE), 'flymake no longer shows the rule');
    assert.deepEqual(
      (r.editorDiagnosticsAfter ?? []).map((d) => `${d.line}:${d.code}`).sort(),
      seen(r.after.diagnostics)
        .map((d) => `${d.line}:${d.code}`)
        .sort(),
      'flymake shows exactly the last publish',
    );
    assertServerGone(r);
  });

  it('publishes an empty list for a clean file (an answer, not a timeout)', async function () {
    requireEditor(this, 'emacs');
    const p = project('db/migrations/20251105000000_create_t.sql', 'CREATE TABLE t (id bigint);\n');
    dir = p.dir;
    const run = await emacs(p.dir, p.file);
    const r = run.report;
    console.log(
      `      emacs ${r.version} + eglot ${r.eglot}: clean file, first (empty) diagnostics ${r.msToFirstDiagnostics} ms after eglot--connect, ${run.wallMs} ms wall`,
    );
    assert.deepEqual(r.first.diagnostics, []);
    assert.deepEqual(r.editorDiagnostics, []);
    assert.ok(r.publishes.every((x) => x.diagnostics.length === 0));
    assert.equal(readFileSync(p.file, 'utf8'), 'CREATE TABLE t (id bigint);\n', 'file untouched');
    assertServerGone(r);
  });
});
