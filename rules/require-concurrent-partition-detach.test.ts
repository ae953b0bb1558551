import assert from 'node:assert/strict';
import { applyFix, findingsAfter, fixFor, fixesFor } from '../test/fix-helpers';
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

describe(`${RULE}: fix`, () => {
  const CONCERNS = [RULE, 'ban-concurrently-in-transaction', 'syntax-error'];

  it('dbmate with other statements: DETACH … CONCURRENTLY in a new transaction:false migration, for review (it leaves a CHECK)', () => {
    const c = { path: 'db/migrations/20250101000000_detach.sql' };
    const sql = `-- migrate:up\nALTER TABLE measurements ADD COLUMN note text;\n${DETACH}\n\n-- migrate:down\n`;
    const fix = fixFor(RULE, sql, c);
    assert.equal(fix.safety, 'review');
    assert.match(
      fix.title,
      /^Detach measurements_2025 concurrently in a new migration 20250101000001_detach_measurements_2025\.sql; it keeps its bounds as a CHECK constraint$/,
    );
    const applied = applyFix(sql, fix);
    assert.equal(applied.text, '-- migrate:up\nALTER TABLE measurements ADD COLUMN note text;\n\n-- migrate:down\n');
    assert.deepEqual(
      applied.created.map((f) => [f.path, f.content]),
      [
        [
          'db/migrations/20250101000001_detach_measurements_2025.sql',
          '-- migrate:up transaction:false\nALTER TABLE measurements DETACH PARTITION measurements_2025 CONCURRENTLY;\n\n' +
            '-- migrate:down transaction:false\n-- to undo, attach it again: ALTER TABLE measurements ATTACH PARTITION measurements_2025 FOR VALUES …;\n',
        ],
      ],
    );
    assert.deepEqual(findingsAfter(applied, c, CONCERNS), []);
  });

  it('goose: NO TRANSACTION migration; golang-migrate alone in its file: in place', () => {
    const goose = { path: 'migrations/00002_detach.sql' };
    const g = applyFix(`-- +goose Up\n${DETACH}\n`, fixFor(RULE, `-- +goose Up\n${DETACH}\n`, goose));
    assert.equal(g.text, '-- +goose Up\n');
    assert.equal(
      g.created[0]?.content,
      '-- +goose NO TRANSACTION\n-- +goose Up\nALTER TABLE measurements DETACH PARTITION measurements_2025 CONCURRENTLY;\n\n' +
        '-- +goose Down\n-- to undo, attach it again: ALTER TABLE measurements ATTACH PARTITION measurements_2025 FOR VALUES …;\n',
    );
    assert.deepEqual(findingsAfter(g, goose, CONCERNS), []);
    const gm = { path: 'migrations/000002_detach.up.sql' };
    const applied = applyFix(`${DETACH}\r\n`, fixFor(RULE, `${DETACH}\r\n`, gm));
    assert.equal(applied.text, 'ALTER TABLE measurements DETACH PARTITION measurements_2025 CONCURRENTLY;\r\n');
    assert.deepEqual(findingsAfter(applied, gm, CONCERNS), []);
  });

  it('no fix before PostgreSQL 14, nor when the file gives the parent a DEFAULT partition', () => {
    assert.deepEqual(fixesFor(RULE, DETACH, { path: 'db/schema/x.sql', config: { pgVersion: 13 } }), []);
    assert.deepEqual(fixesFor(RULE, `ALTER TABLE measurements ATTACH PARTITION measurements_other DEFAULT;\n${DETACH}`, { path: 'db/schema/x.sql' }), []);
    assert.equal(fixesFor(RULE, DETACH, { path: 'db/schema/x.sql' }).length, 1);
  });
});
