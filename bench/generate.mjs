// Deterministic benchmark inputs: one 20,000-statement migration mixing safe and unsafe DDL/DML
// (about 1.8 MB, like the peers' measurement), and the same statements as 1,000 files of 20.
// Usage: node bench/generate.mjs [outDir]   (default bench/.data)
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2] ?? 'bench/.data';
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (a) => a[Math.floor(rand() * a.length)];

const tables = ['events', 'orders', 'users', 'accounts', 'payments', 'sessions', 'audit_log', 'invoices'];
const cols = ['created_at', 'updated_at', 'user_id', 'account_id', 'status', 'kind', 'amount', 'region'];

const safe = [
  (t, c, n) => `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${t}_${c}_idx_${n} ON ${t} (${c});`,
  (t, c, n) => `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS note_${n} text;`,
  (t, c, n) => `ALTER TABLE ${t} ADD CONSTRAINT ${t}_${c}_check_${n} CHECK (${c} IS NOT NULL) NOT VALID;`,
  (t, c, n) => `ALTER TABLE ${t} VALIDATE CONSTRAINT ${t}_${c}_check_${n};`,
  (t, c, n) => `UPDATE ${t} SET ${c} = DEFAULT WHERE id BETWEEN ${n * 1000} AND ${n * 1000 + 999};`,
  (t, c, n) => `INSERT INTO ${t} (id, ${c}) VALUES (${n}, 'seed ${n}');`,
  (t, c, n) => `COMMENT ON COLUMN ${t}.${c} IS 'generated column comment ${n}';`,
  (t, c, n) => `DROP INDEX CONCURRENTLY IF EXISTS ${t}_${c}_old_${n};`,
  (t, c, n) => `CREATE TABLE IF NOT EXISTS archive_${t}_${n} (id bigint PRIMARY KEY, payload jsonb, created_at timestamptz NOT NULL DEFAULT now());`,
  (t, c, n) => `ALTER TABLE ${t} ALTER COLUMN ${c} SET DEFAULT now();`,
];
const unsafe = [
  (t, c, n) => `CREATE INDEX ${t}_${c}_idx_${n} ON ${t} (${c});`,
  (t, c, n) => `DROP INDEX ${t}_${c}_idx_${n};`,
  (t, c, n) => `ALTER TABLE ${t} ALTER COLUMN ${c} SET NOT NULL;`,
  (t, c, n) => `ALTER TABLE ${t} ADD COLUMN search_${n} tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(${c}::text, ''))) STORED;`,
  (t, c, n) => `ALTER TABLE ${t} ADD CONSTRAINT ${t}_fk_${n} FOREIGN KEY (${c}) REFERENCES accounts (id) ON DELETE CASCADE;`,
  (t, c, n) => `ALTER TABLE ${t} ADD COLUMN token_${n} uuid DEFAULT gen_random_uuid();`,
  (t, c, n) => `ALTER TABLE ${t} ALTER COLUMN ${c} TYPE bigint;`,
  (t, c, n) => `ALTER TABLE ${t} ADD CONSTRAINT ${t}_${c}_positive_${n} CHECK (${c} > 0);`,
  (t, c, n) => `ALTER TABLE ${t} ADD CONSTRAINT ${t}_${c}_key_${n} UNIQUE (${c});`,
  (t, c, n) => `ALTER TABLE ${t} RENAME COLUMN ${c} TO ${c}_${n};`,
  (t, c, n) => `ALTER TABLE ${t} DROP COLUMN legacy_${n};`,
  (t, c, n) => `VACUUM FULL ${t};`,
  (t, c, n) => `ALTER TYPE ${t}_state ADD VALUE 'state_${n}';`,
  (t, c, n) => `REFRESH MATERIALIZED VIEW ${t}_summary;`,
  (t, c, n) => `ALTER TABLE ${t} ADD COLUMN required_${n} integer NOT NULL;`,
];

const statements = [];
for (let n = 0; n < 20000; n++) {
  const t = pick(tables);
  const c = pick(cols);
  const tpl = rand() < 0.4 ? pick(unsafe) : pick(safe);
  statements.push(`-- step ${n}\n${tpl(t, c, n)}`);
}
const header = "SET lock_timeout = '5s';\nSET statement_timeout = '15min';\n";
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'many', 'migrations'), { recursive: true });
writeFileSync(join(out, 'big.sql'), header + statements.join('\n') + '\n');
for (let f = 0; f < 1000; f++) {
  writeFileSync(join(out, 'many', 'migrations', `${String(f).padStart(4, '0')}_step.sql`), header + statements.slice(f * 20, f * 20 + 20).join('\n') + '\n');
}
console.log(`wrote ${join(out, 'big.sql')} and ${join(out, 'many', 'migrations')}/ (1000 files)`);
