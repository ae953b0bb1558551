import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'ban-add-stored-generated-column';
const OUTAGE =
  "ALTER TABLE events ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(title, '') || ' ' || coalesce(body, ''))) STORED;";

describe(RULE, () => {
  it('flags the outage migration with the lock, the rewrite and the safe shape', () => {
    assert.deepEqual(findings(OUTAGE, RULE), [
      `1:31 ${RULE} warning: Adding the stored generated column search_vector rewrites events under ACCESS EXCLUSIVE: every row is recomputed while all reads and writes on events wait. On a large table this outlasts statement_timeout and the migration fails.`,
    ]);
    assert.match(underlined(OUTAGE, RULE)[0] ?? '', /^search_vector tsvector GENERATED/);
  });

  it('names the columns the expression reads for the trigger', () => {
    const a = findings(OUTAGE, RULE);
    assert.equal(a.length, 1);
    const help = lint(OUTAGE).findings.find((f) => f.rule === RULE)?.help ?? '';
    assert.match(help, /BEFORE INSERT OR UPDATE OF title, body trigger/);
  });

  it('is an error on a table configured as large, info on a small one', () => {
    assert.match(
      findings(OUTAGE, RULE, { config: { tables: { events: { rows: 1_150_000 } } } })[0] ?? '',
      / error: .*\(events: ~1\.15M rows per pg-migration-guard\.json\)/,
    );
    assert.match(findings(OUTAGE, RULE, { config: { tables: { events: { rows: 500 } } } })[0] ?? '', / info: /);
  });

  it('stays quiet for a table created earlier in the same migration', () => {
    assert.deepEqual(findings(`CREATE TABLE events (title text, body text);\n${OUTAGE}`, RULE), []);
  });

  it('stays quiet for plain columns and VIRTUAL generated columns on PostgreSQL 18', () => {
    assert.deepEqual(findings('ALTER TABLE events ADD COLUMN search_vector tsvector;', RULE), []);
    assert.deepEqual(findings('ALTER TABLE events ADD COLUMN doubled int GENERATED ALWAYS AS (n * 2) VIRTUAL;', RULE, { config: { pgVersion: 18 } }), []);
  });

  it('still flags STORED on PostgreSQL 18 and suggests VIRTUAL there', () => {
    const f = lint(OUTAGE, { config: { pgVersion: 18 } }).findings.find((x) => x.rule === RULE);
    assert.ok(f);
    assert.match(f.help ?? '', /VIRTUAL/);
  });

  it('applies in every runner context (dbmate section)', () => {
    assert.equal(
      findings(`-- migrate:up\n${OUTAGE}\n-- migrate:down\nALTER TABLE events DROP COLUMN search_vector;\n`, RULE, {
        path: 'db/migrations/20251104093000_x.sql',
      }).length,
      1,
    );
  });
});
