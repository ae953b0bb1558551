import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'prefer-unique-constraint-using-index';

describe(RULE, () => {
  it('flags ADD CONSTRAINT … UNIQUE and gives the two-step recipe with real names', () => {
    const sql = 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);';
    assert.deepEqual(findings(sql, RULE), [
      `1:23 ${RULE} warning: ADD CONSTRAINT users_email_key UNIQUE builds a unique index on users while holding ACCESS EXCLUSIVE on it: it blocks reads and writes for the whole build.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['CONSTRAINT users_email_key UNIQUE (email);']);
    const help = lint(sql).findings.find((f) => f.rule === RULE)?.help ?? '';
    assert.match(help, /`CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users \(email\)`/);
    assert.match(help, /`ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key`/);
  });

  it('flags an inline UNIQUE on ADD COLUMN', () => {
    assert.match(
      findings('ALTER TABLE users ADD COLUMN handle text UNIQUE;', RULE)[0] ?? '',
      /The inline UNIQUE on new column handle builds a unique index on users/,
    );
    assert.deepEqual(underlined('ALTER TABLE users ADD COLUMN handle text UNIQUE;', RULE), ['UNIQUE;']);
  });

  it('does not flag USING INDEX, or a new table', () => {
    assert.deepEqual(findings('ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;', RULE), []);
    assert.deepEqual(findings('CREATE TABLE t (a int);\nALTER TABLE t ADD UNIQUE (a);', RULE), []);
  });
});
