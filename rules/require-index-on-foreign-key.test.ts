import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'require-index-on-foreign-key';
const FK = 'ALTER TABLE events ADD CONSTRAINT events_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;';

describe(RULE, () => {
  it('flags a foreign key on an existing table whose columns have no index in this file', () => {
    assert.deepEqual(findings(FK, RULE), [
      `1:24 ${RULE} warning: Foreign key from events(user_id) to users: events(user_id) has no index known in this file, so every DELETE on users, and every change of a key of users, scans all of events to look for referencing rows.`,
    ]);
    assert.deepEqual(underlined(FK, RULE), ['CONSTRAINT events_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;']);
    assert.match(
      lint(FK).findings.find((f) => f.rule === RULE)?.help ?? '',
      /^Add `CREATE INDEX CONCURRENTLY events_user_id_idx ON events \(user_id\)` before the foreign key/,
    );
  });

  it('reports new tables at info, with a plain CREATE INDEX', () => {
    const sql = 'CREATE TABLE invoices (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));';
    assert.match(findings(sql, RULE)[0] ?? '', / info: Foreign key from invoices\(order_id\) to orders/);
    assert.match(lint(sql).findings.find((f) => f.rule === RULE)?.help ?? '', /`CREATE INDEX invoices_order_id_idx ON invoices \(order_id\)`/);
  });

  it('covers ADD COLUMN … REFERENCES', () => {
    assert.equal(findings('ALTER TABLE events ADD COLUMN owner_id bigint REFERENCES users (id);', RULE).length, 1);
  });

  it('accepts an index, primary key or unique constraint whose leading columns cover the key', () => {
    assert.deepEqual(findings(`CREATE INDEX CONCURRENTLY events_user_id_idx ON events (user_id, created_at);\n${FK}`, RULE), []);
    assert.deepEqual(findings('CREATE TABLE m (order_id bigint REFERENCES orders (id), n int, PRIMARY KEY (order_id, n));', RULE), []);
    assert.equal(findings(`CREATE INDEX events_user_id_idx ON events (created_at, user_id);\n${FK}`, RULE).length, 1);
    assert.equal(findings(`CREATE INDEX p ON events (user_id) WHERE user_id IS NOT NULL;\n${FK}`, RULE).length, 1);
  });

  it('leaves cascading keys to review-cascading-foreign-key (no duplicate finding)', () => {
    const sql = 'ALTER TABLE events ADD FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE NOT VALID;';
    assert.deepEqual(findings(sql, RULE), []);
    assert.equal(findings(sql, 'review-cascading-foreign-key').length, 1);
    assert.deepEqual(findings('ALTER TABLE events ADD FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL NOT VALID;', RULE), []);
    assert.equal(findings('ALTER TABLE events ADD FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE RESTRICT NOT VALID;', RULE).length, 1);
  });
});
