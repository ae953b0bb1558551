/**
 * Helpers for the rule tests of fixes: analyse a case with a fix environment, apply a fix, and list
 * the findings of given rules on the fixed file and the migrations the fix created.
 * Fixes that need data work (backfills, migration chains) are tested on a `FolderCase`: a
 * migration with the earlier migrations of its folder, the schema model the fix reads.
 */
import assert from 'node:assert/strict';
import { allRules } from '../rules';
import {
  analyze,
  type Analysis,
  applyEdits,
  buildBaseline,
  type CreateStep,
  defaultConfig,
  type Fix,
  type FixEnvironment,
  type GuardConfig,
  mergeConfig,
  type MigrationText,
  type SchemaModel,
  type Sidecars,
} from '../server/src/engine';

export interface FixCase {
  path: string;
  config?: Partial<GuardConfig>;
  /** Directory listings the fix environment answers with (missing directories are empty). */
  dirs?: Record<string, string[]>;
  /** A fix environment of its own, instead of one answering from `dirs`. */
  env?: FixEnvironment;
  baseline?: SchemaModel;
  sidecars?: Sidecars;
}

export interface AppliedFix {
  text: string;
  created: CreateStep[];
}

export const envOf = (dirs: Record<string, string[]> = {}): FixEnvironment => ({ listDir: (dir) => dirs[dir] ?? [] });

export function analyzeCase(sql: string, c: FixCase, withEnv = true): Analysis {
  return analyze(sql, {
    path: c.path,
    config: mergeConfig(defaultConfig(), c.config ?? {}),
    rules: allRules,
    ...(withEnv ? { fixEnv: c.env ?? envOf(c.dirs) } : {}),
    ...(c.baseline ? { baseline: c.baseline } : {}),
    ...(c.sidecars ? { sidecars: c.sidecars } : {}),
  });
}

export function fixFor(rule: string, sql: string, c: FixCase): Fix {
  const a = analyzeCase(sql, c);
  const f = a.findings.find((x) => x.rule === rule);
  assert.ok(f, `${rule} did not fire`);
  const fix = a.fixesFor(f)[0];
  assert.ok(fix, `${rule} offers no fix`);
  return fix;
}

export function fixesFor(rule: string, sql: string, c: FixCase): Fix[] {
  const a = analyzeCase(sql, c);
  return a.findings.filter((x) => x.rule === rule).flatMap((f) => a.fixesFor(f));
}

export function applyFix(sql: string, fix: Fix): AppliedFix {
  return { text: applyEdits(sql, fix.steps), created: fix.steps.filter((s): s is CreateStep => s.kind === 'create') };
}

/** `<path>: <rule>` for each finding of `rules` on the fixed file and on each created up migration, each linted after the ones before it. */
export function findingsAfter(applied: AppliedFix, c: FixCase, rules: readonly string[]): string[] {
  const out: string[] = [];
  const files = [
    { path: c.path, text: applied.text },
    ...applied.created.filter((f) => f.role === 'migration' && !f.path.endsWith('.down.sql')).map((f) => ({ path: f.path, text: f.content })),
  ];
  files.forEach((file, i) => {
    const before = buildBaseline(files.slice(0, i));
    const baseline = c.baseline ? buildBaseline(files.slice(0, i), undefined, undefined, c.baseline.clone()) : before;
    const sidecarFor = applied.created.find((x) => x.path === `${file.path}.conf`);
    const fileCase: FixCase = { ...c, path: file.path, baseline, ...(sidecarFor ? { sidecars: { flywayConf: sidecarFor.content } } : {}) };
    for (const f of analyzeCase(file.text, fileCase, false).findings) if (rules.includes(f.rule)) out.push(`${file.path}: ${f.rule}`);
  });
  return out;
}

/** A migration of a folder, for the fixes that read the schema the earlier migrations built. */
export interface FolderCase {
  path: string;
  sql: string;
  /** Earlier migrations of the folder (the schema model the fix reads). */
  history?: MigrationText[];
  env?: FixEnvironment;
  pgVersion?: number;
}

export function baselineOf(history: readonly MigrationText[] | undefined): SchemaModel | undefined {
  return history && history.length > 0 ? buildBaseline(history) : undefined;
}

/** The folder case as a `FixCase` for linting `path` after the migrations of `history`. */
function asFixCase(c: FolderCase, history: readonly MigrationText[] | undefined, path = c.path): FixCase {
  const baseline = baselineOf(history);
  return { path, config: { pgVersion: c.pgVersion ?? 15 }, ...(c.env ? { env: c.env } : {}), ...(baseline ? { baseline } : {}) };
}

/** The fixes `rule` offers on its first finding in the case's file. */
export function folderFixesFor(rule: string, c: FolderCase): Fix[] {
  const a = analyzeCase(c.sql, asFixCase(c, c.history));
  const f = a.findings.find((x) => x.rule === rule);
  assert.ok(f, `${rule} did not fire`);
  return [...a.fixesFor(f)];
}

export function folderFixFor(rule: string, c: FolderCase): Fix {
  const fix = folderFixesFor(rule, c)[0];
  assert.ok(fix, `${rule} offers no fix`);
  return fix;
}

export const createdFiles = (fix: Fix): CreateStep[] => fix.steps.filter((s): s is CreateStep => s.kind === 'create');
export const createdMigrations = (fix: Fix): CreateStep[] => createdFiles(fix).filter((s) => s.role === 'migration');
export const createdScript = (fix: Fix): CreateStep | undefined => createdFiles(fix).find((s) => s.role === 'script');

/**
 * Applies the fix and lints every migration it leaves (the edited file, then each created one,
 * each with the ones before it as history, as the CLI does for a folder); returns the findings of
 * `rule` per file.
 */
export function relint(rule: string, c: FolderCase, fix: Fix): Array<{ path: string; findings: string[] }> {
  const files: MigrationText[] = [
    { path: c.path, text: applyEdits(c.sql, fix.steps) },
    ...createdMigrations(fix).map((s) => ({ path: s.path, text: s.content })),
  ];
  const out: Array<{ path: string; findings: string[] }> = [];
  const history = [...(c.history ?? [])];
  for (const f of files) {
    const a = analyzeCase(f.text, asFixCase(c, history, f.path), false);
    out.push({ path: f.path, findings: a.findings.filter((x) => x.rule === rule).map((x) => x.message) });
    history.push(f);
  }
  return out;
}

/** Asserts that the text before `start` and after `end` of the original is unchanged in `out`. */
export function assertOnlyStatementChanged(original: string, out: string, statement: string): void {
  const start = original.indexOf(statement);
  assert.ok(start >= 0, 'statement not found in the original');
  const before = original.slice(0, start);
  const after = original.slice(start + statement.length);
  assert.ok(out.startsWith(before), 'text before the statement changed');
  assert.ok(out.endsWith(after), 'text after the statement changed');
}
