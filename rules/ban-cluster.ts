import { ast, defineRule, describeBlocking, keywordRange, severityForSize, sizeNote } from '../server/src/engine';

/** CLUSTER: rewrites the table in index order under ACCESS EXCLUSIVE. */
export const banCluster = defineRule({
  meta: {
    id: 'ban-cluster',
    kinds: ['ClusterStmt'],
    severity: 'warning',
    summary: 'Do not run CLUSTER on existing tables in migrations; use pg_repack outside the deploy',
    claims: { lock: 'ACCESS EXCLUSIVE', rewrite: true },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'ClusterStmt') return;
    const range = keywordRange(stmt, /^CLUSTER/i);
    if (!stmt.node?.['relation']) {
      ctx.report({
        statement: stmt,
        ...range,
        message:
          'CLUSTER without a table name rewrites every table that was clustered before, one after another, each locked against all reads and writes until its copy is done.',
        help: 'Re-order tables with pg_repack (--order-by or its cluster mode) outside the migration; it copies the table online and swaps it in with a brief lock.',
      });
      return;
    }
    const index = ast.str(stmt.node, 'indexname');
    for (const e of stmt.effects) {
      if (e.createdInFile || !e.rewrite) continue;
      ctx.report({
        statement: stmt,
        ...range,
        severity: severityForSize(ctx, e.relation, 'warning'),
        message:
          `CLUSTER writes a new copy of ${e.relation} sorted${index ? ` by ${index}` : ' by its clustering index'} and rebuilds all its indexes while holding ${e.lock} on it: ` +
          `it ${describeBlocking(e.lock)} until the copy is done${sizeNote(ctx, e.relation)}. The order is not kept for later writes.`,
        help: 'Re-order the table with pg_repack outside the migration (it copies online and swaps with a brief lock), or load a new table in the wanted order and switch to it.',
      });
    }
  },
});
