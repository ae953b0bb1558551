/**
 * Builds the schema a migration runs against: the earlier migrations of its folder, in the
 * runner's order, applied to the scratch database. Each up statement runs on its own and commits
 * (BEGIN / COMMIT in the files are skipped): the goal is the schema those files leave behind, and
 * running them one by one also applies files whose CONCURRENTLY statements the runner itself
 * would have rejected inside a transaction.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Client } from 'pg';
import { analyze, type GuardConfig, lineOf, type RunnerId } from '../../engine';
import { migrationOrder } from '../../node/history';
import { readSidecars } from '../../node/sidecars';

export interface HistoryApplied {
  files: number;
  statements: number;
  ms: number;
}

/** The migrations that run before `path`, in order. */
export function earlierMigrations(path: string, runner: RunnerId): string[] {
  const order = migrationOrder(path, runner);
  const i = order.indexOf(path);
  return i === -1 ? [] : order.slice(0, i);
}

export async function applyHistory(client: Client, path: string, runner: RunnerId, config: GuardConfig): Promise<HistoryApplied> {
  const t0 = performance.now();
  const files = earlierMigrations(path, runner);
  let statements = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    const analysis = analyze(text, { path: file, config, rules: [], sidecars: readSidecars(file) });
    for (const s of analysis.statements) {
      if (s.section !== 'up' || s.kind === 'TransactionStmt') continue;
      try {
        await client.query(s.text);
      } catch (err) {
        const line = lineOf(analysis, s.start);
        throw new Error(`applying the earlier migration ${basename(file)} failed at line ${line}: ${(err as Error).message}`);
      }
      statements++;
    }
  }
  return { files: files.length, statements, ms: performance.now() - t0 };
}
