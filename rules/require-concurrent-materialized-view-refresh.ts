import {
  ast,
  concurrentRefreshFix,
  defineRule,
  fixesOf,
  describeBlocking,
  keywordRange,
  quoteQualified,
  type RuleContext,
  severityForSize,
  sizeNote,
  type Statement,
} from '../server/src/engine';

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
    if (stmt.kind !== 'RefreshMatViewStmt' || ast.flag(stmt.node, 'skipData')) return;
    const view = stmt.effects.find((e) => e.relationKind === 'matview');
    if (!view || view.createdInFile) return;
    const unique = uniqueIndexKnown(ctx, stmt, view.relation);
    if (ast.flag(stmt.node, 'concurrent')) {
      // Earlier migrations show the view and no unique index on it: CONCURRENTLY is refused.
      if (unique === false) {
        ctx.report({
          statement: stmt,
          ...keywordRange(stmt, /CONCURRENTLY/i),
          severity: 'error',
          message: `REFRESH MATERIALIZED VIEW CONCURRENTLY ${view.relation} fails: the migrations seen create no unique index on ${view.relation}, and a concurrent refresh needs one to match old and new rows.`,
          help: `Create one first, e.g. \`CREATE UNIQUE INDEX CONCURRENTLY ON ${quoteQualified(view.relation)} (<key columns>)\` in an earlier, non-transactional migration.`,
        });
      }
      return;
    }
    ctx.report({
      statement: stmt,
      ...keywordRange(stmt, /^REFRESH\s+MATERIALIZED\s+VIEW/i),
      severity: severityForSize(ctx, view.relation, 'warning'),
      message:
        `REFRESH MATERIALIZED VIEW ${view.relation} runs its whole query again while holding ${view.lock} on ${view.relation}: ` +
        `it ${describeBlocking(view.lock)}, so every query reading ${view.relation} waits until the recomputation ends${sizeNote(ctx, view.relation)}.`,
      help:
        `Use \`REFRESH MATERIALIZED VIEW CONCURRENTLY ${quoteQualified(view.relation)}\` (EXCLUSIVE: reads continue, only other refreshes and writes wait). ` +
        (unique === true
          ? `${view.relation} already has a unique index, which is what it needs.`
          : unique === false
            ? `It needs a unique index on ${view.relation} over plain columns with no WHERE clause, and the migrations seen create none: add one first (CREATE UNIQUE INDEX CONCURRENTLY).`
            : `It needs a unique index on ${view.relation} over plain columns, with no WHERE clause, and a view that is already populated.`),
      fixes: () => (unique === true ? fixesOf(concurrentRefreshFix(ctx.file, stmt)) : []),
    });
  },
});

const bare = (n: string): string => n.slice(n.lastIndexOf('.') + 1);
const uniqueIndexCache = new WeakMap<readonly Statement[], Map<string, number>>();

/** Per file, once: the first statement creating a unique index on each relation (bare name). */
function firstUniqueIndex(statements: readonly Statement[]): Map<string, number> {
  let first = uniqueIndexCache.get(statements);
  if (first) return first;
  first = new Map();
  for (const s of statements) {
    if (s.kind !== 'IndexStmt' || !ast.flag(s.node, 'unique')) continue;
    const on = bare(ast.qualified(ast.relationOf(s.node?.['relation']) ?? { name: '' }));
    if (!first.has(on)) first.set(on, s.index);
  }
  uniqueIndexCache.set(statements, first);
  return first;
}

/**
 * Whether `view` has a unique index: true/false when earlier migrations (or this file) define the view,
 * undefined when the view is unknown to us.
 */
function uniqueIndexKnown(ctx: RuleContext, stmt: Statement, view: string): boolean | undefined {
  if ((firstUniqueIndex(ctx.file.statements).get(bare(view)) ?? Infinity) < stmt.index) return true;
  const base = ctx.file.baseline;
  if (!base?.table(view)) return undefined;
  return base.indexesOn(view).some((i) => i.unique);
}
