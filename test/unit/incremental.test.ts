/**
 * The incremental analysis (`reanalyze`, used by the language server on every edit) must give what a
 * whole-file analysis gives: every finding (rule, severity, range, message, help), every fix, the
 * statements, comments and line positions. Random edit sequences over the example migrations and
 * a generated stretch like the benchmark's; each step compares with a fresh `analyze`.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { allRules } from '../../rules';
import { analyze, type Analysis, byPosition, changeBetween, defaultConfig, LineIndex, mergeConfig, ParseCache, reanalyze } from '../../server/src/engine';

const ROOT = join(__dirname, '..', '..');

function sqlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...sqlFiles(p));
    else if (p.endsWith('.sql')) out.push(p);
  }
  return out.sort();
}

/** A stretch shaped like bench/generate.mjs output: steps with comments, safe and unsafe DDL on a few tables. */
function generated(n: number): string {
  const tables = ['events', 'orders', 'users'];
  const shapes = [
    (t: string, i: number) => `CREATE INDEX ${t}_kind_idx_${i} ON ${t} (kind);`,
    (t: string, i: number) => `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS note_${i} text;`,
    (t: string, i: number) => `ALTER TABLE ${t} ADD COLUMN required_${i} integer NOT NULL;`,
    (t: string) => `ALTER TABLE ${t} ALTER COLUMN status SET NOT NULL;`,
    (t: string, i: number) => `ALTER TABLE ${t} ADD CONSTRAINT ${t}_fk_${i} FOREIGN KEY (kind) REFERENCES users (id) ON DELETE CASCADE;`,
    (t: string, i: number) => `ALTER TABLE ${t} ADD CONSTRAINT ${t}_check_${i} CHECK (amount > 0);`,
    (t: string, i: number) => `ALTER TABLE ${t} VALIDATE CONSTRAINT ${t}_check_${i - 1};`,
    (t: string, i: number) => `DROP INDEX ${t}_kind_idx_${i - 7};`,
    (t: string, i: number) => `INSERT INTO ${t} (id, status) VALUES (${i}, 'seed ${i}');`,
    (t: string, i: number) => `ALTER TABLE ${t} RENAME COLUMN note_${i - 8} TO memo_${i};`,
    (t: string, i: number) => `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${t}_ix_${i} ON ${t} (user_id);`,
  ];
  const lines = ["SET lock_timeout = '5s';"];
  for (let i = 0; i < n; i++) lines.push(`-- step ${i}`, (shapes[i % shapes.length] as (t: string, i: number) => string)(tables[i % 3] as string, i));
  return `${lines.join('\n')}\n`;
}

const corpus: Array<{ path: string; text: string }> = [
  ...sqlFiles(join(ROOT, 'examples')).map((p) => ({ path: p, text: readFileSync(p, 'utf8') })),
  { path: join(ROOT, 'bench-like', 'big.sql'), text: generated(120) },
  { path: join(ROOT, 'bench-like', 'tx.sql'), text: `BEGIN;\n${generated(30)}COMMIT;\n` },
];

const config = mergeConfig(defaultConfig(), { pgVersion: 15 });
const options = (path: string, cache?: ParseCache) => ({ path, config, rules: allRules, ...(cache ? { cache } : {}) });

function digest(a: Analysis): unknown {
  return {
    findings: a.findings.map((f) => [f.rule, f.severity, f.start, f.end, f.statementIndex, f.message, f.help ?? null, JSON.stringify(a.fixesFor(f))]),
    statements: a.statements.map((s) => [s.index, s.start, s.end, s.text, s.kind, s.section, s.sectionIndex, s.transaction, s.cost, s.parseError ?? null]),
    sections: a.sections.map((s) => [s.kind, s.start, s.end]),
    comments: a.comments.map((c) => [c.start, c.end, c.text]),
    ignores: a.ignores.map((d) => [d.start, d.end, d.statementIndex, d.rules]),
    lines: linesOf(a),
  };
}

function linesOf(a: Analysis): unknown {
  return Array.from({ length: 20 }, (_, i) => a.lines.positionAt(Math.floor((i / 19) * a.text.length)));
}

/**
 * While statements are held, the analysis is that of the text with each held statement's last valid
 * text in its place, except on the held statements themselves, which are what a whole-file analysis
 * says of them now (invalid, their syntax errors).
 */
