import { defineRule } from '../server/src/engine';
import { definedColumns, typeRange } from './group-a-common';

const BASE: Record<string, string> = {
  smallserial: 'smallint',
  serial2: 'smallint',
  serial: 'integer',
  serial4: 'integer',
  bigserial: 'bigint',
  serial8: 'bigint',
};

/** serial / bigserial columns: identity columns are the standard, better-behaved replacement. */
export const preferIdentity = defineRule({
  meta: {
    id: 'prefer-identity',
    kinds: ['CreateStmt', 'AlterTableStmt'],
    severity: 'info',
    style: true,
    summary: 'Use GENERATED … AS IDENTITY instead of serial types',
  },
  check(stmt, ctx) {
    for (const d of definedColumns(stmt)) {
      const name = (d.col.type?.name ?? '').toLowerCase();
      const base = BASE[name];
      if (!base || (d.col.type?.schema !== undefined && d.col.type.schema !== 'pg_catalog')) continue;
      ctx.report({
        statement: stmt,
        ...typeRange(stmt, ctx, d.typeName),
        message:
          `${d.table}.${d.col.name} is ${name}: its sequence is a separate object with its own grants (USAGE for every role that inserts), ` +
          `CREATE TABLE … (LIKE … INCLUDING DEFAULTS) makes the copy share it, and ids written by hand are accepted silently, so a later nextval() collides with them.`,
        help: `Declare it ${base === 'bigint' ? 'bigint' : `bigint (or ${base})`} GENERATED ALWAYS AS IDENTITY: the sequence belongs to the column, and hand-written ids are refused unless the INSERT says OVERRIDING SYSTEM VALUE (use BY DEFAULT to allow them).`,
      });
    }
  },
});
