import assert from 'node:assert/strict';
import { lint } from '../helpers';

/** `relation lock [rewrite] [scan] [index]` for every effect of the last statement. */
function effects(sql: string, pgVersion = 15): string[] {
  const stmts = lint(sql, { config: { pgVersion } }).statements;
  const last = stmts[stmts.length - 1];
  assert.ok(last && !last.parseError, `parse failed: ${last?.parseError?.message}`);
  return last.effects.map((e) => [e.relation, e.lock, e.rewrite ? 'rewrite' : '', e.scan ? 'scan' : '', e.indexBuild ? 'index' : ''].filter(Boolean).join(' '));
}

describe('effects model', () => {
  const table: Array<[string, string[], number?]> = [
    ['CREATE INDEX i ON events (a)', ['events SHARE scan index']],
    ['CREATE INDEX CONCURRENTLY i ON events (a)', ['events SHARE UPDATE EXCLUSIVE scan index']],
    ['DROP INDEX i', ['i ACCESS EXCLUSIVE']],
    ['DROP INDEX CONCURRENTLY i', ['i ACCESS EXCLUSIVE']],
    ['CREATE INDEX CONCURRENTLY i ON events (a);\nDROP INDEX CONCURRENTLY i', ['i ACCESS EXCLUSIVE', 'events SHARE UPDATE EXCLUSIVE']],
    ['CREATE INDEX i ON events (a);\nREINDEX INDEX i', ['events SHARE scan index', 'i ACCESS EXCLUSIVE index']],
    ["ALTER TABLE events ADD COLUMN s tsvector GENERATED ALWAYS AS (to_tsvector('english', title)) STORED", ['events ACCESS EXCLUSIVE rewrite']],
    ['ALTER TABLE events ADD COLUMN v int GENERATED ALWAYS AS (a * 2) VIRTUAL', ['events ACCESS EXCLUSIVE'], 18],
    ['ALTER TABLE events ADD COLUMN c int DEFAULT 0', ['events ACCESS EXCLUSIVE']],
    ['ALTER TABLE events ADD COLUMN c int DEFAULT 0', ['events ACCESS EXCLUSIVE rewrite'], 10],
    ['ALTER TABLE events ADD COLUMN c timestamptz DEFAULT now()', ['events ACCESS EXCLUSIVE']],
    ['ALTER TABLE events ADD COLUMN c uuid DEFAULT gen_random_uuid()', ['events ACCESS EXCLUSIVE rewrite']],
    ['ALTER TABLE events ADD COLUMN c bigserial', ['events ACCESS EXCLUSIVE rewrite']],
    ['ALTER TABLE events ADD COLUMN c int GENERATED ALWAYS AS IDENTITY', ['events ACCESS EXCLUSIVE rewrite']],
    ['ALTER TABLE events ADD COLUMN c int NOT NULL DEFAULT 0', ['events ACCESS EXCLUSIVE']],
    ['ALTER TABLE events ADD COLUMN c int NOT NULL', ['events ACCESS EXCLUSIVE scan']],
    ['ALTER TABLE events ALTER COLUMN c SET NOT NULL', ['events ACCESS EXCLUSIVE scan']],
    ['ALTER TABLE events DROP COLUMN c', ['events ACCESS EXCLUSIVE']],
    ['ALTER TABLE events ADD CONSTRAINT c CHECK (a > 0)', ['events ACCESS EXCLUSIVE scan']],
    ['ALTER TABLE events ADD CONSTRAINT c CHECK (a > 0) NOT VALID', ['events ACCESS EXCLUSIVE']],
    ['ALTER TABLE events VALIDATE CONSTRAINT c', ['events SHARE UPDATE EXCLUSIVE scan']],
    ['ALTER TABLE events ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES accounts (id)', ['events SHARE ROW EXCLUSIVE scan', 'accounts SHARE ROW EXCLUSIVE']],
    ['ALTER TABLE events ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES accounts (id) NOT VALID', ['events SHARE ROW EXCLUSIVE', 'accounts SHARE ROW EXCLUSIVE']],
    ['ALTER TABLE events ADD CONSTRAINT u UNIQUE (a)', ['events ACCESS EXCLUSIVE scan index']],
    ['ALTER TABLE events ADD CONSTRAINT u UNIQUE USING INDEX i', ['events ACCESS EXCLUSIVE']],
    ['ALTER TABLE events ADD PRIMARY KEY USING INDEX i', ['events ACCESS EXCLUSIVE scan']],
    ['ALTER TABLE events ALTER COLUMN a TYPE bigint', ['events ACCESS EXCLUSIVE rewrite']],
    ['ALTER TABLE events SET (fillfactor = 70)', ['events SHARE UPDATE EXCLUSIVE']],
    ['ALTER TABLE events SET (user_catalog_table = true)', ['events ACCESS EXCLUSIVE']],
    ['ALTER TABLE events DISABLE TRIGGER ALL', ['events SHARE ROW EXCLUSIVE']],
    ['ALTER TABLE events SET UNLOGGED', ['events ACCESS EXCLUSIVE rewrite']],
    ['ALTER TABLE p ATTACH PARTITION c FOR VALUES IN (1)', ['p SHARE UPDATE EXCLUSIVE', 'c ACCESS EXCLUSIVE scan']],
    ['ALTER TABLE p ATTACH PARTITION c FOR VALUES IN (1)', ['p ACCESS EXCLUSIVE', 'c ACCESS EXCLUSIVE scan'], 11],
    ['ALTER TABLE p DETACH PARTITION c', ['p ACCESS EXCLUSIVE', 'c ACCESS EXCLUSIVE']],
    ['ALTER TABLE p DETACH PARTITION c CONCURRENTLY', ['p SHARE UPDATE EXCLUSIVE', 'c ACCESS EXCLUSIVE']],
    ['ALTER TABLE events RENAME COLUMN a TO b', ['events ACCESS EXCLUSIVE']],
    ['ALTER INDEX i RENAME TO j', ['i SHARE UPDATE EXCLUSIVE']],
    ['TRUNCATE events', ['events ACCESS EXCLUSIVE rewrite']],
    ['VACUUM FULL events', ['events ACCESS EXCLUSIVE rewrite']],
    ['VACUUM events', ['events SHARE UPDATE EXCLUSIVE']],
    ['CLUSTER events USING i', ['events ACCESS EXCLUSIVE rewrite']],
    ['REINDEX TABLE events', ['events SHARE scan index']],
    ['REINDEX TABLE CONCURRENTLY events', ['events SHARE UPDATE EXCLUSIVE scan index']],
    ['REFRESH MATERIALIZED VIEW mv', ['mv ACCESS EXCLUSIVE rewrite']],
    ['REFRESH MATERIALIZED VIEW CONCURRENTLY mv', ['mv EXCLUSIVE scan']],
    ['CREATE TRIGGER t BEFORE UPDATE ON events FOR EACH ROW EXECUTE FUNCTION f()', ['events SHARE ROW EXCLUSIVE']],
    ['DROP TRIGGER t ON events', ['events ACCESS EXCLUSIVE']],
    ['LOCK TABLE events', ['events ACCESS EXCLUSIVE']],
    ['LOCK TABLE events IN SHARE MODE', ['events SHARE']],
    ['UPDATE events SET a = 1', ['events ROW EXCLUSIVE scan']],
    ['UPDATE events SET a = 1 WHERE id < 10', ['events ROW EXCLUSIVE']],
    ["COMMENT ON TABLE events IS 'x'", ['events SHARE UPDATE EXCLUSIVE']],
    ['CREATE TABLE c (id int REFERENCES accounts (id))', ['c ACCESS EXCLUSIVE', 'accounts SHARE ROW EXCLUSIVE']],
  ];
  for (const [sql, expected, version] of table) {
    it(`${sql}${version ? ` (PG ${version})` : ''}`, () => assert.deepEqual(effects(sql, version), expected));
  }

  it('SET NOT NULL skips its scan after a validated CHECK (col IS NOT NULL) on PG 12+, not before', () => {
    const sql =
      'ALTER TABLE events ADD CONSTRAINT nn CHECK (user_id IS NOT NULL) NOT VALID;\nALTER TABLE events VALIDATE CONSTRAINT nn;\nALTER TABLE events ALTER COLUMN user_id SET NOT NULL;';
    assert.deepEqual(effects(sql, 15), ['events ACCESS EXCLUSIVE']);
    assert.deepEqual(effects(sql, 11), ['events ACCESS EXCLUSIVE scan']);
  });

  it('a NOT VALID check that was never validated does not spare the scan', () => {
    assert.deepEqual(
      effects('ALTER TABLE events ADD CONSTRAINT nn CHECK (user_id IS NOT NULL) NOT VALID;\nALTER TABLE events ALTER COLUMN user_id SET NOT NULL;'),
      ['events ACCESS EXCLUSIVE scan'],
    );
  });

  it('marks relations created earlier in the section as new', () => {
    const a = lint('CREATE TABLE t (id int);\nCREATE INDEX i ON t (id);\nDROP INDEX i;');
    assert.deepEqual(
      a.statements.map((s) => s.effects.map((e) => `${e.relation}:${e.createdInFile}`)),
      [['t:true'], ['t:true'], ['i:false', 't:true']],
    );
  });

  it('knows which statements cannot run in a transaction block', () => {
    const a = lint(
      "CREATE INDEX CONCURRENTLY i ON t (a);\nVACUUM t;\nREINDEX INDEX CONCURRENTLY i;\nALTER TYPE mood ADD VALUE 'x';\nCREATE INDEX j ON t (a);",
      { config: { pgVersion: 11 } },
    );
    assert.deepEqual(
      a.statements.map((s) => s.noTransactionBlock),
      [true, true, true, true, false],
    );
  });

  it('classifies cost', () => {
    const a = lint(
      'ALTER TABLE events ADD COLUMN c uuid DEFAULT gen_random_uuid();\nCREATE INDEX i ON events (a);\nALTER TABLE events ALTER COLUMN a SET NOT NULL;\nUPDATE events SET a = 1 WHERE id = 1;\nALTER TABLE events DROP COLUMN b;\nSELECT 1;',
    );
    assert.deepEqual(
      a.statements.map((s) => s.cost),
      ['rewrite', 'index-build', 'scan', 'rows', 'catalog', 'none'],
    );
  });
});

describe('volatility from pg_proc', () => {
  const rewrites = (expr: string): boolean => lint(`ALTER TABLE events ADD COLUMN c text DEFAULT ${expr};`).statements[0]?.effects[0]?.rewrite ?? false;

  it('stable and immutable defaults need no rewrite on PG 11+', () => {
    for (const e of [
      'now()',
      'CURRENT_TIMESTAMP',
      "'x'::text",
      'ARRAY[]::text[]',
      'true',
      "'{}'::jsonb",
      "btrim('  a ')",
      "to_char(now(), 'YYYY')",
      "now() AT TIME ZONE 'UTC'",
      'NULL',
    ]) {
      assert.equal(rewrites(e), false, e);
    }
  });

  it('volatile, unknown and sub-query defaults rewrite', () => {
    for (const e of [
      'gen_random_uuid()::text',
      'random()::text',
      'clock_timestamp()::text',
      "nextval('s')::text",
      'my_schema.my_fn()',
      '(SELECT 1)::text',
      'uuid_generate_v4()::text',
    ]) {
      assert.equal(rewrites(e), true, e);
    }
  });
});
