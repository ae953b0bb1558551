/**
 * Inline suppressions:
 *   -- pg-migration-guard-ignore <rule-id>[, <rule-id>…]: <reason>    (the next statement)
 *   -- pg-migration-guard-ignore-file <rule-id>[, <rule-id>…]         (the whole file)
 * An ignore that suppresses nothing, or names an unknown rule, is reported as `unused-ignore`.
 */
import type { SqlComment } from '../parse/split';
import type { Statement } from '../model/statement';

export interface IgnoreDirective {
  scope: 'statement' | 'file';
  rules: string[];
  reason: string | undefined;
  start: number;
  end: number;
  /** For `statement` scope: the index of the statement it applies to (-1 when none follows). */
  statementIndex: number;
  /** Rule ids this directive actually suppressed (filled while linting). */
  used: Set<string>;
}

const IGNORE = /^--\s*pg-migration-guard-ignore(-file)?\b\s*([^:]*)(?::\s*(.*))?$/i;

export function parseIgnores(comments: readonly SqlComment[], statements: readonly Statement[]): IgnoreDirective[] {
  const out: IgnoreDirective[] = [];
  let s = 0;
  for (const c of comments) {
    if (c.kind !== 'line') continue;
    const m = IGNORE.exec(c.text);
    if (!m) continue;
    const rules = (m[2] ?? '')
      .split(/[\s,]+/)
      .map((r) => r.trim())
      .filter((r) => r.length > 0);
    while (s < statements.length && (statements[s]?.start ?? 0) < c.end) s++;
    out.push({
      scope: m[1] ? 'file' : 'statement',
      rules,
      reason: m[3]?.trim() || undefined,
      start: c.start,
      end: c.end,
      statementIndex: m[1] ? -1 : s < statements.length ? s : -1,
      used: new Set(),
    });
  }
  return out;
}

/** Whether a finding of `rule` on `statementIndex` is suppressed; records the use. */
export function isSuppressed(ignores: readonly IgnoreDirective[], rule: string, statementIndex: number): boolean {
  let hit = false;
  for (const d of ignores) {
    if (!d.rules.includes(rule)) continue;
    if (d.scope === 'file' || d.statementIndex === statementIndex) {
      d.used.add(rule);
      hit = true;
    }
  }
  return hit;
}
