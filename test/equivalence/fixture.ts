/**
 * One equivalence fixture: a folder holding a migration folder for one runner, the project's
 * `pg-migration-guard.json` and a psql script that pre-fills the tables. The migrations up to
 * `appliedThrough` (from that config) are the pre-existing schema: the runner applies them first,
 * then the rows are filled, and only the later migrations are fixed and compared.
 *
 * Fixtures that start from the same pre-existing schema name it (`"schema"` in fixture.json)
 * instead of each carrying a copy: the files of `schemas/<name>/` are added to the migration
 * folder when the fixture is copied (see `copyFixture`).
 */
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Shared setup migrations, one folder per pre-existing schema. */
const SCHEMAS = resolve(__dirname, 'schemas');

export type RunnerName = 'dbmate' | 'goose' | 'golang-migrate';

/** A query that must return `expect` (first column of the first row, as text) on a database. */
export interface Check {
  db: 'original' | 'fixed' | 'both';
  sql: string;
  expect: string;
  why: string;
}

/** A part of the fixed schema dump that differs from the original's on purpose. */
export interface SchemaDifference {
  /** Regular expression for text of the fixed dump only: every match is removed before the comparison. */
  fixedOnly: string;
  why: string;
}

export interface Fixture {
  name: string;
  dir: string;
  /** The fix under test, as the issue names it. */
  title: string;
  runner: RunnerName;
  /** The runner's migration folder, relative to the fixture folder. */
  migrationsDir: string;
  /** A shared schema folder whose files (setup migrations) join the migration folder of every copy. */
  schemaDir?: string;
  /** `fix --rule` filters; empty: every preferred fix, as `fix` does by default. */
  rules: string[];
  /** Each must appear in the CLI's output: proves the intended fix was the one applied. */
  expectFixes: string[];
  /** Pre-existing tables (or materialized views) whose locks are bounded. */
  tables: string[];
  /** Pre-existing tables deliberately not bounded, each with the reason (read by people, not the harness). */
  unboundedTables: Array<{ table: string; why: string }>;
  rows: number;
  /** `schema`: pg_dump --schema-only must be identical; `values`: by design the shapes differ, compare data. */
  compare: 'schema' | 'values';
  /** For `values`: a query whose result must be identical on both databases. */
  valuesQuery?: string;
  schemaDifferences: SchemaDifference[];
  checks: Check[];
  /** Strongest lock allowed outside the O(1) catalog steps (default SHARE UPDATE EXCLUSIVE), with the reason. */
  maxLock?: { mode: string; why: string };
  /** Why the original already keeps the lock bound (the fix is about something else, e.g. lock_timeout). */
  originalKeepsBound?: string;
  /** The migration version the setup ends with (pg-migration-guard.json `appliedThrough`). */
  appliedThrough: string;
}

function strings(x: unknown, what: string): string[] {
  if (x === undefined) return [];
  if (!Array.isArray(x) || x.some((s) => typeof s !== 'string')) throw new Error(`${what}: expected an array of strings`);
  return x as string[];
}

export function loadFixture(dir: string, name: string): Fixture {
  const raw = JSON.parse(readFileSync(join(dir, 'fixture.json'), 'utf8')) as Record<string, unknown>;
  const config = JSON.parse(readFileSync(join(dir, 'pg-migration-guard.json'), 'utf8')) as Record<string, unknown>;
  const runner = raw['runner'];
  if (runner !== 'dbmate' && runner !== 'goose' && runner !== 'golang-migrate') throw new Error(`${name}: unknown runner ${String(runner)}`);
  const compare = raw['compare'];
  if (compare !== 'schema' && compare !== 'values') throw new Error(`${name}: compare must be "schema" or "values"`);
  if (typeof config['appliedThrough'] !== 'string') throw new Error(`${name}: pg-migration-guard.json needs appliedThrough (the setup migrations)`);
  if (!existsSync(join(dir, 'fill.sql'))) throw new Error(`${name}: fill.sql missing`);
  const fixture: Fixture = {
    name,
    dir,
    title: String(raw['title']),
    runner,
    migrationsDir: String(raw['migrationsDir'] ?? (runner === 'dbmate' ? 'db/migrations' : 'migrations')),
    rules: strings(raw['rules'], `${name}.rules`),
    expectFixes: strings(raw['expectFixes'], `${name}.expectFixes`),
    tables: strings(raw['tables'], `${name}.tables`),
    unboundedTables: (raw['unboundedTables'] as Array<{ table: string; why: string }> | undefined) ?? [],
    rows: Number(raw['rows'] ?? 200_000),
    compare,
    schemaDifferences: (raw['schemaDifferences'] as SchemaDifference[] | undefined) ?? [],
    checks: (raw['checks'] as Check[] | undefined) ?? [],
    appliedThrough: config['appliedThrough'],
  };
  if (raw['schema'] !== undefined) {
    const schemaDir = join(SCHEMAS, String(raw['schema']));
    if (!existsSync(schemaDir)) throw new Error(`${name}: schema ${String(raw['schema'])} is not a folder of ${SCHEMAS}`);
    fixture.schemaDir = schemaDir;
  }
  if (typeof raw['valuesQuery'] === 'string') fixture.valuesQuery = raw['valuesQuery'];
  if (typeof raw['originalKeepsBound'] === 'string') fixture.originalKeepsBound = raw['originalKeepsBound'];
  if (raw['maxLock']) fixture.maxLock = raw['maxLock'] as { mode: string; why: string };
  if (compare === 'values' && !fixture.valuesQuery) throw new Error(`${name}: compare "values" needs valuesQuery`);
  if (fixture.tables.length === 0) throw new Error(`${name}: tables (the pre-existing tables to bound) is empty`);
  return fixture;
}

/**
 * Copies the fixture folder to `to` with its shared schema's migrations in the migration folder:
 * the complete project, as `fix` and the runner will read it from disk.
 */
export function copyFixture(fixture: Fixture, to: string): void {
  cpSync(fixture.dir, to, { recursive: true });
  if (fixture.schemaDir) cpSync(fixture.schemaDir, join(to, fixture.migrationsDir), { recursive: true, errorOnExist: true, force: false });
}

export function loadFixtures(root: string): Fixture[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => loadFixture(join(root, name), name));
}
