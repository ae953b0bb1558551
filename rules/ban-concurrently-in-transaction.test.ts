import assert from 'node:assert/strict';
import { findings, underlined } from '../test/helpers';

const RULE = 'ban-concurrently-in-transaction';
const CIC = 'CREATE INDEX CONCURRENTLY events_kind_idx ON events (kind);';

describe(RULE, () => {
  it('flags CONCURRENTLY after an explicit BEGIN', () => {
    assert.deepEqual(findings(`BEGIN;\n${CIC}\nCOMMIT;`, RULE), [
      `2:14 ${RULE} error: CREATE INDEX CONCURRENTLY cannot run inside a transaction block, and this one will: it runs between BEGIN and COMMIT written in this file. The migration fails with "CREATE INDEX CONCURRENTLY cannot run inside a transaction block" and the rest of its transaction rolls back.`,
    ]);
    assert.deepEqual(underlined(`BEGIN;\n${CIC}\nCOMMIT;`, RULE), ['CONCURRENTLY']);
  });

  it("flags it inside dbmate's default transaction", () => {
    const f = findings(`-- migrate:up\n${CIC}\n`, RULE, { path: 'db/migrations/1_x.sql' });
    assert.equal(f.length, 1);
    assert.match(f[0] ?? '', /dbmate wraps the section in a transaction/);
  });

  it('dbmate transaction:false: fine alone, flagged with a second statement (implicit transaction)', () => {
    const path = 'db/migrations/1_x.sql';
    assert.deepEqual(findings(`-- migrate:up transaction:false\n${CIC}\n`, RULE, { path }), []);
    const f = findings(`-- migrate:up transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS old_idx;\n${CIC}\n`, RULE, { path });
    assert.equal(f.length, 2);
    assert.match(
      f[0] ?? '',
      /DROP INDEX CONCURRENTLY cannot run .* dbmate sends these 2 statements as one query string, which Postgres runs as one implicit transaction/,
    );
  });

  it('goose: flagged by default, fine with NO TRANSACTION', () => {
    const path = 'migrations/00002_x.sql';
    assert.equal(findings(`-- +goose Up\n${CIC}\n`, RULE, { path }).length, 1);
    assert.deepEqual(
      findings(`-- +goose NO TRANSACTION\n-- +goose Up\n${CIC}\n-- +goose Down\nDROP INDEX CONCURRENTLY events_kind_idx;\n`, RULE, { path }),
      [],
    );
  });

  it('covers DROP INDEX, REINDEX and DETACH PARTITION CONCURRENTLY', () => {
    const sql = 'BEGIN;\nDROP INDEX CONCURRENTLY a;\nREINDEX INDEX CONCURRENTLY b;\nALTER TABLE p DETACH PARTITION c CONCURRENTLY;\nCOMMIT;';
    const f = findings(sql, RULE);
    assert.equal(f.length, 3);
    assert.match(f[2] ?? '', /DETACH PARTITION CONCURRENTLY cannot run/);
  });

  it('does not flag CONCURRENTLY statements run one by one (psql -f), nor non-concurrent ones in a transaction', () => {
    assert.deepEqual(findings(`DROP INDEX CONCURRENTLY IF EXISTS a;\n${CIC}`, RULE), []);
    assert.deepEqual(findings('BEGIN;\nCREATE INDEX i ON events (a);\nCOMMIT;', RULE), []);
  });
});
