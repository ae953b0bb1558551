import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'prefer-primary-key-using-index';

describe(RULE, () => {
  it('flags ADD PRIMARY KEY on an existing table', () => {
    const sql = 'ALTER TABLE measurements_2026 ADD PRIMARY KEY (id);';
    assert.deepEqual(findings(sql, RULE), [
      `1:35 ${RULE} warning: ADD PRIMARY KEY builds a unique index on measurements_2026 (id) and checks the key columns for NULLs while holding ACCESS EXCLUSIVE on measurements_2026: it blocks reads and writes for the whole build.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['PRIMARY KEY (id);']);
    const help = lint(sql).findings.find((f) => f.rule === RULE)?.help ?? '';
    assert.match(help, /`CREATE UNIQUE INDEX CONCURRENTLY measurements_2026_pkey ON measurements_2026 \(id\)`/);
    assert.match(help, /PRIMARY KEY USING INDEX measurements_2026_pkey`/);
  });

  it('flags an inline PRIMARY KEY on ADD COLUMN', () => {
    assert.match(findings('ALTER TABLE audit_log ADD COLUMN uid bigserial PRIMARY KEY;', RULE)[0] ?? '', /The inline PRIMARY KEY on new column uid/);
  });

  it('does not flag PRIMARY KEY USING INDEX, or a new table', () => {
    assert.deepEqual(findings('ALTER TABLE measurements_2026 ADD CONSTRAINT m_pkey PRIMARY KEY USING INDEX m_pkey;', RULE), []);
    assert.deepEqual(findings('CREATE TABLE t (a int NOT NULL);\nALTER TABLE t ADD PRIMARY KEY (a);', RULE), []);
  });
});
