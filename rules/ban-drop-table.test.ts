import assert from 'node:assert/strict';
import { findings, underlined } from '../test/helpers';

const RULE = 'ban-drop-table';

describe(RULE, () => {
  it('flags dropping an existing table', () => {
    assert.deepEqual(findings('DROP TABLE audit_log;', RULE), [
      `1:1 ${RULE} warning: Dropping audit_log breaks every running query that still uses it, and the rows cannot be brought back once this commits. It takes ACCESS EXCLUSIVE on audit_log (blocks reads and writes), and waits for every open transaction that touched it.`,
    ]);
    assert.deepEqual(underlined('DROP TABLE IF EXISTS audit_log;', RULE), ['DROP TABLE IF EXISTS']);
  });

  it('names every existing table and warns about CASCADE', () => {
    const f = findings('CREATE TABLE tmp (a int);\nDROP TABLE tmp, orders, audit_log CASCADE;', RULE);
    assert.equal(f.length, 1);
    assert.match(f[0] ?? '', /Dropping orders, audit_log breaks/);
    assert.match(f[0] ?? '', /CASCADE also silently drops the views and foreign keys that depend on them/);
  });

  it('stays quiet for tables created earlier in the file (same section or the up section of a dbmate migration)', () => {
    assert.deepEqual(findings('CREATE TABLE tmp (a int);\nDROP TABLE tmp;', RULE), []);
    const dbmate = '-- migrate:up\nCREATE TABLE import_staging (id bigint);\n\n-- migrate:down\nDROP TABLE import_staging;\n';
    assert.deepEqual(findings(dbmate, RULE, { path: 'db/migrations/20250101000000_x.sql' }), []);
  });

  it('ignores DROP INDEX and DROP VIEW', () => {
    assert.deepEqual(findings('DROP INDEX events_kind_idx;\nDROP VIEW v;', RULE), []);
  });
});
