import { ast, ddl, defineRule, describeBlocking, lineRangeFrom, severityForSize, sizeNote } from '../server/src/engine';

/** ADD CONSTRAINT … EXCLUDE on an existing table: an index build under ACCESS EXCLUSIVE with no lighter form. */
export const reviewExclusionConstraint = defineRule({
  meta: {
    id: 'review-exclusion-constraint',
    kinds: ['AlterTableStmt'],
    severity: 'warning',
    summary: 'Plan exclusion constraints on existing tables: the index build blocks all access',
    claims: { lock: 'ACCESS EXCLUSIVE', indexBuild: true },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'AlterTableStmt') return;
    const rel = ast.relationOf(stmt.node?.['relation']);
    if (!rel) return;
    const table = ast.qualified(rel);
    const effect = stmt.effects.find((e) => e.relation === table);
    if (!effect || effect.createdInFile) return;
    for (const c of ast.list(stmt.node, 'cmds')) {
      const cmd = ast.nodeOfKind(c, 'AlterTableCmd');
      if (ast.str(cmd, 'subtype') !== 'AT_AddConstraint') continue;
      const f = ddl.constraintFacts(cmd?.['def']);
      if (f?.kind !== 'exclusion') continue;
      ctx.report({
        statement: stmt,
        ...lineRangeFrom(stmt, ctx.locate(stmt, f.location)),
        severity: severityForSize(ctx, table, 'warning'),
        message:
          `ADD CONSTRAINT${f.name ? ` ${f.name}` : ''} EXCLUDE builds its index and checks every row of ${table} against it while holding ${effect.lock} on ${table}: ` +
          `it ${describeBlocking(effect.lock)} for the whole build${sizeNote(ctx, table)}. Exclusion constraints have no CONCURRENTLY, NOT VALID or USING INDEX form.`,
        help:
          `Set a short lock_timeout before it so it gives up instead of queueing traffic behind it, and run it off-peak; ` +
          `on a large table, create a new table with the constraint, copy the rows over in batches and swap the tables instead.`,
      });
    }
  },
});
