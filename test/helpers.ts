/** Shared test helpers: lint a SQL string as a given file, and render findings compactly. */
import { allRules } from '../rules';
import { analyze, type Analysis, defaultConfig, type GuardConfig, loadParser, mergeConfig, type SchemaModel, type Sidecars } from '../server/src/engine';

export const parserReady = loadParser();

export interface LintOptions {
  path?: string;
  config?: Partial<GuardConfig>;
  sidecars?: Sidecars;
  /** The schema before the file, e.g. `buildBaseline([{ path, text }])`. */
  baseline?: SchemaModel;
}

export function lint(sql: string, options: LintOptions = {}): Analysis {
  return analyze(sql, {
    path: options.path ?? 'db/migrations/plain.sql',
    config: mergeConfig(defaultConfig(), options.config ?? {}),
    rules: allRules,
    ...(options.sidecars ? { sidecars: options.sidecars } : {}),
    ...(options.baseline ? { baseline: options.baseline } : {}),
  });
}

/** `line:col rule severity: message` (1-based), one per finding of `rule` (or all findings). */
export function findings(sql: string, rule?: string, options: LintOptions = {}): string[] {
  const a = lint(sql, options);
  return a.findings
    .filter((f) => rule === undefined || f.rule === rule)
    .map((f) => {
      const p = a.lines.positionAt(f.start);
      return `${p.line + 1}:${p.character + 1} ${f.rule} ${f.severity}: ${f.message}`;
    });
}

export function ruleIdsFound(sql: string, options: LintOptions = {}): string[] {
  return [...new Set(lint(sql, options).findings.map((f) => f.rule))].sort();
}

/** Text under a finding's range. */
export function underlined(sql: string, rule: string, options: LintOptions = {}): string[] {
  const a = lint(sql, options);
  return a.findings.filter((f) => f.rule === rule).map((f) => sql.slice(f.start, f.end));
}
