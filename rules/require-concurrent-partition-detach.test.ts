import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'require-concurrent-partition-detach';
const DETACH = 'ALTER TABLE measurements DETACH PARTITION measurements_2025;';

describe(RULE, () => {
  it('flags DETACH PARTITION without CONCURRENTLY', () => {
    assert.deepEqual(findings(DETACH, RULE), [
      `1:26 ${RULE} warning: DETACH PARTITION measurements_2025 takes ACCESS EXCLUSIVE on the partitioned table measurements: it blocks reads and writes on every partition of measurements, and while it waits for running transactions to finish, every new query on measurements queues behind it.`,
    ]);
    assert.deepEqual(underlined(DETACH, RULE), ['DETACH PARTITION']);
    assert.match(
      lint(DETACH).findings.find((f) => f.rule === RULE)?.help ?? '',
      /^Use `ALTER TABLE measurements DETACH PARTITION measurements_2025 CONCURRENTLY`.*FINALIZE/,
    );
  });

  it('before PostgreSQL 14 says there is no concurrent form', () => {
    const help = lint(DETACH, { config: { pgVersion: 13 } }).findings.find((f) => f.rule === RULE)?.help ?? '';
    assert.match(help, /^PostgreSQL 13 has no concurrent detach/);
  });

  it('tells dbmate users how to leave the transaction', () => {
    const help = lint(`-- migrate:up\n${DETACH}\n`, { path: 'db/migrations/1_x.sql' }).findings.find((f) => f.rule === RULE)?.help ?? '';
    assert.match(help, /transaction:false/);
  });

  it('does not flag CONCURRENTLY, FINALIZE, or a partitioned table created in this migration', () => {
    assert.deepEqual(findings('ALTER TABLE measurements DETACH PARTITION measurements_2025 CONCURRENTLY;', RULE), []);
    assert.deepEqual(findings('ALTER TABLE measurements DETACH PARTITION measurements_2025 FINALIZE;', RULE), []);
    assert.deepEqual(
      findings(
        "CREATE TABLE p (d date) PARTITION BY RANGE (d);\nCREATE TABLE p1 PARTITION OF p FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');\nALTER TABLE p DETACH PARTITION p1;",
        RULE,
      ),
      [],
    );
  });
});
