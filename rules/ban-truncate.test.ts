import assert from 'node:assert/strict';
import { findings, underlined } from '../test/helpers';

const RULE = 'ban-truncate';

describe(RULE, () => {
  it('flags TRUNCATE of an existing table as a warning', () => {
    assert.deepEqual(findings('TRUNCATE audit_log;', RULE), [
      `1:1 ${RULE} warning: TRUNCATE deletes every row of audit_log at once and holds ACCESS EXCLUSIVE on audit_log until commit: it blocks reads and writes. The data is gone for every running application, not only this deploy.`,
    ]);
    assert.deepEqual(underlined('TRUNCATE audit_log;', RULE), ['TRUNCATE']);
  });

  it('flags TRUNCATE … CASCADE as an error and underlines CASCADE', () => {
    const sql = 'TRUNCATE orders CASCADE;';
    assert.deepEqual(findings(sql, RULE), [
      `1:17 ${RULE} error: TRUNCATE … CASCADE deletes every row of orders and also of every table with a foreign key to it, and of the tables referencing those in turn, none of which this statement names; it holds ACCESS EXCLUSIVE on orders and on each table it cascades to until commit: it blocks reads and writes.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['CASCADE']);
  });

  it('lists several tables once', () => {
    assert.match(
      findings('TRUNCATE TABLE audit_log, events;', RULE)[0] ?? '',
      /every row of audit_log, events at once and holds ACCESS EXCLUSIVE on each of them/,
    );
  });

  it('does not flag a table created in this migration', () => {
    assert.deepEqual(findings('CREATE TABLE staging (a int);\nTRUNCATE staging;', RULE), []);
  });
});
