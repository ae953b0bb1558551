import assert from 'node:assert/strict';
import { allRules } from '.';
import { findings, underlined } from '../test/helpers';

const RULE = 'prefer-jsonb';

describe(RULE, () => {
  it('flags json columns in CREATE TABLE and underlines the type', () => {
    const sql = 'CREATE TABLE webhooks (id bigint PRIMARY KEY, payload json NOT NULL);';
    assert.deepEqual(findings(sql, RULE), [
      `1:55 ${RULE} info: webhooks.payload is json: the text is stored as written and re-parsed by every operator, it has no equality operator (so no DISTINCT, GROUP BY or UNIQUE on it) and cannot use GIN indexes. Converting it later is a table rewrite.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['json']);
  });

  it('flags ADD COLUMN on new and existing tables alike, including json[]', () => {
    assert.deepEqual(underlined('ALTER TABLE events ADD COLUMN context json[];', RULE), ['json[]']);
    assert.equal(findings('CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b json;', RULE).length, 1);
  });

  it('stays quiet for jsonb and for a user type that happens to be called json in another schema', () => {
    assert.deepEqual(findings('CREATE TABLE t (a jsonb, b myschema.json);', RULE), []);
  });

  it('is a style rule with info severity', () => {
    const meta = allRules.find((r) => r.meta.id === RULE)?.meta;
    assert.equal(meta?.severity, 'info');
    assert.equal(meta?.style, true);
  });
});
