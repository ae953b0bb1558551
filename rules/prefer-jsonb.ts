import { defineRule } from '../server/src/engine';
import { definedColumns, typeRange } from './group-a-common';

/** A json column: jsonb is almost always what is wanted. */
export const preferJsonb = defineRule({
  meta: {
    id: 'prefer-jsonb',
    kinds: ['CreateStmt', 'AlterTableStmt'],
    severity: 'info',
    style: true,
    summary: 'Store JSON documents as jsonb, not json',
  },
  check(stmt, ctx) {
    for (const d of definedColumns(stmt)) {
      const t = d.col.type;
      if (!t || t.name.toLowerCase() !== 'json' || (t.schema !== undefined && t.schema !== 'pg_catalog')) continue;
      ctx.report({
        statement: stmt,
        ...typeRange(stmt, ctx, d.typeName),
        message:
          `${d.table}.${d.col.name} is json: the text is stored as written and re-parsed by every operator, it has no equality operator ` +
          `(so no DISTINCT, GROUP BY or UNIQUE on it) and cannot use GIN indexes. Converting it later is a table rewrite.`,
        help: `Declare it jsonb${t.array ? '[]' : ''} unless you must keep key order, duplicate keys or whitespace exactly as sent.`,
      });
    }
  },
});
