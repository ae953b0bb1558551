import { ast, concurrentDropIndexFix, defineRule, fixesOf, keywordRange, outsideTransactionAdvice } from '../server/src/engine';

/** Bare DROP INDEX: ACCESS EXCLUSIVE on the index's table. */
export const requireConcurrentIndexDeletion = defineRule({
  meta: {
    id: 'require-concurrent-index-deletion',
    kinds: ['DropStmt'],
    severity: 'warning',
    summary: 'Drop indexes with DROP INDEX CONCURRENTLY',
    claims: { lock: 'ACCESS EXCLUSIVE' },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'DropStmt' || ast.str(stmt.node, 'removeType') !== 'OBJECT_INDEX' || ast.flag(stmt.node, 'concurrent')) return;
    const index = stmt.effects.find((e) => e.relationKind === 'index');
    const table = stmt.effects.find((e) => e.relationKind === 'table');
    // An index on a table created earlier in this same migration is harmless to drop.
    if (index?.createdInFile || table?.createdInFile) return;
    const on = table ? table.relation : "the index's table";
    ctx.report({
      statement: stmt,
      ...keywordRange(stmt, /^DROP\s+INDEX/i),
      message:
        `DROP INDEX ${index?.relation ?? ''} takes ACCESS EXCLUSIVE on ${on}: every query on it waits, plain SELECTs included ` +
        `(the planner opens all of a table's indexes), and everything queued behind the lock waits too.`,
      help: `Use DROP INDEX CONCURRENTLY IF EXISTS, one index per statement; it cannot run in a transaction block: ${outsideTransactionAdvice(ctx.file.runner.id)}.`,
      fixes: () => fixesOf(concurrentDropIndexFix(ctx.file, stmt, ctx.fixEnv)),
    });
  },
});
