import { defineRule, derivedName, fixesOf, setNotNullFix, keywordRange, quoteIdent, severityForSize, sizeNote } from '../server/src/engine';

/** ALTER COLUMN … SET NOT NULL that has to scan the table under ACCESS EXCLUSIVE. */
export const requireValidatedCheckForSetNotNull = defineRule({
  meta: {
    id: 'require-validated-check-for-set-not-null',
    kinds: ['AlterTableStmt'],
    severity: 'warning',
    summary: 'Prove NOT NULL with a validated CHECK constraint before SET NOT NULL',
    claims: { lock: 'ACCESS EXCLUSIVE', scan: true },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'AlterTableStmt') return;
    for (const a of stmt.actions) {
      if (a.subtype !== 'AT_SetNotNull' || !a.scan) continue;
      const table = stmt.effects.find((e) => e.relation === a.relation);
      if (!table || table.createdInFile) continue;
      const col = a.column ?? '?';
      const check = quoteIdent(derivedName(a.relation.split('.').pop() ?? a.relation, col, 'not_null'));
      const colSql = quoteIdent(col);
      ctx.report({
        statement: stmt,
        ...keywordRange(stmt, /SET\s+NOT\s+NULL/i),
        severity: severityForSize(ctx, a.relation, 'warning'),
        message:
          `SET NOT NULL on ${a.relation}.${col} reads every row of ${a.relation} under ACCESS EXCLUSIVE to prove there is no NULL: ` +
          `reads and writes wait for the whole scan${sizeNote(ctx, a.relation)}.`,
        help:
          ctx.pgVersion >= 12
            ? `Add CONSTRAINT ${check} CHECK (${colSql} IS NOT NULL) NOT VALID here; in a later migration VALIDATE CONSTRAINT ${check} ` +
              `(SHARE UPDATE EXCLUSIVE: traffic continues), then SET NOT NULL (no scan: the valid check proves it), then DROP CONSTRAINT ${check}.`
            : `Before PostgreSQL 12, SET NOT NULL always scans. Keep a CHECK (${colSql} IS NOT NULL) constraint added NOT VALID and validated in a later migration instead.`,
        fixes: () => (ctx.pgVersion >= 12 ? fixesOf(setNotNullFix(ctx.file, stmt, a.relation, col, ctx.fixEnv)) : []),
      });
    }
  },
});
