import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'review-exclusion-constraint';

describe(RULE, () => {
  it('flags ADD CONSTRAINT … EXCLUDE on an existing table', () => {
    const sql = 'ALTER TABLE users ADD CONSTRAINT users_email_excl EXCLUDE USING btree (email WITH =);';
    assert.deepEqual(findings(sql, RULE), [
      `1:23 ${RULE} warning: ADD CONSTRAINT users_email_excl EXCLUDE builds its index and checks every row of users against it while holding ACCESS EXCLUSIVE on users: it blocks reads and writes for the whole build. Exclusion constraints have no CONCURRENTLY, NOT VALID or USING INDEX form.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['CONSTRAINT users_email_excl EXCLUDE USING btree (email WITH =);']);
    assert.match(lint(sql).findings.find((f) => f.rule === RULE)?.help ?? '', /lock_timeout/);
  });

  it('does not flag a new table, nor other constraints', () => {
    assert.deepEqual(findings('CREATE TABLE b (during tstzrange);\nALTER TABLE b ADD EXCLUDE USING gist (during WITH &&);', RULE), []);
    assert.deepEqual(findings('ALTER TABLE users ADD CONSTRAINT u UNIQUE (email);', RULE), []);
  });

  it('escalates with a known table size', () => {
    const f = findings('ALTER TABLE users ADD EXCLUDE USING btree (email WITH =);', RULE, { config: { tables: { users: { rows: 10 } } } });
    assert.match(f[0] ?? '', / info: /);
  });
});
