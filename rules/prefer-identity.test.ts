import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'prefer-identity';

describe(RULE, () => {
  it('flags serial types in CREATE TABLE', () => {
    const sql = 'CREATE TABLE invoices (id bigserial PRIMARY KEY, total numeric(12, 2));';
    assert.deepEqual(findings(sql, RULE), [
      `1:27 ${RULE} info: invoices.id is bigserial: its sequence is a separate object with its own grants (USAGE for every role that inserts), CREATE TABLE … (LIKE … INCLUDING DEFAULTS) makes the copy share it, and ids written by hand are accepted silently, so a later nextval() collides with them.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['bigserial']);
    assert.match(lint(sql).findings.find((f) => f.rule === RULE)?.help ?? '', /^Declare it bigint GENERATED ALWAYS AS IDENTITY/);
  });

  it('flags serial and smallserial, suggesting bigint', () => {
    assert.equal(findings('CREATE TABLE t (a serial, b smallserial);', RULE).length, 2);
    assert.match(lint('CREATE TABLE t (a serial);').findings.find((f) => f.rule === RULE)?.help ?? '', /bigint \(or integer\)/);
  });

  it('also flags ADD COLUMN (any table) and stays quiet for identity columns', () => {
    assert.equal(findings('CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b serial;', RULE).length, 1);
    assert.deepEqual(findings('CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);', RULE), []);
  });
});
