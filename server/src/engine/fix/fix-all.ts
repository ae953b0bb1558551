/**
 * Applies a file's fixes one at a time, re-analysing in between: a fix that creates a migration
 * changes what the next one must be called, and a rewrite moves the offsets of every later
 * finding. Shared by `pg-migration-guard fix` and the editor's "Fix all" source action.
 */
import type { Analysis } from '../analyze';
import { applyEdits, type CreateStep, type Fix } from './fix';
import type { FixEnvironment } from './placement';
import { baseName, dirOf } from '../text/file-path';

export interface FixAllOptions {
  /** Only findings of these rules (all rules when empty). */
  rules?: readonly string[];
  /** Only fixes marked `safe` (the editor's fix-all; the CLI unless review fixes were asked for). */
  safeOnly?: boolean;
  /** Whether a path exists already: a fix that would create it is skipped, never overwriting. */
  exists(path: string): boolean;
  /** Files created earlier in the same run (other files of a CLI run): their names are taken. */
  pending?: readonly CreateStep[];
}

export type FixAllEvent = { kind: 'applied'; rule: string; fix: Fix } | { kind: 'skipped'; rule: string; fix: Fix; clash: string };

export interface FixAllResult {
  text: string;
  created: CreateStep[];
  /** What happened, in order. */
  events: FixAllEvent[];
}

/** Rounds before giving up: a fix that keeps producing new findings must not loop forever. */
const MAX_ROUNDS = 200;

/**
 * `analyzeText` analyses a version of the file with the given environment (undefined: fixes may
 * not create files). `env` lists the disk; files created in this run are added to its listings.
 */
export function fixAll(
  text: string,
  analyzeText: (text: string, env: FixEnvironment | undefined) => Analysis,
  env: FixEnvironment | undefined,
  options: FixAllOptions,
): FixAllResult {
  const created: CreateStep[] = [];
  const events: FixAllEvent[] = [];
  const taken = (): CreateStep[] => [...(options.pending ?? []), ...created];
  const withCreated: FixEnvironment | undefined = env && {
    listDir: (dir) => [
      ...env.listDir(dir),
      ...taken()
        .filter((c) => dirOf(c.path) === dir)
        .map((c) => baseName(c.path)),
    ],
  };
  const done = new Set<string>();
  let current = text;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const analysis = analyzeText(current, withCreated);
    const key = (rule: string, statementIndex: number): string => `${rule}\u0000${analysis.statements[statementIndex]?.text}`;
    const next = analysis.findings
      .filter((f) => !options.rules?.length || options.rules.includes(f.rule))
      .map((f) => {
        const fixes = analysis.fixesFor(f);
        return { f, fix: fixes.find((x) => x.preferred) ?? fixes[0] };
      })
      .find((x) => x.fix && (!options.safeOnly || x.fix.safety === 'safe') && !done.has(key(x.f.rule, x.f.statementIndex)));
    if (!next?.fix) break;
    done.add(key(next.f.rule, next.f.statementIndex));
    const creates = next.fix.steps.filter((s): s is CreateStep => s.kind === 'create');
    const clash = creates.find((c) => options.exists(c.path) || taken().some((p) => p.path === c.path));
    if (clash) {
      events.push({ kind: 'skipped', rule: next.f.rule, fix: next.fix, clash: clash.path });
      continue;
    }
    current = applyEdits(current, next.fix.steps);
    created.push(...creates);
    events.push({ kind: 'applied', rule: next.f.rule, fix: next.fix });
  }
  return { text: current, created, events };
}
