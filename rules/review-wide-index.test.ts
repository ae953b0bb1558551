import assert from 'node:assert/strict';
import { findings, underlined } from '../test/helpers';

const RULE = 'review-wide-index';

describe(RULE, () => {
  it('flags a non-unique b-tree index with more than three key columns and underlines the key list', () => {
    const sql = 'CREATE INDEX CONCURRENTLY events_wide_idx ON events (account_id, user_id, kind, created_at) INCLUDE (title);';
    assert.deepEqual(findings(sql, RULE), [
      `1:53 ${RULE} info: Index events_wide_idx on events has 4 key columns (account_id, user_id, kind, created_at): it is larger and slower to build, ` +
        `and every INSERT and every UPDATE of any of them maintains it, yet queries rarely use it past the leading 3.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['(account_id, user_id, kind, created_at)']);
    assert.deepEqual(underlined('CREATE INDEX i ON events USING btree (a, lower(b), c, d);', RULE), ['(a, lower(b), c, d)']);
  });

  it('applies to new tables as well (it is about the index, not the lock)', () => {
    assert.equal(findings('CREATE TABLE t (a int, b int, c int, d int);\nCREATE INDEX t_idx ON t (a, b, c, d);', RULE).length, 1);
  });

  it('does not flag three keys, INCLUDE columns, unique indexes or other access methods', () => {
    assert.deepEqual(findings('CREATE INDEX i ON events (a, b, c) INCLUDE (d, e);', RULE), []);
    assert.deepEqual(findings('CREATE UNIQUE INDEX i ON events (a, b, c, d);', RULE), []);
    assert.deepEqual(findings('CREATE INDEX i ON events USING gist (a, b, c, d);', RULE), []);
  });
});
