/**
 * The original and the fixed migration sequence of a fixture. Both are copies of the fixture folder
 * in a temp directory; the fixed one has been through `pg-migration-guard fix` (the CLI's own
 * `fixFiles`, called in-process: the same code as `dist/cli.js fix`, without a 1–4 s process start
 * per fixture, and always the current source rather than the last build). A file the fix
 * created is a migration when the runner would pick it up from the migration folder (its own file
 * name rules decide, exactly as on a deploy), otherwise an operator script run with psql.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { compareVersions } from '../../server/src/engine';
import { fixFiles } from '../../server/src/cli/fix';
import { ConfigResolver } from '../../server/src/node/config-loader';
import { ruleIds } from '../../rules';
import { copyFixture, type Fixture } from './fixture';
import { type MigrationRunner, RUNNERS } from './runners';

export type Step = { kind: 'migration'; file: string } | { kind: 'script'; file: string; placement: string };

export interface Sequence {
  /** The migration folder holding every migration of this sequence. */
  migrationsDir: string;
  /** Migrations up to `appliedThrough`: the pre-existing schema. */
  setup: string[];
  /** What runs after the rows are filled: migrations in runner order, scripts interleaved. */
  steps: Step[];
}

export interface FixedCopy {
  root: string;
  original: Sequence;
  fixed: Sequence;
  /** `fix` stdout. */
  output: string;
  /** Files the fix changed or created, relative to the fixture root, with their final text. */
  changed: Array<{ path: string; status: 'edited' | 'created'; role: 'migration' | 'script' | 'other'; text: string }>;
}

function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(relative(root, full), readFileSync(full, 'utf8'));
    }
  };
  walk(root);
  return out;
}

function isSetup(runner: MigrationRunner, file: string, appliedThrough: string): boolean {
  return compareVersions(runner.version(file), appliedThrough) <= 0; // numeric: leading zeros do not count
}

function sequenceOf(fixture: Fixture, root: string, scripts: string[], created: Set<string>): Sequence {
  const runner = RUNNERS[fixture.runner];
  const migrationsDir = join(root, fixture.migrationsDir);
  const all = runner.migrations(migrationsDir);
  const setup = all.filter((f) => isSetup(runner, f, fixture.appliedThrough));
  const later = all.filter((f) => !setup.includes(f));
  const steps: Step[] = later.map((f) => ({ kind: 'migration', file: join(migrationsDir, f) }));
  // No fix marks yet where a script belongs, so: right before the first created migration that
  // names the script (it waits for the backfill), else after every migration.
  for (const script of scripts) {
    const name = basename(script);
    const i = steps.findIndex((s) => s.kind === 'migration' && created.has(s.file) && readFileSync(s.file, 'utf8').includes(name));
    if (i === -1) steps.push({ kind: 'script', file: script, placement: 'after every migration (no created migration names it)' });
    else steps.splice(i, 0, { kind: 'script', file: script, placement: `before ${basename(steps[i]?.file ?? '')}, which names it` });
  }
  return { migrationsDir, setup, steps };
}

/** Copies the fixture twice and runs `pg-migration-guard fix [--rule …] <later migrations>` on one copy. */
export async function makeFixedCopy(fixture: Fixture): Promise<FixedCopy> {
  const root = mkdtempSync(join(tmpdir(), `pgmg-eq-${fixture.name}-`));
  const originalRoot = join(root, 'original');
  const fixedRoot = join(root, 'fixed');
  for (const r of [originalRoot, fixedRoot]) {
    mkdirSync(r);
    copyFixture(fixture, r);
  }
  const runner = RUNNERS[fixture.runner];
  const original = sequenceOf(fixture, originalRoot, [], new Set());
  const targets = original.steps.map((s) => join(fixedRoot, relative(originalRoot, s.file)));
  const before = snapshot(fixedRoot);
  let output = '';
  const status = await fixFiles(targets, new ConfigResolver(ruleIds), { rules: fixture.rules, dryRun: false, overrides: {} }, (s) => (output += s));
  if (status !== 0) throw new Error(`pg-migration-guard fix returned ${status}: ${output}`);
  const after = snapshot(fixedRoot);
  const migrationsDir = join(fixedRoot, fixture.migrationsDir);
  const picked = new Set(runner.migrations(migrationsDir).map((f) => join(migrationsDir, f)));
  const changed: FixedCopy['changed'] = [];
  for (const [path, text] of after) {
    const was = before.get(path);
    if (was === text) continue;
    const full = join(fixedRoot, path);
    const role = picked.has(full) ? 'migration' : path.endsWith('.sql') && !/\.down\.sql$/.test(path) ? 'script' : 'other';
    changed.push({ path, status: was === undefined ? 'created' : 'edited', role, text });
  }
  for (const path of before.keys()) if (!after.has(path)) throw new Error(`fix deleted ${path}`);
  const created = new Set(changed.filter((c) => c.status === 'created').map((c) => join(fixedRoot, c.path)));
  const scripts = changed.filter((c) => c.status === 'created' && c.role === 'script').map((c) => join(fixedRoot, c.path));
  const fixed = sequenceOf(fixture, fixedRoot, scripts, created);
  if (fixed.setup.join() !== original.setup.join()) throw new Error('the fix changed the setup migrations');
  const touched = changed.find((c) => fixed.setup.some((f) => join(fixed.migrationsDir, f) === join(fixedRoot, c.path)));
  if (touched) throw new Error(`the fix edited setup migration ${touched.path}`);
  return { root, original, fixed, output, changed };
}

export function removeCopy(copy: FixedCopy | undefined): void {
  if (copy) rmSync(copy.root, { recursive: true, force: true });
}
