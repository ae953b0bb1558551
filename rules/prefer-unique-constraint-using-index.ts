import {
  defineRule,
  derivedName,
  describeBlocking,
  lineRangeFrom,
  outsideTransactionAdvice,
  quoteIdent,
  quoteQualified,
  severityForSize,
  sizeNote,
  addedConstraints,
  existingTableEffect,
  fixesOf,
  keyUsingIndexFix,
} from '../server/src/engine';

/** ADD CONSTRAINT … UNIQUE (or an inline UNIQUE on ADD COLUMN) that builds its index under the ALTER's lock. */
export const preferUniqueConstraintUsingIndex = defineRule({
  meta: {
    id: 'prefer-unique-constraint-using-index',
    severity: 'warning',
    summary: 'Build the unique index concurrently, then add the constraint with UNIQUE USING INDEX',
    claims: { lock: 'ACCESS EXCLUSIVE', indexBuild: true },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'AlterTableStmt') return;
    for (const added of addedConstraints(stmt)) {
      const { table, tableName, facts, columns, column: addColumn } = added;
      if (facts.kind !== 'unique' || facts.usingIndex !== undefined) continue;
      const effect = existingTableEffect(stmt, table);
      if (!effect) continue;
      const name = facts.name ?? derivedName(tableName, ...columns, 'key');
      const idx = quoteIdent(name);
      const cols = columns.map(quoteIdent).join(', ');
      ctx.report({
        statement: stmt,
        ...lineRangeFrom(stmt, ctx.locate(stmt, facts.location)),
        severity: severityForSize(ctx, table, 'warning'),
        message:
          `${addColumn !== undefined ? `The inline UNIQUE on new column ${addColumn}` : `ADD CONSTRAINT ${name} UNIQUE`} builds a unique index on ${table} ` +
          `while holding ${effect.lock} on it: it ${describeBlocking(effect.lock)} for the whole build${sizeNote(ctx, table)}.`,
        help:
          (addColumn !== undefined ? `Add ${quoteIdent(addColumn)} without UNIQUE. ` : '') +
          `Build the index first with \`CREATE UNIQUE INDEX CONCURRENTLY ${idx} ON ${quoteQualified(table)} (${cols})\` ` +
          `(${outsideTransactionAdvice(ctx.file.runner.id)}), then attach it with ` +
          `\`ALTER TABLE ${quoteQualified(table)} ADD CONSTRAINT ${idx} UNIQUE USING INDEX ${idx}\`, which only holds its lock briefly.`,
        fixes: () => fixesOf(keyUsingIndexFix(ctx.file, stmt, added, ctx.fixEnv, ctx.pgVersion)),
      });
    }
  },
});
