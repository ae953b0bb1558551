import assert from 'node:assert/strict';
import { findings, underlined } from '../test/helpers';

const RULE = 'ban-drop-not-null';

describe(RULE, () => {
  it('reports DROP NOT NULL on an existing column as info, with the lock from the engine', () => {
    const sql = 'ALTER TABLE accounts ALTER COLUMN name DROP NOT NULL;';
    assert.deepEqual(findings(sql, RULE), [
      `1:35 ${RULE} info: After this, accounts.name can hold NULL: application code, reports and constraints that assume it never does (non-optional fields in an ORM, = comparisons, NOT IN subqueries) start to misbehave. It takes ACCESS EXCLUSIVE on accounts only for a moment (blocks reads and writes).`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['name DROP NOT NULL']);
  });

  it('stays quiet for columns or tables created earlier in the file', () => {
    assert.deepEqual(
      findings("ALTER TABLE accounts ADD COLUMN nickname text NOT NULL DEFAULT '';\nALTER TABLE accounts ALTER COLUMN nickname DROP NOT NULL;", RULE),
      [],
    );
    assert.deepEqual(findings('CREATE TABLE t (a int NOT NULL);\nALTER TABLE t ALTER COLUMN a DROP NOT NULL;', RULE), []);
  });

  it('reports inside runner transactions and on every version', () => {
    assert.equal(
      findings('-- +goose Up\nALTER TABLE accounts ALTER COLUMN name DROP NOT NULL;\n', RULE, { path: 'migrations/00001_x.sql', config: { pgVersion: 11 } })
        .length,
      1,
    );
  });
});
