import { ast, defineRule, keywordRange } from '../server/src/engine';

/** CREATE INDEX CONCURRENTLY / REINDEX CONCURRENTLY when the target is PostgreSQL 14 (14.0–14.3 could corrupt them). */
export const reviewConcurrentIndexOnPg14 = defineRule({
  meta: {
    id: 'review-concurrent-index-on-pg14',
    kinds: ['IndexStmt', 'ReindexStmt'],
    severity: 'info',
    summary: 'On PostgreSQL 14, build indexes concurrently only on 14.4 or later',
  },
  check(stmt, ctx) {
    if (ctx.pgVersion !== 14 || !stmt.concurrently) return;
    if (stmt.kind !== 'IndexStmt' && stmt.kind !== 'ReindexStmt') return;
    const table = stmt.effects.find((e) => e.relationKind !== 'index');
    if (table?.createdInFile) return;
    const what = stmt.kind === 'IndexStmt' ? 'CREATE INDEX CONCURRENTLY' : 'REINDEX CONCURRENTLY';
    const name = stmt.kind === 'IndexStmt' ? ast.str(stmt.node, 'idxname') : ast.relationOf(stmt.node?.['relation'])?.name;
    ctx.report({
      statement: stmt,
      ...keywordRange(stmt, stmt.kind === 'IndexStmt' ? /CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY/i : /REINDEX(?:\s*\([^)]*\))?\s+\w+(?:\s+CONCURRENTLY)?/i),
      message:
        `On PostgreSQL 14.0 to 14.3, ${what} can miss rows updated while it runs and produce a corrupt index${name ? ` (${name})` : ''} without any error: ` +
        `queries through it then return wrong results. The bug is fixed in 14.4.`,
      help:
        `Check SELECT version() on every server this migration runs on; upgrade to 14.4 or later first. An index built concurrently on 14.0–14.3 ` +
        `should be checked with amcheck (bt_index_check with heapallindexed) or rebuilt after the upgrade.`,
    });
  },
});
