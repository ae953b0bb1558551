import assert from 'node:assert/strict';
import { lint, type LintOptions } from '../helpers';

/** `kind:transaction` for every statement, in order. */
function contexts(sql: string, options: LintOptions): string[] {
  return lint(sql, options).statements.map((s) => `${s.section}:${s.kind}:${s.transaction}`);
}

const CIC = 'CREATE INDEX CONCURRENTLY events_kind_idx ON events (kind);';

describe('runner detection', () => {
  const cases: Array<[string, string, string]> = [
    ['db/migrations/20250101000000_x.sql', '-- migrate:up\nSELECT 1;\n', 'dbmate'],
    ['migrations/00001_x.sql', '-- +goose Up\nSELECT 1;\n', 'goose'],
    ['migrations/000001_x.up.sql', 'SELECT 1;', 'golang-migrate'],
    ['sql/V3__add_index.sql', 'SELECT 1;', 'flyway'],
    ['sql/V1_2__x.sql', 'SELECT 1;', 'flyway'],
    ['prisma/migrations/20250110120000_init/migration.sql', 'SELECT 1;', 'prisma'],
    ['migrations/2025-01-15-101500_create_posts/up.sql', 'SELECT 1;', 'diesel'],
    ['migrations/20250120100000_add.sql', '-- atlas:txmode none\nSELECT 1;', 'atlas'],
    ['sqitch/deploy/orders.sql', 'BEGIN; SELECT 1; COMMIT;', 'sqitch'],
    ['db/schema/x.sql', 'SELECT 1;', 'plain'],
  ];
  for (const [path, sql, id] of cases) {
    it(`${path} → ${id}`, () => assert.equal(lint(sql, { path }).runner.id, id));
  }

  it('takes the ledger version from the file name', () => {
    assert.equal(lint('-- migrate:up\nSELECT 1;', { path: 'db/migrations/20251104093000_add.sql' }).runner.version, '20251104093000');
    assert.equal(lint('SELECT 1;', { path: 'sql/V3_1__x.sql' }).runner.version, '3.1');
    assert.equal(lint('SELECT 1;', { path: 'migrations/000002_x.up.sql' }).runner.version, '000002');
  });

  it('honours a runner override from configuration', () => {
    assert.equal(lint('SELECT 1;', { path: 'x.sql', config: { runner: 'golang-migrate' } }).runner.id, 'golang-migrate');
  });
});