function expectedWhileHeld(a: Analysis, full: Analysis, path: string): unknown {
  const held = a.held ?? [];
  const heldIndexes = new Set(held.map((h) => h.index));
  // Offsets of the restored text, back to the current text: [restored offset from, shift], in order.
  let restoredText = '';
  let at = 0;
  const shifts: Array<[number, number]> = [];
  for (const h of held) {
    const s = a.statements[h.index] as Analysis['statements'][number];
    restoredText += a.text.slice(at, s.start) + h.validText;
    at = s.end;
    shifts.push([restoredText.length, s.end - restoredText.length]);
  }
  restoredText += a.text.slice(at);
  const back = (o: number): number => {
    let by = 0;
    for (const [from, shift] of shifts) if (o >= from) by = shift;
    return o + by;
  };
  const restored = analyze(restoredText, options(path));
  for (const h of held) assert.equal(restored.statements[h.index]?.kind, h.meaning.kind);
  const findings = [
    ...restored.findings.filter((f) => !heldIndexes.has(f.statementIndex)).map((f) => ({ ...f, start: back(f.start), end: back(f.end) })),
    ...full.findings.filter((f) => heldIndexes.has(f.statementIndex)),
  ].sort(byPosition);
  return {
    findings: findings.map((f) => [f.rule, f.severity, f.start, f.end, f.statementIndex, f.message, f.help ?? null]),
    statements: full.statements.map((x, i) => [
      x.index,
      x.start,
      x.end,
      x.text,
      x.kind,
      x.parseError ?? null,
      restored.statements[i]?.transaction,
      heldIndexes.has(i) ? 'none' : restored.statements[i]?.cost,
    ]),
    lines: linesOf(full),
    // Fixes are built with the held meanings too (for findings that have any).
    fixes: restored.findings.filter((f) => !heldIndexes.has(f.statementIndex)).map((f) => restored.fixesFor(f).length),
  };
}

function heldDigest(a: Analysis): unknown {
  const heldIndexes = new Set((a.held ?? []).map((h) => h.index));
  return {
    findings: a.findings.map((f) => [f.rule, f.severity, f.start, f.end, f.statementIndex, f.message, f.help ?? null]),
    statements: a.statements.map((x) => [x.index, x.start, x.end, x.text, x.kind, x.parseError ?? null, x.transaction, x.cost]),
    lines: linesOf(a),
    fixes: a.findings.filter((f) => !heldIndexes.has(f.statementIndex)).map((f) => a.fixesFor(f).length),
  };
}

const editArb = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 4 })),
  insert: fc.oneof(
    fc.constantFrom('', ' ', 'x', '1', ';', "'", '(', ')', '-', '--', '/*', '$$', 'e', ',', '\n', '"', 'NOT VALID', ' CONCURRENTLY'),
    fc.string({ maxLength: 3 }),
  ),
});

/**
 * Random edit sequences over the corpus; after each step the incremental result must equal a
 * whole-file analysis (or, with statements held, the analysis of the text they were valid in).
 */
type Edit = { at: number; remove: number; insert: string };

/** Where an edit lands: anywhere (`at` along the text), or near the start of a line, where keywords are. */
const anywhere = (text: string, e: Edit): number => Math.floor(e.at * text.length);
const nearLineStart = (text: string, e: Edit): number => {
  const lineStart = text.lastIndexOf('\n', Math.floor(e.at * text.length)) + 1;
  const lineEnd = text.indexOf('\n', lineStart);
  return Math.min(lineStart + 1 + (Math.floor(e.at * 1000) % 5), lineEnd === -1 ? text.length : lineEnd);
};

function replayRandomEdits(
  edit: fc.Arbitrary<Edit>,
  runs: number,
  place = anywhere,
  files = corpus,
): { fast: number; steps: number; held: number; mostHeld: number } {
  const seen = { fast: 0, steps: 0, held: 0, mostHeld: 0 };
  fc.assert(
    fc.property(fc.constantFrom(...files), fc.array(edit, { minLength: 1, maxLength: 12 }), (file, edits) => {
      const cache = new ParseCache();
      let text = file.text;
      let current = analyze(text, options(file.path, cache));
      for (const e of edits) {
        const from = place(text, e);
        const to = Math.min(text.length, from + e.remove);
        const next = text.slice(0, from) + e.insert + text.slice(to);
        // Every other step passes the editor's view of the change (as the language server does).
        const hint = seen.steps % 2 ? { from, oldTo: to, newTo: from + e.insert.length } : undefined;
        const incremental = reanalyze(current, next, options(file.path, cache), hint);
        seen.steps++;
        if (incremental && incremental !== current) seen.fast++;
        const full = analyze(next, options(file.path));
        const what = `edit at ${from} of ${file.path}: ${JSON.stringify(e)}`;
        if (incremental?.held) {
          seen.held++;
          seen.mostHeld = Math.max(seen.mostHeld, incremental.held.length);
          assert.deepEqual(heldDigest(incremental), expectedWhileHeld(incremental, full, file.path), what);
        } else if (incremental) assert.deepEqual(digest(incremental), digest(full), what);
        current = incremental ?? full;
        text = next;
      }
    }),
    { numRuns: runs },
  );
  return seen;
}

