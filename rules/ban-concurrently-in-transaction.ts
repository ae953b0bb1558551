import {
  ast,
  defineRule,
  fixesOf,
  quoteIdent,
  runAloneFix,
  keywordRange,
  outsideTransactionAdvice,
  transactionReason,
  type Statement,
} from '../server/src/engine';

/** A CONCURRENTLY operation that will run inside a transaction block: it fails at deploy time. */
export const banConcurrentlyInTransaction = defineRule({
  meta: {
    id: 'ban-concurrently-in-transaction',
    kinds: ['IndexStmt', 'DropStmt', 'ReindexStmt', 'AlterTableStmt'],
    severity: 'error',
    summary: 'Run CONCURRENTLY operations outside any transaction block',
  },
  check(stmt, ctx) {
    if (!stmt.concurrently || stmt.transaction === 'none') return;
    const section = ctx.file.sections[stmt.sectionIndex];
    const unitSize = section?.oneString ? ctx.file.statements.filter((s) => s.sectionIndex === stmt.sectionIndex).length : 2;
    const op = operationName(stmt);
    ctx.report({
      statement: stmt,
      ...keywordRange(stmt, /CONCURRENTLY/i),
      message:
        `${op} cannot run inside a transaction block, and this one will: ${transactionReason(ctx.file.runner.id, stmt.transaction, unitSize)}. ` +
        `The migration fails with "${op.replace(/ …/, '')} cannot run inside a transaction block" and the rest of its transaction rolls back.`,
      help: `To run it, ${outsideTransactionAdvice(ctx.file.runner.id)}.`,
      fixes: () => fixesOf(runAloneFix(ctx.file, stmt, stmt.text, undoOf(stmt), slugOf(stmt, op), (where) => `Run this ${op} ${where}`, ctx.fixEnv)),
    });
  },
});

function operationName(stmt: Statement): string {
  switch (stmt.kind) {
    case 'IndexStmt':
      return 'CREATE INDEX CONCURRENTLY';
    case 'DropStmt':
      return 'DROP INDEX CONCURRENTLY';
    case 'ReindexStmt':
      return 'REINDEX CONCURRENTLY';
    case 'AlterTableStmt':
      return ast.list(stmt.node, 'cmds').length > 0 ? 'ALTER TABLE … DETACH PARTITION CONCURRENTLY' : 'ALTER TABLE';
    default:
      return stmt.kind;
  }
}

/** The name the statement works on (index, or partition), for the new migration's file name. */
function slugOf(stmt: Statement, op: string): string {
  const index =
    ast.str(stmt.node, 'idxname') ??
    ast.names(ast.list(ast.nodeOfKind(ast.list(stmt.node, 'objects')[0], 'List'), 'items')).pop() ??
    ast.relationOf(stmt.node?.['relation'])?.name;
  return `${op.split(' ')[0]?.toLowerCase() ?? 'run'}_${index ?? 'concurrently'}`;
}

/** What the new migration's down section does. */
function undoOf(stmt: Statement): string[] {
  const index = ast.str(stmt.node, 'idxname');
  if (stmt.kind === 'IndexStmt' && index) return [`DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(index)};`];
  return ['-- no automatic undo: re-create what this dropped or detached if it must be rolled back'];
}
