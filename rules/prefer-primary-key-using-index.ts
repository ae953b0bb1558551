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
  type SchemaModel,
  addedConstraints,
  existingTableEffect,
  fixesOf,
  keyUsingIndexFix,
} from '../server/src/engine';

/** ADD PRIMARY KEY (constraint, or inline on ADD COLUMN) that builds its index under the ALTER's lock. */
export const preferPrimaryKeyUsingIndex = defineRule({
  meta: {
    id: 'prefer-primary-key-using-index',
    severity: 'warning',
    summary: 'Build the primary key index concurrently, then add the key with PRIMARY KEY USING INDEX',
    claims: { lock: 'ACCESS EXCLUSIVE', indexBuild: true, scan: true },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'AlterTableStmt') return;
    for (const added of addedConstraints(stmt)) {
      const { table, tableName, facts: f, columns, column: addColumn } = added;
      if (f.kind !== 'primary') continue;
      const effect = existingTableEffect(stmt, table);
      if (!effect) continue;
      if (f.usingIndex !== undefined) {
        // USING INDEX skips the build, but NULL-able key columns are still verified under the lock.
        if (effect.scan && knownNullableKey(ctx.file.baseline, table, f.usingIndex)) {
          ctx.report({
            statement: stmt,
            ...lineRangeFrom(stmt, ctx.locate(stmt, f.location)),
            severity: severityForSize(ctx, table, 'warning'),
            message:
              `ADD PRIMARY KEY USING INDEX ${f.usingIndex} makes its columns NOT NULL, and they are not known to be NOT NULL already: ` +
              `Postgres reads every row of ${table} to verify them while holding ${effect.lock} (it ${describeBlocking(effect.lock)}), and fails if one is NULL${sizeNote(ctx, table)}.`,
            help: `Make the key columns NOT NULL first without a long lock (CHECK … IS NOT NULL NOT VALID, VALIDATE in a later migration, then SET NOT NULL); then attaching the index is a brief catalog change.`,
          });
        }
        continue;
      }
      const facts = f;
      const name = facts.name ?? derivedName(tableName, 'pkey');
      const idx = quoteIdent(name);
      const cols = columns.map(quoteIdent).join(', ');
      const t = quoteQualified(table);
      ctx.report({
        statement: stmt,
        ...lineRangeFrom(stmt, ctx.locate(stmt, facts.location)),
        severity: severityForSize(ctx, table, 'warning'),
        message:
          `${addColumn !== undefined ? `The inline PRIMARY KEY on new column ${addColumn}` : 'ADD PRIMARY KEY'} builds a unique index on ${table} (${columns.join(', ')}) ` +
          `and checks the key columns for NULLs while holding ${effect.lock} on ${table}: it ${describeBlocking(effect.lock)} for the whole build${sizeNote(ctx, table)}.`,
        help:
          (addColumn !== undefined ? `Add ${quoteIdent(addColumn)} as a plain column and fill it first. ` : '') +
          `Make ${cols} NOT NULL without a long lock (CHECK … IS NOT NULL NOT VALID, VALIDATE in a later migration, then SET NOT NULL), ` +
          `build \`CREATE UNIQUE INDEX CONCURRENTLY ${idx} ON ${t} (${cols})\` (${outsideTransactionAdvice(ctx.file.runner.id)}), ` +
          `then \`ALTER TABLE ${t} ADD CONSTRAINT ${idx} PRIMARY KEY USING INDEX ${idx}\`, which only holds its lock briefly.`,
        fixes: () => fixesOf(keyUsingIndexFix(ctx.file, stmt, added, ctx.fixEnv, ctx.pgVersion)),
      });
    }
  },
});

/** A key column of `index` that earlier migrations show as nullable (unknown columns stay quiet). */
function knownNullableKey(baseline: SchemaModel | undefined, table: string, index: string): boolean {
  const t = baseline?.table(table);
  const idx = baseline?.indexes.get(index);
  if (!t || t.partial || !idx) return false;
  return idx.columns.some((c) => t.columns.get(c)?.notNull === false);
}
