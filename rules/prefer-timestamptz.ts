import { defineRule } from '../server/src/engine';
import { definedColumns, typeRange } from './group-a-common';

/** timestamp without time zone: an instant stored without its offset. */
export const preferTimestamptz = defineRule({
  meta: {
    id: 'prefer-timestamptz',
    kinds: ['CreateStmt', 'AlterTableStmt'],
    severity: 'info',
    style: true,
    summary: 'Store points in time as timestamptz, not timestamp without time zone',
  },
  check(stmt, ctx) {
    for (const d of definedColumns(stmt)) {
      const t = d.col.type;
      if (!t || t.name.toLowerCase() !== 'timestamp' || (t.schema !== undefined && t.schema !== 'pg_catalog')) continue;
      ctx.report({
        statement: stmt,
        ...typeRange(stmt, ctx, d.typeName),
        message:
          `${d.table}.${d.col.name} is timestamp without time zone: values keep no offset, so the same instant written from sessions with different TimeZone ` +
          `settings is stored differently, and comparisons with now() depend on the reading session. Switching to timestamptz later rewrites the table unless the server runs in UTC.`,
        help: `Declare it timestamptz${t.mods.length ? `(${t.mods.join(',')})` : ''}${t.array ? '[]' : ''}; it stores an instant (as UTC) and converts on output.`,
      });
    }
  },
});
