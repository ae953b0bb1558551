import { defineRule, describeBlocking, lineRangeFrom, severityForSize, sizeNote, addedConstraints, existingTableEffect } from '../server/src/engine';

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
    for (const { table, facts: f, column } of addedConstraints(stmt)) {
      if (f.kind !== 'exclusion' || column !== undefined) continue;
      const effect = existingTableEffect(stmt, table);
      if (!effect) continue;
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
