import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'ban-rename-column';

describe(RULE, () => {
  it('flags RENAME COLUMN on an existing table, with the lock from the engine, and underlines the keywords', () => {
    const sql = 'ALTER TABLE events RENAME COLUMN title TO headline;';
    assert.deepEqual(findings(sql, RULE), [
      `1:20 ${RULE} error: Renaming column title of table events to headline breaks running code the moment it commits: every query, ORM mapping and INSERT ` +
        `still naming title fails with 'column "title" does not exist' until the new application version is everywhere. ` +
        `The rename itself holds ACCESS EXCLUSIVE on events, so it also waits behind long queries while reads and writes queue behind it.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['RENAME COLUMN']);
    assert.deepEqual(underlined('ALTER TABLE events RENAME title TO headline;', RULE), ['RENAME']);
  });

  it('suggests expand/contract with the real names', () => {
    const help = lint('ALTER TABLE "Events" RENAME COLUMN title TO "Headline";').findings.find((f) => f.rule === RULE)?.help ?? '';
    assert.match(help, /ALTER TABLE "Events" ADD COLUMN "Headline" <type>/);
    assert.match(help, /drop title in a later migration/);
  });

  it('does not flag renames on a table or column created earlier in the migration', () => {
    assert.deepEqual(findings('CREATE TABLE t (a int);\nALTER TABLE t RENAME COLUMN a TO b;', RULE), []);
    assert.deepEqual(findings('ALTER TABLE events ADD COLUMN tmp int;\nALTER TABLE events RENAME COLUMN tmp TO score;', RULE), []);
  });

  it('does not flag other renames', () => {
    assert.deepEqual(findings('ALTER TABLE events RENAME CONSTRAINT a TO b;', RULE), []);
    assert.deepEqual(findings('ALTER INDEX events_kind_idx RENAME TO events_kind_i;', RULE), []);
  });

  it('flags a rename inside the runner transaction as well (the name breaks either way)', () => {
    assert.equal(findings('-- migrate:up\nALTER TABLE events RENAME COLUMN title TO headline;', RULE, { path: 'db/migrations/1_x.sql' }).length, 1);
  });
});
