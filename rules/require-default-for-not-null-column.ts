import { ast, defineRule, quoteIdent, quoteQualified } from '../server/src/engine';
import { addedColumns, columnDefRange, isNullDefault, typeText } from './group-a-common';

const SERIAL = /^(?:small|big)?serial[248]?$/i;

/** ADD COLUMN … NOT NULL without a DEFAULT on an existing table: fails as soon as the table has a row. */
export const requireDefaultForNotNullColumn = defineRule({
  meta: {
    id: 'require-default-for-not-null-column',
    kinds: ['AlterTableStmt'],
    severity: 'error',
    summary: 'Give a NOT NULL column added to an existing table a default, or add it nullable first',
    claims: { lock: 'ACCESS EXCLUSIVE', scan: true },
  },
  check(stmt, ctx) {
    for (const a of addedColumns(stmt)) {
      const { col, action } = a;
      if (a.isNewTable || !col.notNull || !isNullDefault(col.defaultExpr)) continue;
      // Serial and identity columns get a value from their sequence; generated columns compute one.
      if (col.identity || col.generated || SERIAL.test(col.type?.name ?? '')) continue;
      const table = a.table;
      const lock = action?.lock ?? a.effect?.lock;
      const pk = col.constraints.some((k) => k.kind === 'primary') && !col.constraints.some((k) => k.kind === 'notnull');
      const t = quoteQualified(table);
      const c = quoteIdent(col.name);
      const type = typeText(stmt, ctx, ast.obj(a.def, 'typeName'));
      ctx.report({
        statement: stmt,
        ...columnDefRange(stmt, ctx, col.location),
        message:
          `Adding ${col.name} as NOT NULL${pk ? ' (PRIMARY KEY implies it)' : ''} without a DEFAULT fails on ${table} as soon as it has a single row: ` +
          `existing rows would hold NULL, so PostgreSQL checks the rows${lock ? ` under ${lock}` : ''}, stops at the first one with ` +
          `'column "${col.name}" of relation "${table.split('.').pop()}" contains null values' and the migration rolls back.`,
        help:
          `Either give it a constant default (ADD COLUMN ${c} ${type} NOT NULL DEFAULT <value>${ctx.pgVersion >= 11 ? ', catalog-only since PostgreSQL 11' : ''}), ` +
          `or add it nullable, backfill ${t} in batches, then add CHECK (${c} IS NOT NULL) NOT VALID, VALIDATE it in a later migration and SET NOT NULL.`,
      });
    }
  },
});