describe('transaction context', () => {
  it('dbmate default: the runner transaction for both sections', () => {
    assert.deepEqual(contexts(`-- migrate:up\n${CIC}\n-- migrate:down\nDROP INDEX events_kind_idx;\n`, { path: 'db/migrations/1_x.sql' }), [
      'up:IndexStmt:runner',
      'down:DropStmt:runner',
    ]);
  });

  it('dbmate transaction:false with one statement: no transaction', () => {
    assert.deepEqual(contexts(`-- migrate:up transaction:false\n${CIC}\n`, { path: 'db/migrations/1_x.sql' }), ['up:IndexStmt:none']);
  });

  it('dbmate transaction:false with several statements: one implicit transaction (one query string)', () => {
    assert.deepEqual(contexts(`-- migrate:up transaction:false\nDROP INDEX CONCURRENTLY a;\n${CIC}\n`, { path: 'db/migrations/1_x.sql' }), [
      'up:DropStmt:implicit',
      'up:IndexStmt:implicit',
    ]);
  });

  it('dbmate options are per section', () => {
    assert.deepEqual(
      contexts(`-- migrate:up\nSELECT 1;\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY events_kind_idx;\n`, { path: 'db/migrations/1_x.sql' }),
      ['up:SelectStmt:runner', 'down:DropStmt:none'],
    );
  });

  it('goose default: the runner transaction', () => {
    assert.deepEqual(contexts(`-- +goose Up\n${CIC}\n`, { path: 'migrations/00001_x.sql' }), ['up:IndexStmt:runner']);
  });

  it('goose NO TRANSACTION: each statement runs alone, even several in a file', () => {
    assert.deepEqual(contexts(`-- +goose NO TRANSACTION\n-- +goose Up\nDROP INDEX CONCURRENTLY a;\n${CIC}\n`, { path: 'migrations/00001_x.sql' }), [
      'up:DropStmt:none',
      'up:IndexStmt:none',
    ]);
  });

  it('goose StatementBegin/End with several statements is one query string', () => {
    const sql = `-- +goose NO TRANSACTION\n-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n${CIC}\n-- +goose StatementEnd\n`;
    assert.deepEqual(contexts(sql, { path: 'migrations/00001_x.sql' }), ['up:SelectStmt:implicit', 'up:IndexStmt:implicit']);
  });

  it('explicit BEGIN … COMMIT in a plain file', () => {
    assert.deepEqual(contexts(`SELECT 0;\nBEGIN;\n${CIC}\nCOMMIT;\nSELECT 1;\n`, { path: 'db/x.sql' }), [
      'up:SelectStmt:none',
      'up:TransactionStmt:explicit',
      'up:IndexStmt:explicit',
      'up:TransactionStmt:explicit',
      'up:SelectStmt:none',
    ]);
  });

  it('golang-migrate: one statement runs alone, several share an implicit transaction', () => {
    assert.deepEqual(contexts(CIC, { path: 'migrations/000002_x.up.sql' }), ['up:IndexStmt:none']);
    assert.deepEqual(contexts(`SELECT 1;\n${CIC}`, { path: 'migrations/000002_x.up.sql' }), ['up:SelectStmt:implicit', 'up:IndexStmt:implicit']);
    assert.equal(lint('SELECT 1;', { path: 'migrations/000002_x.down.sql' }).statements[0]?.section, 'down');
  });

  it('Flyway: transactional by default, not with executeInTransaction=false, nor when every statement needs that', () => {
    assert.deepEqual(contexts(`SELECT 1;\n${CIC}`, { path: 'sql/V3__x.sql' }), ['up:SelectStmt:runner', 'up:IndexStmt:runner']);
    assert.deepEqual(contexts(`SELECT 1;\n${CIC}`, { path: 'sql/V3__x.sql', sidecars: { flywayConf: 'executeInTransaction=false\n' } }), [
      'up:SelectStmt:none',
      'up:IndexStmt:none',
    ]);
    assert.deepEqual(contexts(CIC, { path: 'sql/V3__x.sql' }), ['up:IndexStmt:none']);
  });

  it('Prisma: the script is one query string', () => {
    assert.deepEqual(contexts(`SELECT 1;\n${CIC}`, { path: 'prisma/migrations/20250110120000_x/migration.sql' }), [
      'up:SelectStmt:implicit',
      'up:IndexStmt:implicit',
    ]);
  });

  it('diesel: runner transaction unless metadata.toml turns it off (then one batch)', () => {
    const path = 'migrations/2025-01-15-101500_x/up.sql';
    assert.deepEqual(contexts(CIC, { path }), ['up:IndexStmt:runner']);
    assert.deepEqual(contexts(CIC, { path, sidecars: { dieselMetadata: 'run_in_transaction = false\n' } }), ['up:IndexStmt:none']);
    assert.deepEqual(contexts(`SELECT 1;\n${CIC}`, { path, sidecars: { dieselMetadata: 'run_in_transaction = false\n' } }), [
      'up:SelectStmt:implicit',
      'up:IndexStmt:implicit',
    ]);
  });

  it('Atlas: transaction per file unless txmode none', () => {
    assert.deepEqual(contexts(`-- atlas:txmode file\n${CIC}`, { path: 'migrations/1.sql' }), ['up:IndexStmt:runner']);
    assert.deepEqual(contexts(`-- atlas:txmode none\nSELECT 1;\n${CIC}`, { path: 'migrations/1.sql' }), ['up:SelectStmt:none', 'up:IndexStmt:none']);
  });

  it('a COMMIT inside the runner transaction ends it', () => {
    assert.deepEqual(contexts('-- migrate:up\nSELECT 1;\nCOMMIT;\nSELECT 2;\n', { path: 'db/migrations/1_x.sql' }), [
      'up:SelectStmt:runner',
      'up:TransactionStmt:runner',
      'up:SelectStmt:implicit',
    ]);
  });
});
