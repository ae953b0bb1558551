/**
 * Helpers for the rule tests of fixes: analyse a case with a fix environment, apply a fix, and list
 * the findings of given rules on the fixed file and the migrations the fix created.
 * (Restored from the compiled copy after an accidental overwrite: the behaviour is the original's;
 * its comments were lost.)
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
  type SchemaModel,
  type Sidecars,
} from '../server/src/engine';

export interface FixCase {
  path: string;
  config?: Partial<GuardConfig>;
  /** Directory listings the fix environment answers with (missing directories are empty). */
  dirs?: Record<string, string[]>;
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
    ...(withEnv ? { fixEnv: envOf(c.dirs) } : {}),
    ...(c.baseline ? { baseline: c.baseline } : {}),
    ...(c.sidecars ? { sidecars: c.sidecars } : {}),
  });
}

export function fixFor(rule: string, sql: string, c: FixCase): Fix {
  const f = analyzeCase(sql, c).findings.find((x) => x.rule === rule);
  assert.ok(f, `${rule} did not fire`);
  const fix = f.fixes?.[0];
  assert.ok(fix, `${rule} offers no fix`);
  return fix;
}

export function fixesFor(rule: string, sql: string, c: FixCase): Fix[] {
  return analyzeCase(sql, c)
    .findings.filter((x) => x.rule === rule)
    .flatMap((f) => f.fixes ?? []);
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
