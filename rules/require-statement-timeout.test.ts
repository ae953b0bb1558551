import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'require-statement-timeout';
const TYPE = 'ALTER TABLE events ALTER COLUMN amount TYPE bigint;';

describe(RULE, () => {
  it('flags a rewrite with no statement_timeout, with message and underline', () => {
    assert.deepEqual(findings(TYPE, RULE), [
      `1:1 ${RULE} info: ALTER TABLE rewrites events, holding ACCESS EXCLUSIVE on it for as long as that takes, and no statement_timeout is set before it in this section. ` +
        'Nothing stops it if the table is larger or slower than expected: the deploy and the lock last until it finishes or someone cancels it by hand.',
    ]);
    assert.deepEqual(underlined(TYPE, RULE), ['ALTER TABLE']);
  });

  it('accepts a statement_timeout of any non-zero length, flags 0', () => {
    assert.deepEqual(findings(`SET statement_timeout = '2h';\n${TYPE}`, RULE), []);
    assert.match(findings(`SET statement_timeout = 0;\n${TYPE}`, RULE)[0] ?? '', /^2:1 .*statement_timeout is 0 \(line 1\), which disables it/);
  });

  it('covers CREATE INDEX CONCURRENTLY, whose help warns about INVALID indexes', () => {
    const sql = 'CREATE INDEX CONCURRENTLY events_created_at_idx ON events (created_at);';
    assert.match(findings(sql, RULE)[0] ?? '', /CREATE INDEX builds an index on events, holding SHARE UPDATE EXCLUSIVE/);
    assert.match(lint(sql).findings.find((f) => f.rule === RULE)?.help ?? '', /INVALID index/);
  });

  it('covers scans (CHECK validation), not catalog-only changes', () => {
    assert.match(findings('ALTER TABLE orders ADD CONSTRAINT c CHECK (total >= 0);', RULE)[0] ?? '', /reads every row of orders/);
    assert.deepEqual(findings('ALTER TABLE orders ADD COLUMN note text;', RULE), []);
  });

  it('skips tables created in the file', () => {
    assert.deepEqual(findings('CREATE TABLE t (id int);\nCREATE INDEX i ON t (id);', RULE), []);
  });

  it('runner context: SET LOCAL lasts for the runner transaction, not after COMMIT in a psql file', () => {
    const path = 'db/migrations/20250101000000_x.sql';
    assert.deepEqual(findings(`-- migrate:up\nSET LOCAL statement_timeout = '10min';\n${TYPE}`, RULE, { path }), []);
    assert.match(findings(`BEGIN;\nSET LOCAL statement_timeout = '10min';\nCOMMIT;\n${TYPE}`, RULE)[0] ?? '', /SET LOCAL at line 2 ended with its transaction/);
  });
});
