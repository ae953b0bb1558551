import assert from 'node:assert/strict';
import { findings, underlined } from '../test/helpers';

const RULE = 'ban-drop-database';

describe(RULE, () => {
  it('flags DROP DATABASE as an error', () => {
    const sql = 'DROP DATABASE IF EXISTS analytics;';
    assert.deepEqual(findings(sql, RULE), [
      `1:1 ${RULE} error: DROP DATABASE analytics deletes the whole database and every object and row in it; it cannot be rolled back (it refuses to run inside a transaction block) and fails while any session is connected to analytics, unless WITH (FORCE) disconnects them.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['DROP DATABASE IF EXISTS']);
  });

  it('flags it inside a runner transaction as well', () => {
    assert.equal(
      findings('-- migrate:up\nDROP DATABASE analytics;\n-- migrate:down\nSELECT 1;\n', RULE, { path: 'db/migrations/20250101000000_x.sql' }).length,
      1,
    );
  });

  it('stays quiet for a scratch database created earlier in the same file', () => {
    assert.deepEqual(findings('CREATE DATABASE scratch_copy;\nDROP DATABASE scratch_copy;', RULE), []);
  });
});
