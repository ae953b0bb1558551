import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'ban-vacuum-full';

describe(RULE, () => {
  it('flags VACUUM FULL on a table and underlines FULL', () => {
    const sql = 'VACUUM FULL events;';
    assert.deepEqual(findings(sql, RULE), [
      `1:8 ${RULE} warning: VACUUM FULL writes a complete new copy of events and rebuilds all its indexes while holding ACCESS EXCLUSIVE on it: it blocks reads and writes until the copy is done, and needs free disk space for the whole copy.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['FULL']);
    assert.match(lint(sql).findings.find((f) => f.rule === RULE)?.help ?? '', /^Use plain `VACUUM events`/);
  });

  it('flags the parenthesized form and the database-wide form', () => {
    assert.equal(findings('VACUUM (FULL, ANALYZE) events, orders;', RULE).length, 2);
    assert.match(findings('VACUUM FULL;', RULE)[0] ?? '', /without a table name rewrites every table/);
  });

  it('does not flag plain VACUUM, VACUUM FULL false, or a new table', () => {
    assert.deepEqual(findings('VACUUM (ANALYZE) events;', RULE), []);
    assert.deepEqual(findings('CREATE TABLE t (a int);\nVACUUM FULL t;', RULE), []);
  });

  it('escalates with a known table size', () => {
    assert.match(findings('VACUUM FULL events;', RULE, { config: { tables: { events: { rows: 2_000_000 } } } })[0] ?? '', / error: .*~2M rows/);
  });
});
