/**
 * The common shape of fixes that add a column and fill it without a rewrite: replacement
 * statements here, a batched backfill script for the rows that already exist, and, when the column
 * was NOT NULL, the constraint in later migrations that refuse to run before the backfill did.
 */
import type { FileView } from '../lint/rule';
import type { Statement } from '../model/statement';
import { eolOf } from '../text/eol';
import { backfillStep, type BackfillSpec } from './backfill';
import { batchingKey, schemaBefore } from './batch-key';
import { deferredNotNullChain } from './deferred-not-null';
import type { Fix, FixStep } from './fix';
import { stepsWithEol } from './line-endings';
import { followingMigrations, type FixEnvironment } from './placement';

export interface ColumnFillPlan {
  table: string;
  column: string;
  /** Complete statements that replace the flagged one. */
  here: string[];
  backfill: Pick<BackfillSpec, 'value' | 'pending' | 'purpose'>;
  notNull: boolean;
  title: string;
}

function lastPart(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** How the header names the migration: its file, or `<folder>/<file>` for runners with a folder per migration. */
export function migrationLabel(file: FileView): string {
  const path = file.path ?? '';
  if (file.runner.id !== 'prisma' && file.runner.id !== 'diesel') return lastPart(path);
  const dir = path.slice(0, Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')));
  return `${lastPart(dir)}/${lastPart(path)}`;
}

export function columnFillFix(file: FileView, stmt: Statement, plan: ColumnFillPlan, env: FixEnvironment | undefined): Fix | undefined {
  if (stmt.section === 'down' || !env || !file.path) return undefined;
  const key = batchingKey(schemaBefore(file, stmt), plan.table);
  const script = backfillStep(file, { ...plan.backfill, table: plan.table, column: plan.column, key, migration: migrationLabel(file) }, env);
  const steps: FixStep[] = [{ kind: 'edit', start: stmt.start, end: stmt.end, newText: plan.here.join('\n') }, script.step];
  let title = `${plan.title}; backfill existing rows with ${script.shown}`;
  if (plan.notNull) {
    const chain = followingMigrations(file, deferredNotNullChain(file.runner.id, plan.table, plan.column, script.shown), env);
    if ('error' in chain) return undefined;
    steps.push(...chain.steps);
    title += `; NOT NULL after the backfill in ${chain.names.join(' and ')}`;
  }
  return { title, safety: 'review', steps: stepsWithEol(steps, eolOf(file)) };
}
