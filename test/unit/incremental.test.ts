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
import { analyze, type Analysis, changeBetween, defaultConfig, LineIndex, mergeConfig, ParseCache, reanalyze } from '../../server/src/engine';

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
    lines: Array.from({ length: 20 }, (_, i) => a.lines.positionAt(Math.floor((i / 19) * a.text.length))),
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

  it('gives what a whole-file analysis gives, edit after edit, and takes the fast path for most edits inside a line', () => {
    let fast = 0;
    let steps = 0;
    fc.assert(
      fc.property(fc.constantFrom(...corpus), fc.array(editArb, { minLength: 1, maxLength: 12 }), (file, edits) => {
        const cache = new ParseCache();
        let text = file.text;
        let current = analyze(text, options(file.path, cache));
        for (const e of edits) {
          const from = Math.floor(e.at * text.length);
          const to = Math.min(text.length, from + e.remove);
          const next = text.slice(0, from) + e.insert + text.slice(to);
          // Every other step passes the editor's view of the change (as the language server does).
          const hint = steps % 2 ? { from, oldTo: to, newTo: from + e.insert.length } : undefined;
          const incremental = reanalyze(current, next, options(file.path, cache), hint);
          steps++;
          if (incremental && incremental !== current) fast++;
          const full = analyze(next, options(file.path));
          if (incremental) assert.deepEqual(digest(incremental), digest(full), `edit at ${from} of ${file.path}: ${JSON.stringify(e)}`);
          current = incremental ?? full;
          text = next;
        }
      }),
      { numRuns: Number(process.env['INCREMENTAL_RUNS'] ?? 300) },
    );
    // The fast path must actually be exercised, not fall back every time.
    assert.ok(fast > steps * 0.15, `fast path on ${fast} of ${steps} edits`);
  });
});
