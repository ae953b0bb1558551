import {
  defineRule,
  derivedName,
  describeBlocking,
  lineRangeFrom,
  quoteIdent,
  quoteQualified,
  severityForSize,
  sizeNote,
  fixesOf,
  notValidThenValidateFix,
  addedConstraints,
  existingTableEffect,
  foreignKeyColumnsIndexed,
  indexBeforeForeignKeyFix,
} from '../server/src/engine';

/** ADD FOREIGN KEY (table constraint or inline REFERENCES on ADD COLUMN) that validates existing rows. */
export const requireNotValidForeignKey = defineRule({
  meta: {
    id: 'require-not-valid-foreign-key',
    kinds: ['AlterTableStmt'],
    severity: 'warning',
    summary: 'Add foreign keys to existing tables NOT VALID and validate them in a later migration',
    claims: { lock: 'SHARE ROW EXCLUSIVE', scan: true },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'AlterTableStmt') return;
    for (const { table: child, tableName: childName, facts, columns, column } of addedConstraints(stmt)) {
      if (facts.kind !== 'foreign') continue;
      const childEffect = existingTableEffect(stmt, child);
      if (!childEffect) continue;
      const inline = column !== undefined;
      if (facts.notValid) continue;
      const parent = facts.referencedTable ?? '(referenced table)';
      const parentEffect = stmt.effects.find((e) => e.relation === parent);
      const name = facts.name ?? derivedName(childName, ...columns, 'fkey');
      const cols = columns.map(quoteIdent).join(', ');
      const refCols = facts.referencedColumns.length > 0 ? ` (${facts.referencedColumns.map(quoteIdent).join(', ')})` : '';
      const locks =
        parentEffect && parentEffect.relation !== child
          ? `${childEffect.lock} on ${child} (${describeBlocking(childEffect.lock)}) and ${parentEffect.lock} on ${parent} (${describeBlocking(parentEffect.lock)})`
          : `${childEffect.lock} on ${child} (${describeBlocking(childEffect.lock)})`;
      const indexed = foreignKeyColumnsIndexed(ctx.file, child, columns);
      // Without an index on the child columns, the preferred fix also builds one before the key exists.
      const fkFixes = (): ReturnType<typeof fixesOf> => {
        const plain = notValidThenValidateFix(ctx.file, stmt, child, name, ctx.fixEnv);
        if (indexed) return fixesOf(plain);
        const withIndex = indexBeforeForeignKeyFix(ctx.file, stmt, { child, childName, columns, constraint: name, notValid: false }, ctx.fixEnv);
        return fixesOf(withIndex, plain && withIndex ? { ...plain, preferred: false } : plain);
      };
      const fk = `ALTER TABLE ${quoteQualified(child)} ADD CONSTRAINT ${quoteIdent(name)} FOREIGN KEY (${cols}) REFERENCES ${quoteQualified(parent)}${refCols}`;
      ctx.report({
        statement: stmt,
        ...lineRangeFrom(stmt, ctx.locate(stmt, facts.location)),
        severity: severityForSize(ctx, child, 'warning'),
        message:
          `Adding foreign key ${name} checks every existing row of ${child} against ${parent} before the statement ends, ` +
          `holding ${locks} for the whole scan${sizeNote(ctx, child)}.`,
        help:
          (inline ? `Add the column ${quoteIdent(columns[0] ?? '')} without REFERENCES, then ` : '') +
          `${inline ? 'a' : 'A'}dd the key with \`${fk} NOT VALID\` (only a brief lock: new rows are checked from then on), and in a later migration run ` +
          `\`ALTER TABLE ${quoteQualified(child)} VALIDATE CONSTRAINT ${quoteIdent(name)}\`, which scans under SHARE UPDATE EXCLUSIVE while reads and writes continue.`,
        fixes: () => (inline ? [] : fkFixes()),
      });
    }
  },
});
