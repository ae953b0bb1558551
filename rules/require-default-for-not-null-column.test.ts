import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'require-default-for-not-null-column';
const SQL = 'ALTER TABLE accounts ADD COLUMN region text NOT NULL;';

describe(RULE, () => {
  it('flags NOT NULL without a default on an existing table as an error', () => {
    assert.deepEqual(findings(SQL, RULE), [
      `1:33 ${RULE} error: Adding region as NOT NULL without a DEFAULT fails on accounts as soon as it has a single row: existing rows would hold NULL, so PostgreSQL checks the rows under ACCESS EXCLUSIVE, stops at the first one with 'column "region" of relation "accounts" contains null values' and the migration rolls back.`,
    ]);
    assert.deepEqual(underlined(SQL, RULE), ['region text NOT NULL']);
    assert.match(
      lint(SQL).findings.find((f) => f.rule === RULE)?.help ?? '',
      /ADD COLUMN region text NOT NULL DEFAULT <value>, catalog-only since PostgreSQL 11/,
    );
  });

  it('treats DEFAULT NULL as no default, and PRIMARY KEY as NOT NULL', () => {
    assert.equal(findings('ALTER TABLE accounts ADD COLUMN region text NOT NULL DEFAULT NULL;', RULE).length, 1);
    assert.match(findings('ALTER TABLE accounts ADD COLUMN ext bigint PRIMARY KEY;', RULE)[0] ?? '', /PRIMARY KEY implies it/);
  });

  it('stays quiet with a default, for nullable columns, serial/identity/generated columns and new tables', () => {
    assert.deepEqual(findings("ALTER TABLE accounts ADD COLUMN region text NOT NULL DEFAULT 'eu';", RULE), []);
    assert.deepEqual(findings('ALTER TABLE accounts ADD COLUMN region text;', RULE), []);
    assert.deepEqual(findings('ALTER TABLE accounts ADD COLUMN n bigserial NOT NULL, ADD COLUMN m bigint GENERATED ALWAYS AS IDENTITY;', RULE), []);
    assert.deepEqual(findings(`CREATE TABLE accounts (id bigint);\n${SQL}`, RULE), []);
  });

  it('does not promise a catalog-only default before PostgreSQL 11', () => {
    const help = lint(SQL, { config: { pgVersion: 10 } }).findings.find((f) => f.rule === RULE)?.help ?? '';
    assert.doesNotMatch(help, /catalog-only/);
  });
});
