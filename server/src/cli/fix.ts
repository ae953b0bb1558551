/**
 * `pg-migration-guard fix [--rule id] [--dry-run] paths…`: applies the preferred fixes the editor
 * offers, like `eslint --fix`. One fix at a time, re-analysing in between (a fix that creates a
 * migration changes what the next one must be called). Files are written atomically; new files
 * never overwrite existing ones; `--dry-run` prints the diff and writes nothing.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { allRules } from '../../../rules';
import { analyze, applyEdits, type CreateStep, type Fix, type FixEnvironment, type GuardConfig, loadParser, mergeConfig, runnerOf } from '../engine';
import type { ConfigResolver } from '../node/config-loader';
import { HistoryCache } from '../node/history';
import { readSidecars } from '../node/sidecars';
import { unifiedDiff } from './diff';

export interface FixOptions {
  rules: string[];
  dryRun: boolean;
  overrides: Partial<GuardConfig>;
}

interface PendingFile {
  path: string;
  content: string;
}

export async function fixFiles(files: readonly string[], resolver: ConfigResolver, options: FixOptions, out: (s: string) => void): Promise<number> {
  await loadParser();
  const history = new HistoryCache();
  const created: PendingFile[] = [];
  let applied = 0;
  let changedFiles = 0;
  const env: FixEnvironment = {
    listDir(dir: string): string[] {
      let names: string[] = [];
      try {
        names = readdirSync(dir);
      } catch {
        names = [];
      }
      // Files this run will create count as taken, so two fixes never pick the same name.
      return [...names, ...created.filter((c) => dirname(c.path) === dir).map((c) => basename(c.path))];
    },
  };
  for (const file of files) {
    const raw = readFileSync(file, 'utf8');
    const bom = raw.startsWith('\uFEFF') ? '\uFEFF' : '';
    const original = raw.slice(bom.length);
    const config = mergeConfig(resolver.forDirectory(dirname(file)).config, options.overrides);
    const baseline = history.baselineFor(file, runnerOf(original, file, config.runner).id, config.runner, config.appliedThrough);
    let text = original;
    const done = new Set<string>();
    for (let round = 0; round < 200; round++) {
      const analysis = analyze(text, { path: file, config, rules: allRules, sidecars: readSidecars(file), fixEnv: env, ...(baseline ? { baseline } : {}) });
      const next = analysis.findings
        .filter((f) => options.rules.length === 0 || options.rules.includes(f.rule))
        .map((f) => ({ f, fix: f.fixes?.find((x) => x.preferred) ?? f.fixes?.[0] }))
        .find((x) => x.fix && !done.has(`${x.f.rule}\u0000${analysis.statements[x.f.statementIndex]?.text}`));
      if (!next?.fix) break;
      done.add(`${next.f.rule}\u0000${analysis.statements[next.f.statementIndex]?.text}`);
      const creates = next.fix.steps.filter((s): s is CreateStep => s.kind === 'create');
      const clash = creates.find((c) => existsSync(c.path) || created.some((p) => p.path === c.path));
      if (clash) {
        out(`${rel(file)}: skipped "${next.fix.title}": ${rel(clash.path)} already exists\n`);
        continue;
      }
      text = applyEdits(text, next.fix.steps);
      created.push(...creates.map((c) => ({ path: c.path, content: c.content })));
      applied++;
      out(`${rel(file)}: ${next.fix.title}${describeCreates(next.fix)}\n`);
    }
    if (text !== original) {
      changedFiles++;
      if (options.dryRun) out(unifiedDiff(rel(file), original, text));
      else writeAtomically(file, bom + text);
    }
  }
  for (const c of created) {
    if (options.dryRun) out(unifiedDiff(rel(c.path), undefined, c.content));
    else {
      mkdirSync(dirname(c.path), { recursive: true }); // Prisma and diesel migrations are directories
      writeFileSync(c.path, c.content, { flag: 'wx' }); // never overwrite
    }
  }
  out(
    `${applied} fix${applied === 1 ? '' : 'es'} ${options.dryRun ? 'would be applied' : 'applied'} in ${changedFiles} file${changedFiles === 1 ? '' : 's'}; ${created.length} new file${created.length === 1 ? '' : 's'}.\n`,
  );
  return 0;
}

function describeCreates(fix: Fix): string {
  const creates = fix.steps.filter((s): s is CreateStep => s.kind === 'create');
  return creates.length ? ` (creates ${creates.map((c) => rel(c.path)).join(', ')})` : '';
}

function rel(p: string): string {
  return relative(process.cwd(), p) || p;
}

/** Temp file in the same directory, then rename: a crash never leaves a half-written migration. */
function writeAtomically(path: string, content: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.pg-migration-guard-${process.pid}.tmp`);
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}
