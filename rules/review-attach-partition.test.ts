import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'review-attach-partition';
const ATTACH = "ALTER TABLE measurements ATTACH PARTITION measurements_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');";

describe(RULE, () => {
  it('flags ATTACH PARTITION with the scan under the partition lock and the parent lock', () => {
    assert.deepEqual(findings(ATTACH, RULE), [
      `1:26 ${RULE} warning: ATTACH PARTITION measurements_2026: it reads every row of measurements_2026 to prove they fit the partition bound while holding ACCESS EXCLUSIVE on measurements_2026 (blocks reads and writes); the parent measurements is locked SHARE UPDATE EXCLUSIVE meanwhile (blocks other DDL and VACUUM (reads and writes continue)).`,
    ]);
    assert.deepEqual(underlined(ATTACH, RULE), ['ATTACH PARTITION']);
    assert.match(
      lint(ATTACH).findings.find((f) => f.rule === RULE)?.help ?? '',
      /FROM \('2026-01-01'\) TO \('2027-01-01'\).*VALIDATE CONSTRAINT measurements_2026_bound/,
    );
  });

  it('is quiet after a validated CHECK on the partition (PostgreSQL 12+)', () => {
    const sql = `ALTER TABLE measurements_2026 ADD CONSTRAINT b CHECK (logdate >= '2026-01-01' AND logdate < '2027-01-01') NOT VALID;\nALTER TABLE measurements_2026 VALIDATE CONSTRAINT b;\n${ATTACH}`;
    assert.deepEqual(findings(sql, RULE), []);
  });

  it('before PostgreSQL 12 the parent is locked ACCESS EXCLUSIVE: still reported with a check', () => {
    const sql = `ALTER TABLE measurements_2026 ADD CONSTRAINT b CHECK (logdate >= '2026-01-01');\n${ATTACH}`;
    const f = findings(sql, RULE, { config: { pgVersion: 11 } });
    assert.equal(f.length, 1);
    assert.match(f[0] ?? '', /the parent measurements is locked ACCESS EXCLUSIVE meanwhile \(blocks reads and writes\), since before PostgreSQL 12/);
  });

  it('does not flag attaching a partition created in this migration', () => {
    const sql = `CREATE TABLE measurements_2027 (LIKE measurements);\nALTER TABLE measurements ATTACH PARTITION measurements_2027 FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');`;
    assert.deepEqual(findings(sql, RULE), []);
  });
});
