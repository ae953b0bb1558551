import { ast, defineRule, keywordRange, lineOf, type RuleContext, type Statement } from '../server/src/engine';
import { transactions } from './group-c-transactions';

/**
 * Subcommands that should stay in a statement of their own, so an ALTER TABLE containing one is
 * never suggested for merging:
 * - VALIDATE CONSTRAINT: meant for its own transaction, under SHARE UPDATE EXCLUSIVE only;
 * - ATTACH / DETACH PARTITION (and FINALIZE): ATTACH cannot be combined with other subcommands,
 *   DETACH CONCURRENTLY cannot run in a transaction, and each has its own lock on the partition;
 * - SET TABLESPACE / SET ACCESS METHOD / SET LOGGED / SET UNLOGGED: whole-table moves, kept apart so
 *   their cost is visible and can be scheduled;
 * - the SHARE UPDATE EXCLUSIVE / SHARE ROW EXCLUSIVE ones (SET STATISTICS, column and table storage
 *   options, CLUSTER ON, ENABLE/DISABLE TRIGGER): merged into an ACCESS EXCLUSIVE statement they would take
 *   its stronger lock instead of their own light one.
 * RENAME is a different statement (RenameStmt) and is never merged either.
 */
const KEEP_APART = new Set([
  'AT_ValidateConstraint',
  'AT_AttachPartition',
  'AT_DetachPartition',
  'AT_DetachPartitionFinalize',
  'AT_SetTableSpace',
  'AT_SetAccessMethod',
  'AT_SetLogged',
  'AT_SetUnLogged',
]);

/** Statements that may sit between two mergeable ALTER TABLEs without depending on the first. */
const NEUTRAL = new Set(['VariableSetStmt', 'VariableShowStmt', 'CommentStmt']);

interface Run {
  table: string;
  statements: Statement[];
}

function subtypes(stmt: Statement): string[] {
  return ast.list(stmt.node, 'cmds').map((c) => ast.str(ast.nodeOfKind(c, 'AlterTableCmd'), 'subtype') ?? '');
}

/** An ALTER TABLE on a pre-existing table whose subcommands can all share one statement; its table. */
function mergeable(stmt: Statement): string | undefined {
  if (stmt.kind !== 'AlterTableStmt' || ast.str(stmt.node, 'objtype') !== 'OBJECT_TABLE') return undefined;
  const rel = ast.relationOf(stmt.node?.['relation']);
  if (!rel) return undefined;
  const table = ast.qualified(rel);
  const effect = stmt.effects.find((e) => e.relation === table);
  if (!effect || effect.createdInFile) return undefined;
  const subs = subtypes(stmt);
  if (subs.length === 0 || subs.some((s) => KEEP_APART.has(s))) return undefined;
  // Light-lock subcommands stay light only on their own.
  if (stmt.actions.some((a) => a.relation === table && a.lock !== 'ACCESS EXCLUSIVE')) return undefined;
  // ONLY (no recursion to partitions/children) must match to be mergeable; key it in.
  return `${ast.flag(ast.obj(stmt.node, 'relation'), 'inh') ? '' : 'ONLY '}${table}`;
}

const cache = new WeakMap<readonly Statement[], Map<number, Run>>();

/** Runs of two or more mergeable ALTER TABLEs on one table in one transaction, keyed by the second statement. */
function runs(ctx: RuleContext): Map<number, Run> {
  const hit = cache.get(ctx.file.statements);
  if (hit) return hit;
  const out = new Map<number, Run>();
  for (const txn of transactions(ctx.file).txns) {
    if (txn.context === 'none') continue;
    let current: Run | undefined;
    const flush = (): void => {
      if (current && current.statements.length > 1) out.set((current.statements[1] as Statement).index, current);
      current = undefined;
    };
    for (const s of txn.statements) {
      if (s.kind === 'TransactionStmt' || NEUTRAL.has(s.kind)) continue;
      const key = mergeable(s);
      if (key !== undefined && current?.table === key) current.statements.push(s);
      else {
        flush();
        if (key !== undefined) current = { table: key, statements: [s] };
      }
    }
    flush();
  }
  cache.set(ctx.file.statements, out);
  return out;
}

/** Several ALTER TABLE statements in a row on the same table, in one transaction. */
export const preferSingleAlterTable = defineRule({
  meta: {
    id: 'prefer-single-alter-table',
    kinds: ['AlterTableStmt'],
    severity: 'info',
    summary: 'Combine consecutive ALTER TABLE statements on one table into one statement',
  },
  check(stmt, ctx) {
    const run = runs(ctx).get(stmt.index);
    if (!run) return;
    const first = run.statements[0] as Statement;
    const table = run.table.replace(/^ONLY /, '');
    const effect = first.effects.find((e) => e.relation === table);
    const work = run.statements.filter((s) => s.cost === 'rewrite' || s.cost === 'scan' || s.cost === 'index-build').length;
    const lines = run.statements.map((s) => lineOf(ctx.file, s.start)).join(', ');
    ctx.report({
      statement: stmt,
      ...keywordRange(stmt, /^ALTER\s+TABLE/i),
      message:
        `${run.statements.length} ALTER TABLE statements in a row change ${table} in the same transaction (lines ${lines}), ` +
        `all under the ${effect?.lock ?? 'lock'} the first one takes and keeps until COMMIT. ` +
        (work > 1
          ? `${work} of them read or rewrite every row of ${table}, each in its own pass; as one statement PostgreSQL checks and rewrites in a single pass, shortening the time the lock is held.`
          : `Each statement is a separate lock request and catalog update, and any that later needs to check or rewrite rows makes a pass of its own; one statement does all the work in a single pass.`),
      help: `Write them as one statement with comma-separated actions: ALTER TABLE ${run.table} <action 1>, <action 2>, …;`,
    });
  },
});
