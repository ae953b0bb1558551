/**
 * Writes, into each rules/<id>.md under "## Lock", the table of locks PostgreSQL 18 and 15 were
 * observed to take for that page's examples (from test-artifacts/trace-agreement-<major>.json,
 * written by test/trace/agreement.test.ts). Generated from observations, never typed by hand.
 * Usage: npm test (or the postgres suite), then `npx tsx scripts/lock-tables.ts`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TraceRow {
  rule: string;
  block: string;
  sql: string;
  reliable: Array<{ relation: string; lock: string; rewrite: boolean; scan: boolean; indexBuild: boolean }>;
}

const START = '<!-- observed-locks:start -->';
const END = '<!-- observed-locks:end -->';
const ROOT = join(__dirname, '..');

/** `events: ACCESS EXCLUSIVE, rewrite; accounts: SHARE ROW EXCLUSIVE` */
export function describeObserved(row: TraceRow | undefined): string {
  if (!row) return 'not traced';
  if (row.reliable.length === 0) return 'no table lock';
  return [...row.reliable]
    .sort((a, b) => a.relation.localeCompare(b.relation))
    .map((o) => {
      const work = o.rewrite ? ', rewrite' : o.indexBuild ? ', index build' : o.scan ? ', full scan' : '';
      return `${o.relation}: ${o.lock}${work}`;
    })
    .join('; ');
}

export function statementLabel(sql: string): string {
  // Long enough that two examples differing late (… NOT VALID) keep distinct rows.
  const one = sql.replace(/\s+/g, ' ').trim();
  return one.length > 160 ? `${one.slice(0, 159)}…` : one;
}

export function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/`/g, "'");
}

/** `unsafe` / `safe`, from the block id `Unsafe@12`. */
export function exampleKind(r: TraceRow): string {
  return r.block.split('@')[0]?.toLowerCase() ?? '';
}

/** The rows of one rule's table: each distinct example statement with a table lock on either major. */
export function lockTable(rule: string, rows18: readonly TraceRow[], rows15: readonly TraceRow[]): string {
  const mine18 = rows18.filter((r) => r.rule === rule);
  const mine15 = rows15.filter((r) => r.rule === rule);
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const r of mine18) {
    const other = mine15.find((x) => x.block === r.block && x.sql === r.sql);
    if (r.reliable.length === 0 && (!other || other.reliable.length === 0)) continue;
    // The same statement can behave differently in another example (SET NOT NULL after a validated CHECK).
    const line = `| ${exampleKind(r)} | \`${escapeCell(statementLabel(r.sql))}\` | ${describeObserved(r)} | ${describeObserved(other)} |`;
    if (seen.has(line)) continue;
    seen.add(line);
    lines.push(line);
  }
  if (lines.length === 0) return '';
  return [
    START,
    'Observed on real servers by the test suite (`test/trace/agreement.test.ts`; regenerate with `npx tsx scripts/lock-tables.ts`):',
    '',
    '| example | statement | PostgreSQL 18 | PostgreSQL 15 |',
    '|---|---|---|---|',
    ...lines,
    END,
  ].join('\n');
}

/** The generated block currently in a page, or '' when it has none. */
export function currentLockTable(markdown: string): string {
  const a = markdown.indexOf(START);
  const b = markdown.indexOf(END);
  return a === -1 || b === -1 ? '' : markdown.slice(a, b + END.length);
}

export function withLockTable(markdown: string, table: string): string {
  const current = currentLockTable(markdown);
  if (current) return table ? markdown.replace(current, table) : markdown.replace(`\n${current}\n`, '\n');
  if (!table) return markdown;
  const unsafe = markdown.indexOf('\n## Unsafe');
  return unsafe === -1 ? markdown : `${markdown.slice(0, unsafe).trimEnd()}\n\n${table}\n${markdown.slice(unsafe)}`;
}

function load(major: number): TraceRow[] {
  const p = join(ROOT, 'test-artifacts', `trace-agreement-${major}.json`);
  if (!existsSync(p)) throw new Error(`${p} missing: run the postgres test suite first`);
  return (JSON.parse(readFileSync(p, 'utf8')) as { traced: TraceRow[] }).traced;
}

if (require.main === module) {
  const rows18 = load(18);
  const rows15 = load(15);
  const rules = [...new Set(rows18.map((r) => r.rule))];
  for (const rule of rules) {
    const path = join(ROOT, 'rules', `${rule}.md`);
    const md = readFileSync(path, 'utf8');
    const next = withLockTable(md, lockTable(rule, rows18, rows15));
    if (next !== md) writeFileSync(path, next);
  }
  console.log(`lock tables written for ${rules.length} rule pages`);
}
