import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'ban-volatile-default';
const UUID = 'ALTER TABLE events ADD COLUMN public_id uuid DEFAULT gen_random_uuid();';

describe(RULE, () => {
  it('flags a volatile default on an existing table with the lock and the rewrite', () => {
    assert.deepEqual(findings(UUID, RULE), [
      `1:46 ${RULE} warning: Adding public_id rewrites events under ACCESS EXCLUSIVE: DEFAULT gen_random_uuid() is volatile, so PostgreSQL evaluates it once per existing row instead of storing a single value in the catalog. The table and all its indexes are copied while the lock blocks reads and writes on events.`,
    ]);
    assert.deepEqual(underlined(UUID, RULE), ['DEFAULT gen_random_uuid()']);
  });

  it('suggests adding the column bare and setting the default separately, with the real names', () => {
    const help = lint(UUID).findings.find((f) => f.rule === RULE)?.help ?? '';
    assert.match(help, /ALTER TABLE events ADD COLUMN public_id uuid;/);
    assert.match(help, /ALTER TABLE events ALTER COLUMN public_id SET DEFAULT gen_random_uuid\(\);/);
  });

  it('names the volatile call inside a larger expression and underlines only the default', () => {
    const sql = 'ALTER TABLE events ADD COLUMN jitter float8 DEFAULT (random() * 10)::float8 CHECK (jitter >= 0);';
    assert.match(findings(sql, RULE)[0] ?? '', /DEFAULT \(random\(\) \* 10\)::float8 \(it calls random\(\)\) is volatile/);
    assert.deepEqual(underlined(sql, RULE), ['DEFAULT (random() * 10)::float8']);
  });

  it('stays quiet for stable and constant defaults on PostgreSQL 11+ (now(), CURRENT_TIMESTAMP, casts, true)', () => {
    for (const d of ['now()', 'CURRENT_TIMESTAMP', "'x'::text", 'ARRAY[]::text[]', 'true', "'{}'::jsonb", '0', 'NULL']) {
      assert.deepEqual(findings(`ALTER TABLE events ADD COLUMN c text DEFAULT ${d};`, RULE), [], d);
    }
  });

  it('flags any non-NULL default before PostgreSQL 11, and not DEFAULT NULL', () => {
    const sql = 'ALTER TABLE events ADD COLUMN priority int NOT NULL DEFAULT 0;';
    assert.deepEqual(findings(sql, RULE, { config: { pgVersion: 10 } }), [
      `1:53 ${RULE} warning: Adding priority rewrites events under ACCESS EXCLUSIVE: before PostgreSQL 11 a non-NULL default (here 0) is written into every existing row. The table and all its indexes are copied while the lock blocks reads and writes on events.`,
    ]);
    assert.deepEqual(findings(sql, RULE, { config: { pgVersion: 11 } }), []);
    assert.deepEqual(findings('ALTER TABLE events ADD COLUMN n text DEFAULT NULL;', RULE, { config: { pgVersion: 10 } }), []);
  });

  it('stays quiet for a table created earlier in the same migration', () => {
    assert.deepEqual(findings(`CREATE TABLE events (id bigint);\n${UUID}`, RULE), []);
  });

  it('leaves serial, identity and generated columns to their own rules', () => {
    assert.deepEqual(findings('ALTER TABLE events ADD COLUMN s bigserial, ADD COLUMN i bigint GENERATED ALWAYS AS IDENTITY;', RULE), []);
  });

  it('applies inside a runner transaction too, and escalates with a known table size', () => {
    assert.equal(findings(`-- migrate:up\n${UUID}\n-- migrate:down\nSELECT 1;\n`, RULE, { path: 'db/migrations/20250101000000_x.sql' }).length, 1);
    assert.match(
      findings(UUID, RULE, { config: { tables: { events: { rows: 2_000_000 } } } })[0] ?? '',
      / error: .*\(events: ~2M rows per pg-migration-guard\.json\)/,
    );
  });
});
