import { ast, defineRule, describeBlocking, keywordRange, quoteQualified, severityForSize, sizeNote } from '../server/src/engine';

/** REFRESH MATERIALIZED VIEW without CONCURRENTLY on a materialized view that already exists. */
export const requireConcurrentMaterializedViewRefresh = defineRule({
  meta: {
    id: 'require-concurrent-materialized-view-refresh',
    kinds: ['RefreshMatViewStmt'],
    severity: 'warning',
    summary: 'Refresh existing materialized views with REFRESH MATERIALIZED VIEW CONCURRENTLY',
    claims: { lock: 'ACCESS EXCLUSIVE', rewrite: true },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'RefreshMatViewStmt' || ast.flag(stmt.node, 'concurrent') || ast.flag(stmt.node, 'skipData')) return;
    const view = stmt.effects.find((e) => e.relationKind === 'matview');
    if (!view || view.createdInFile) return;
    ctx.report({
      statement: stmt,
      ...keywordRange(stmt, /^REFRESH\s+MATERIALIZED\s+VIEW/i),
      severity: severityForSize(ctx, view.relation, 'warning'),
      message:
        `REFRESH MATERIALIZED VIEW ${view.relation} runs its whole query again while holding ${view.lock} on ${view.relation}: ` +
        `it ${describeBlocking(view.lock)}, so every query reading ${view.relation} waits until the recomputation ends${sizeNote(ctx, view.relation)}.`,
      help:
        `Use \`REFRESH MATERIALIZED VIEW CONCURRENTLY ${quoteQualified(view.relation)}\` (EXCLUSIVE: reads continue, only other refreshes and writes wait). ` +
        `It needs a unique index on ${view.relation} over plain columns, with no WHERE clause, and a view that is already populated.`,
    });
  },
});
