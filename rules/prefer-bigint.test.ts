import assert from 'node:assert/strict';
import { findings, underlined } from '../test/helpers';

const RULE = 'prefer-bigint';

describe(RULE, () => {
  it('flags a 32-bit primary key', () => {
    const sql = 'CREATE TABLE comments (id serial PRIMARY KEY, body text);';
    assert.deepEqual(findings(sql, RULE), [
      `1:27 ${RULE} info: comments.id is a key declared serial: it stops at 2,147,483,647, after which inserts fail, and widening it then rewrites comments (and every table referencing it) while reads and writes on them wait.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['serial']);
  });

  it('flags references, identity columns, table-level keys and *_id columns', () => {
    assert.deepEqual(findings('ALTER TABLE events ADD COLUMN order_id integer REFERENCES orders (id);', RULE), [
      `1:40 ${RULE} info: events.order_id is a reference declared integer: it stops at 2,147,483,647, after which inserts fail, and widening it then rewrites events (and every table referencing it) while reads and writes on them wait.`,
    ]);
    assert.match(findings('CREATE TABLE t (n smallint GENERATED ALWAYS AS IDENTITY);', RULE)[0] ?? '', /a generated id declared smallint: it stops at 32,767/);
    assert.equal(findings('CREATE TABLE t (a int, b int, PRIMARY KEY (a, b));', RULE).length, 2);
    assert.match(findings('CREATE TABLE t (account_id int4);', RULE)[0] ?? '', /an id declared integer/);
  });

  it('stays quiet for counts and quantities, bigint keys and integer arrays', () => {
    assert.deepEqual(findings('CREATE TABLE t (id bigint PRIMARY KEY, qty integer, likes smallint, ids int[]);', RULE), []);
  });
});