describe('incremental analysis (reanalyze)', () => {
  it('finds the single change between two texts', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (prefix, removed, inserted, suffix) => {
        const before = prefix + removed + suffix;
        const after = prefix + inserted + suffix;
        const c = changeBetween(before, after);
        assert.equal(before.slice(0, c.from) + after.slice(c.from, c.newTo) + before.slice(c.oldTo), after);
        assert.equal(before.length - c.oldTo, after.length - c.newTo);
      }),
      { numRuns: 500 },
    );
  });

  it('moves line starts like a fresh index after any edit', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '\n', '\r', 'b') }), editArb, (text, e) => {
        const from = Math.floor(e.at * text.length);
        const to = Math.min(text.length, from + e.remove);
        const next = text.slice(0, from) + e.insert + text.slice(to);
        const moved = new LineIndex(text).withEdit(next, from, to);
        const fresh = new LineIndex(next);
        assert.equal(moved.lineCount, fresh.lineCount);
        for (let o = 0; o <= next.length; o++) assert.deepEqual(moved.positionAt(o), fresh.positionAt(o));
      }),
      { numRuns: 500 },
    );
  });

  it('holds the meaning of a statement an edit breaks until it parses again', () => {
    const text = 'CREATE TABLE t (id int);\nCREATE INDEX IF NOT EXISTS t_id_idx ON t (id);\nALTER TABLE t ADD COLUMN c text NOT NULL;\n';
    const cache = new ParseCache();
    const valid = analyze(text, options('m.sql', cache));
    const rulesOn = (a: Analysis, i: number): string[] => a.findings.filter((f) => f.statementIndex === i).map((f) => f.rule);
    // The table is created in the file: the index build and the NOT NULL column are harmless.
    assert.deepEqual([rulesOn(valid, 1), rulesOn(valid, 2)], [[], []]);

    const broken = text.replace('CREATE TABLE', 'CREATEx TABLE');
    const held = reanalyze(valid, broken, options('m.sql', cache), { from: 6, oldTo: 6, newTo: 7 });
    assert.equal(held?.held?.length, 1, 'the broken statement is held');
    assert.equal(held.held[0]?.index, 0);
    assert.equal(held.held[0]?.validText, 'CREATE TABLE t (id int);');
    assert.deepEqual(rulesOn(held, 0), ['syntax-error']);
    assert.equal(held.statements[0]?.kind, 'Invalid');
    // The other statements keep what they had; a whole-file analysis would now treat t as an existing table.
    assert.deepEqual([rulesOn(held, 1), rulesOn(held, 2)], [[], []]);
    const whole = analyze(broken, options('m.sql'));
    assert.ok(rulesOn(whole, 1).includes('require-concurrent-index-creation'));

    // Still broken after another keystroke inside it; then mended: exact again.
    const still = reanalyze(held, broken.replace('CREATEx', 'CREATExy'), options('m.sql', cache), { from: 7, oldTo: 7, newTo: 8 });
    assert.equal(still?.held?.[0]?.index, 0);
    const mended = reanalyze(still as Analysis, text, options('m.sql', cache));
    assert.ok(mended && !mended.held);
    assert.deepEqual(digest(mended), digest(analyze(text, options('m.sql'))));

    // An edit elsewhere while a statement is held is checked with the held meaning.
    const again = reanalyze(analyze(text, options('m.sql', cache)), broken, options('m.sql', cache)) as Analysis;
    const elsewhere = reanalyze(again, broken.replace('ON t (id);', 'ON t ( id);'), options('m.sql', cache));
    assert.equal(elsewhere?.held?.length, 1);
    assert.deepEqual(rulesOn(elsewhere, 1), []);
  });

  it('gives what a whole-file analysis gives, edit after edit, and takes the fast path for most edits inside a line', () => {
    const seen = replayRandomEdits(editArb, Number(process.env['INCREMENTAL_RUNS'] ?? 300));
    // The fast path must actually be exercised, not fall back every time.
    assert.ok(seen.fast > seen.steps * 0.15, `fast path on ${seen.fast} of ${seen.steps} edits`);
    assert.ok(seen.held > 0, 'no edit broke a statement');
  });

  it('holds several broken statements at once, as letters typed into keywords across the file do', () => {
    const letters = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), remove: fc.constant(0), insert: fc.constantFrom('x', ' ', 'e') });
    const benchLike = corpus.filter((f) => f.path.includes('bench-like'));
    const seen = replayRandomEdits(letters, Math.ceil(Number(process.env['INCREMENTAL_RUNS'] ?? 300) / 3), nearLineStart, benchLike);
    assert.ok(seen.mostHeld >= 2, `at most ${seen.mostHeld} statements held at once`);
  });
});
