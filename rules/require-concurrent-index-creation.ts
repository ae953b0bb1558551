import { ast, concurrentIndexFix, defineRule, fixesOf, keywordRange, outsideTransactionAdvice, severityForSize, sizeNote } from '../server/src/engine';

/** CREATE INDEX without CONCURRENTLY on a table that already exists. */
export const requireConcurrentIndexCreation = defineRule({
  meta: {
    id: 'require-concurrent-index-creation',
    kinds: ['IndexStmt'],
    severity: 'warning',
    summary: 'Build indexes on existing tables with CREATE INDEX CONCURRENTLY',
    claims: { lock: 'SHARE', indexBuild: true },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'IndexStmt' || ast.flag(stmt.node, 'concurrent')) return;
    const table = stmt.effects.find((e) => e.relationKind === 'table');
    if (!table || table.createdInFile) return;
    const index = ast.str(stmt.node, 'idxname');
    ctx.report({
      statement: stmt,
      ...keywordRange(stmt, /^CREATE\s+(?:UNIQUE\s+)?INDEX/i),
      severity: severityForSize(ctx, table.relation, 'warning'),
      message:
        `CREATE INDEX${index ? ` ${index}` : ''} takes a ${table.lock} lock on ${table.relation} for the whole build: ` +
        `INSERT, UPDATE and DELETE on ${table.relation} wait until it finishes (reads continue)${sizeNote(ctx, table.relation)}.`,
      help: `Use CREATE INDEX CONCURRENTLY (SHARE UPDATE EXCLUSIVE: writes continue). It cannot run in a transaction block: ${outsideTransactionAdvice(ctx.file.runner.id)}.`,
      fixes: () => fixesOf(concurrentIndexFix(ctx.file, stmt, ctx.fixEnv)),
    });
  },
});
