/** Helpers for the tests of fixes that need data work (backfills, migration chains): find a fix, apply it, re-lint what it wrote. */
import assert from 'node:assert/strict';
import { allRules } from '../rules';
import {
  analyze,
  applyEdits,
  buildBaseline,
  type CreateStep,
  defaultConfig,
  type Fix,
  type FixEnvironment,
  mergeConfig,
  type MigrationText,
  type SchemaModel,
} from '../server/src/engine';

export const noFiles: FixEnvironment = { listDir: () => [] };

export interface FixCase {
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

/** The fixes `rule` offers on its first finding in the case's file. */
export function fixesFor(rule: string, c: FixCase): Fix[] {
  const baseline = baselineOf(c.history);
  const a = analyze(c.sql, {
    path: c.path,
    config: mergeConfig(defaultConfig(), { pgVersion: c.pgVersion ?? 15 }),
    rules: allRules,
    fixEnv: c.env ?? noFiles,
    ...(baseline ? { baseline } : {}),
  });
  const f = a.findings.find((x) => x.rule === rule);
  assert.ok(f, `${rule} did not fire`);
  return f.fixes ?? [];
}

export function fixFor(rule: string, c: FixCase): Fix {
  const fix = fixesFor(rule, c)[0];
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
export function relint(rule: string, c: FixCase, fix: Fix): Array<{ path: string; findings: string[] }> {
  const files: MigrationText[] = [
    { path: c.path, text: applyEdits(c.sql, fix.steps) },
    ...createdMigrations(fix).map((s) => ({ path: s.path, text: s.content })),
  ];
  const out: Array<{ path: string; findings: string[] }> = [];
  const history = [...(c.history ?? [])];
  for (const f of files) {
    const baseline = baselineOf(history);
    const a = analyze(f.text, {
      path: f.path,
      config: mergeConfig(defaultConfig(), { pgVersion: c.pgVersion ?? 15 }),
      rules: allRules,
      ...(baseline ? { baseline } : {}),
    });
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
