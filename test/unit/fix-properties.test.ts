/**
 * Property tests for every fix the engine offers (issue 7, "never lose data"): over generated
 * migrations for each runner, with LF or CRLF line endings, indentation and comments around the
 * statements, each fix
 * - edits only the statements it targets (or the section's directive line, or inserts whole lines),
 * - keeps the file's line endings in what it writes into it,
 * - leaves every other statement of the file in place, in order, byte for byte,
 * - never creates a file that already exists, nor the same file twice.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { allRules } from '../../rules';
import { analyze, applyEdits, buildBaseline, type CreateStep, defaultConfig, type EditStep, type FixEnvironment, mergeConfig } from '../../server/src/engine';

/** Statements with a fix (on a table that earlier migrations created), and neutral ones around them. */
const UNSAFE = [
  'CREATE INDEX events_kind_idx ON events (kind);',
  'CREATE UNIQUE INDEX events_ref_key ON events (ref);',
  'DROP INDEX events_old_idx;',
  'ALTER TABLE events ALTER COLUMN kind SET NOT NULL;',
  'ALTER TABLE events ADD CONSTRAINT events_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);',
  'ALTER TABLE events ADD CONSTRAINT events_amount_positive CHECK (amount > 0);',
  'ALTER TABLE events ADD CONSTRAINT events_ref_unique UNIQUE (ref);',
  "ALTER TABLE events ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(title, ''))) STORED;",
  'ALTER TABLE events ADD COLUMN token uuid DEFAULT gen_random_uuid();',
  'ALTER TABLE events ALTER COLUMN amount TYPE numeric(20,2);',
  'CREATE INDEX CONCURRENTLY IF NOT EXISTS events_user_idx ON events (user_id);',
  'REINDEX INDEX events_user_idx;',
  'REFRESH MATERIALIZED VIEW daily_totals;',
];
const NEUTRAL = [
  'ALTER TABLE events ADD COLUMN note text;',
  "COMMENT ON TABLE events IS 'ünïcödé ✓ -- not a comment; really';",
  'SELECT 1;',
  "UPDATE accounts SET name = 'x' WHERE id = 1;",
  'CREATE TABLE audit (id bigint PRIMARY KEY, body text);',
];
const FILLER = ['-- a comment line', '/* block\n   comment */', ''];

interface Layout {
  path: string;
  head: string;
  tail: string;
  history: Record<string, string>;
}

const HISTORY_SQL =
  'CREATE TABLE accounts (id bigint PRIMARY KEY, name text);\n' +
  'CREATE TABLE events (id bigint PRIMARY KEY, account_id bigint, user_id bigint, kind text, ref text, title text, amount integer);\n' +
  'CREATE INDEX events_old_idx ON events (kind);\n' +
  'CREATE MATERIALIZED VIEW daily_totals AS SELECT account_id, count(*) AS n FROM events GROUP BY account_id;\n' +
  'CREATE UNIQUE INDEX daily_totals_key ON daily_totals (account_id);\n';

const LAYOUTS: Layout[] = [
  {
    path: '/w/db/migrations/20250301000000_change.sql',
    head: '-- migrate:up',
    tail: '-- migrate:down\nSELECT 1;',
    history: { '/w/db/migrations/20250101000000_init.sql': `-- migrate:up\n${HISTORY_SQL}\n-- migrate:down\n` },
  },
  {
    path: '/w/db/migrations/20250301000000_change.sql',
    head: '-- migrate:up transaction:false',
    tail: '',
    history: { '/w/db/migrations/20250101000000_init.sql': `-- migrate:up\n${HISTORY_SQL}` },
  },
  {
    path: '/w/migrations/20250301000000_change.sql',
    head: '-- +goose Up',
    tail: '-- +goose Down\nSELECT 1;',
    history: { '/w/migrations/20250101000000_init.sql': `-- +goose Up\n${HISTORY_SQL}` },
  },
  {
    path: '/w/migrations/000002_change.up.sql',
    head: '',
    tail: '',
    history: { '/w/migrations/000001_init.up.sql': HISTORY_SQL },
  },
  {
    path: '/w/sql/V2__change.sql',
    head: '',
    tail: '',
    history: { '/w/sql/V1__init.sql': HISTORY_SQL },
  },
  { path: '/w/deploy/change.sql', head: '', tail: '', history: {} },
];

const dirOf = (p: string): string => p.slice(0, p.lastIndexOf('/'));
const baseOf = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

