import assert from 'node:assert/strict';
import { findings, lint } from '../test/helpers';

const RULE = 'review-cascading-foreign-key';

describe(RULE, () => {
  it('flags ON DELETE CASCADE onto an existing child, saying the FK column has no known index', () => {
    const sql = 'ALTER TABLE events ADD CONSTRAINT events_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE NOT VALID;';
    assert.deepEqual(findings(sql, RULE), [
      `1:24 ${RULE} warning: ON DELETE CASCADE from accounts to events: deleting a row of accounts also deletes every events row that references it, inside that same DELETE and holding row locks on all of them. events(account_id) has no index known in this file, so every delete on accounts scans all of events.`,
    ]);
    assert.match(lint(sql).findings.find((f) => f.rule === RULE)?.help ?? '', /^Create an index on events \(account_id\) first/);
  });

  it('says when the child column has an index in this file, at info', () => {
    const sql =
      'CREATE INDEX CONCURRENTLY events_account_id_idx ON events (account_id);\nALTER TABLE events ADD FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE SET NULL;';
    const f = findings(sql, RULE);
    assert.equal(f.length, 1);
    assert.match(f[0] ?? '', / info: ON DELETE SET NULL .*events\(account_id\) has an index, so/);
  });

  it('covers inline REFERENCES on ADD COLUMN and on CREATE TABLE (info for new tables)', () => {
    assert.equal(findings('ALTER TABLE events ADD COLUMN account_id bigint REFERENCES accounts (id) ON DELETE CASCADE;', RULE).length, 1);
    assert.match(findings('CREATE TABLE items (id int, order_id int REFERENCES orders (id) ON DELETE CASCADE);', RULE)[0] ?? '', / info: /);
  });

  it('is quiet for new tables whose FK column is indexed, and for non-cascading FKs', () => {
    assert.deepEqual(findings('CREATE TABLE items (order_id int PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE);', RULE), []);
    assert.deepEqual(findings('ALTER TABLE events ADD FOREIGN KEY (account_id) REFERENCES accounts (id);', RULE), []);
    assert.deepEqual(findings('ALTER TABLE events ADD FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE RESTRICT;', RULE), []);
  });

  it('includes the known child size', () => {
    const sql = 'ALTER TABLE events ADD FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE;';
    assert.match(findings(sql, RULE, { config: { tables: { events: { rows: 1_150_000 } } } })[0] ?? '', /~1\.15M rows/);
  });
});
