import assert from 'node:assert/strict';
import { findings, underlined } from '../test/helpers';

const RULE = 'ban-cluster';

describe(RULE, () => {
  it('flags CLUSTER on an existing table', () => {
    const sql = 'CLUSTER orders USING orders_pkey;';
    assert.deepEqual(findings(sql, RULE), [
      `1:1 ${RULE} warning: CLUSTER writes a new copy of orders sorted by orders_pkey and rebuilds all its indexes while holding ACCESS EXCLUSIVE on it: it blocks reads and writes until the copy is done. The order is not kept for later writes.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['CLUSTER']);
  });

  it('flags CLUSTER without a table or an index', () => {
    assert.match(findings('CLUSTER;', RULE)[0] ?? '', /rewrites every table that was clustered before/);
    assert.match(findings('CLUSTER orders;', RULE)[0] ?? '', /sorted by its clustering index/);
  });

  it('does not flag a table created in this migration, nor ALTER TABLE … CLUSTER ON', () => {
    assert.deepEqual(findings('CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\nCLUSTER t USING t_a;', RULE), []);
    assert.deepEqual(findings('ALTER TABLE orders CLUSTER ON orders_pkey;', RULE), []);
  });
});
