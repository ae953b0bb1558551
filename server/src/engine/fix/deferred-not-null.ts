/**
 * NOT NULL for a column that a backfill fills: it can only be declared after the backfill, and
 * proving it must not scan under ACCESS EXCLUSIVE. Two migrations: a guard plus a NOT VALID check
 * (new and updated rows are checked from then on), then VALIDATE, SET NOT NULL (PostgreSQL 12+
 * uses the valid check instead of scanning) and DROP of the now redundant check.
 */
import type { RunnerId } from '../model/runner';
import { derivedName, quoteIdent, quoteQualified } from '../text/sql-text';
import { backfillGuard } from './guard';
import type { ChainLink } from './placement';
import { wholeStatement } from './trigger-column';

export function deferredNotNullChain(runner: RunnerId, table: string, column: string, backfill: string): ChainLink[] {
  const tableName = table.split('.').pop() ?? table;
  const t = quoteQualified(table);
  const c = quoteIdent(column);
  const check = quoteIdent(derivedName(tableName, column, 'not_null'));
  const guard = backfillGuard(table, `${c} IS NULL`, `${table}.${column} still has NULL rows: run ${backfill} first, then this migration again`);
  return [
    {
      slug: `check_${tableName}_${column}_not_null`,
      body: {
        up: [wholeStatement(runner, guard), `ALTER TABLE ${t} ADD CONSTRAINT ${check} CHECK (${c} IS NOT NULL) NOT VALID;`],
        down: [`ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${check};`],
        nonTransactional: false,
      },
    },
    {
      slug: `set_${tableName}_${column}_not_null`,
      body: {
        up: [
          `ALTER TABLE ${t} VALIDATE CONSTRAINT ${check};`,
          `ALTER TABLE ${t} ALTER COLUMN ${c} SET NOT NULL;`,
          `ALTER TABLE ${t} DROP CONSTRAINT ${check};`,
        ],
        down: [`ALTER TABLE ${t} ALTER COLUMN ${c} DROP NOT NULL;`],
        nonTransactional: false,
      },
    },
  ];
}
