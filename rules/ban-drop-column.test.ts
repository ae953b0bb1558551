import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'ban-drop-column';
const SQL = 'ALTER TABLE events DROP COLUMN legacy_flag;';

describe(RULE, () => {
  it('flags dropping an existing column, with the lock from the engine', () => {
    assert.deepEqual(findings(SQL, RULE), [
      `1:20 ${RULE} warning: Dropping events.legacy_flag breaks every running query that still names it (SELECTs, INSERTs listing it, ORMs that cached the column list), and the data cannot be brought back once this commits. It also takes ACCESS EXCLUSIVE on events for a moment (blocks reads and writes).`,
    ]);
    assert.deepEqual(underlined(SQL, RULE), ['DROP COLUMN legacy_flag']);
    assert.match(lint(SQL).findings.find((f) => f.rule === RULE)?.help ?? '', /later migration: ALTER TABLE events DROP COLUMN legacy_flag;/);
  });

  it('underlines each dropped column, quoted or not', () => {
    assert.deepEqual(underlined('ALTER TABLE events DROP COLUMN IF EXISTS "Body", DROP title;', RULE), ['DROP COLUMN IF EXISTS "Body"', 'DROP title']);
  });

  it('stays quiet for columns or tables created earlier in the file, including a down section undoing its up section', () => {
    assert.deepEqual(findings(`ALTER TABLE events ADD COLUMN scratch text;\n${SQL.replace('legacy_flag', 'scratch')}`, RULE), []);
    assert.deepEqual(findings(`CREATE TABLE t (a int, b int);\nALTER TABLE t DROP COLUMN b;`, RULE), []);
    const dbmate = '-- migrate:up\nALTER TABLE events ADD COLUMN import_note text;\n\n-- migrate:down\nALTER TABLE events DROP COLUMN import_note;\n';
    assert.deepEqual(findings(dbmate, RULE, { path: 'db/migrations/20250101000000_x.sql' }), []);
  });
});