const migrationArb = fc.record({
  layout: fc.constantFrom(...LAYOUTS),
  crlf: fc.boolean(),
  indent: fc.constantFrom('', '  ', '\t'),
  body: fc.array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...UNSAFE) }, fc.constantFrom(...NEUTRAL), fc.constantFrom(...FILLER)), {
    minLength: 1,
    maxLength: 8,
  }),
});

function render(m: { layout: Layout; crlf: boolean; indent: string; body: string[] }): string {
  const eol = m.crlf ? '\r\n' : '\n';
  const lines = [m.layout.head, ...m.body.map((s: string) => (s ? m.indent + s : s)), m.layout.tail].filter(
    (l, i, all) => l !== '' || (i > 0 && i < all.length - 1),
  );
  return lines.join('\n').replace(/\n/g, eol) + eol;
}

describe('fix properties (every fix, every runner layout, LF and CRLF)', function () {
  this.timeout(120_000);
  const runs = Number(process.env.FIX_PROPERTY_RUNS ?? 250);

  it('edits only what it targets, keeps line endings and the other statements, never overwrites a file', () => {
    let fixesChecked = 0;
    fc.assert(
      fc.property(migrationArb, (m) => {
        const text = render(m);
        const files = new Map(Object.entries(m.layout.history));
        files.set(m.layout.path, text);
        const env: FixEnvironment = { listDir: (dir) => [...files.keys()].filter((p) => dirOf(p) === dir).map(baseOf) };
        const config = mergeConfig(defaultConfig(), { pgVersion: 15 });
        const history = Object.entries(m.layout.history).map(([path, t]) => ({ path, text: t }));
        const baseline = history.length > 0 ? buildBaseline(history) : undefined;
        const analysis = analyze(text, { path: m.layout.path, config, rules: allRules, fixEnv: env, ...(baseline ? { baseline } : {}) });
        const eol = m.crlf ? '\r\n' : '\n';
        for (const finding of analysis.findings) {
          const target = analysis.statements[finding.statementIndex];
          for (const fix of analysis.fixesFor(finding)) {
            fixesChecked++;
            const edits = fix.steps.filter((s): s is EditStep => s.kind === 'edit');
            const touched = new Set<number>();
            for (const e of edits) {
              assert.ok(e.start >= 0 && e.end <= text.length && e.start <= e.end, `${fix.title}: edit out of the text`);
              const within = analysis.statements.filter((s) => e.start < s.end && e.end > s.start);
              within.forEach((s) => touched.add(s.index));
              if (e.start === e.end && within.length === 0) {
                // an insertion between statements: whole lines, at a line start
                assert.ok(e.start === 0 || text[e.start - 1] === '\n', `${fix.title}: insertion in the middle of a line`);
              } else if (within.length === 0) {
                // not a statement: must be the section's directive comment
                assert.match(text.slice(e.start, e.end), /^--\s*migrate:/, `${fix.title}: edited ${JSON.stringify(text.slice(e.start, e.end))}`);
              }
              // what it writes into this file uses the file's line ending
              const bare = m.crlf ? /(?<!\r)\n/.test(e.newText) : /\r/.test(e.newText);
              assert.ok(!bare, `${fix.title}: wrote a line ending other than ${JSON.stringify(eol)}: ${JSON.stringify(e.newText)}`);
            }
            assert.ok(target === undefined || touched.size === 0 || touched.has(target.index), `${fix.title}: edits statements but not the one it fixes`);
            // every statement the fix does not touch is still there, in order, byte for byte
            const fixed = applyEdits(text, fix.steps);
            let from = 0;
            for (const s of analysis.statements) {
              if (touched.has(s.index)) continue;
              const at = fixed.indexOf(s.text, from);
              assert.ok(at >= 0, `${fix.title}: lost ${JSON.stringify(s.text)}`);
              from = at + s.text.length;
            }
            // new files: never an existing one, never twice
            const creates = fix.steps.filter((s): s is CreateStep => s.kind === 'create');
            const paths = creates.map((c) => c.path);
            assert.equal(new Set(paths).size, paths.length, `${fix.title}: creates a file twice`);
            for (const p of paths) assert.ok(!files.has(p), `${fix.title}: would overwrite ${p}`);
          }
        }
      }),
      { numRuns: runs, seed: Number(process.env.FIX_PROPERTY_SEED ?? 20261121) },
    );
    assert.ok(fixesChecked > runs, `only ${fixesChecked} fixes were produced over ${runs} files`);
  });
});
