/** The equivalence report: test-artifacts/equivalence.json and the table printed after the suite. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LockMode, lockStrength, strongest } from '../../server/src/engine';
import { strongestStep, type TracedStatement } from './locks';

export interface LockSummary {
  statement: string;
  mode: LockMode | undefined;
  rewrite: boolean;
  scan: boolean;
  indexBuild: boolean;
  ms: number;
}

export interface FixtureReport {
  fixture: string;
  title: string;
  runner: string;
  pending: boolean;
  fixes: string[];
  files: Array<{ path: string; status: string; role: string }>;
  scripts: Array<{ file: string; placement: string }>;
  /** `identical schema`, `identical values`, or what failed. */
  result: string;
  locksBefore?: LockSummary & { violations: string[] };
  locksAfter?: {
    /** Strongest lock held on a pre-existing table at any point of the fixed sequence. */
    maxHeld: LockMode | undefined;
    /** Strongest lock held by a statement that is not an O(1) catalog step. */
    maxHeldOutsideCatalogSteps: LockMode | undefined;
    /** Statements that ran holding more than the bound (O(1) catalog steps), and how long each took. */
    strongSteps: Array<{ statement: string; held: LockMode; ms: number }>;
    violations: string[];
  };
  traced?: { original: TracedStatement[]; fixed: TracedStatement[] };
}

const oneLine = (sql: string): string => sql.replace(/\s+/g, ' ').trim();

/** The original's worst statement: the strongest among those breaking the bound (else among all). */
export function summarizeBefore(traced: readonly TracedStatement[], breaking: readonly TracedStatement[]): LockSummary | undefined {
  const t = strongestStep(breaking.length > 0 ? breaking : traced);
  if (!t) return undefined;
  const mode = t.locks.reduce<LockMode | undefined>((m, l) => (m ? strongest(m, l.mode) : l.mode), undefined);
  return {
    statement: oneLine(t.sql),
    mode,
    rewrite: t.locks.some((l) => l.rewrite),
    scan: t.locks.some((l) => l.scan),
    indexBuild: t.locks.some((l) => l.indexBuild),
    ms: t.ms,
  };
}

export function summarizeAfter(traced: readonly TracedStatement[], bound: LockMode, violations: string[]): FixtureReport['locksAfter'] {
  const max = (xs: Array<LockMode | undefined>): LockMode | undefined =>
    xs.reduce<LockMode | undefined>((m, x) => (!x ? m : m ? strongest(m, x) : x), undefined);
  return {
    maxHeld: max(traced.map((t) => t.held)),
    maxHeldOutsideCatalogSteps: max(traced.filter((t) => !t.catalogStep).map((t) => t.held)),
    strongSteps: traced
      .filter((t) => t.held && lockStrength(t.held) > lockStrength(bound))
      .map((t) => ({ statement: oneLine(t.sql), held: t.held as LockMode, ms: t.ms })),
    violations,
  };
}

function describeBefore(b: LockSummary | undefined): string {
  if (!b) return '—';
  const work = [b.rewrite ? 'rewrite' : '', b.scan ? 'scan' : '', b.indexBuild ? 'index build' : ''].filter(Boolean).join('+') || 'no scan';
  return `${b.mode ?? 'none'}, ${work}, ${b.ms} ms`;
}

function describeAfter(a: FixtureReport['locksAfter']): string {
  if (!a) return '—';
  const strong = a.strongSteps.length ? `; ${a.strongSteps.length} brief step(s) ≤ ${Math.max(...a.strongSteps.map((s) => s.ms))} ms under ${a.maxHeld}` : '';
  return `${a.maxHeldOutsideCatalogSteps ?? 'none'}${strong}${a.violations.length ? ` — ${a.violations.length} VIOLATION(S)` : ''}`;
}

export function writeReport(root: string, server: string, entries: readonly FixtureReport[]): string {
  mkdirSync(join(root, 'test-artifacts'), { recursive: true });
  writeFileSync(join(root, 'test-artifacts', 'equivalence.json'), JSON.stringify({ server, fixtures: entries }, null, 2));
  const rows = entries.map((e) => [e.fixture + (e.pending ? ' (pending)' : ''), e.result, describeBefore(e.locksBefore), describeAfter(e.locksAfter)]);
  const header = ['fixture', 'result', 'locks before (strongest statement)', 'locks after (max outside O(1) steps; O(1) steps)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}
