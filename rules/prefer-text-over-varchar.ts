import { defineRule } from '../server/src/engine';
import { definedColumns, typeRange } from './group-a-common';

const VARCHAR = new Set(['varchar', 'character varying']);
const CHAR = new Set(['bpchar', 'char', 'character']);

/** varchar(n) / char(n): a length limit in the type is costly to change later. */
export const preferTextOverVarchar = defineRule({
  meta: {
    id: 'prefer-text-over-varchar',
    kinds: ['CreateStmt', 'AlterTableStmt'],
    severity: 'info',
    style: true,
    summary: 'Use text with a CHECK on length instead of varchar(n) or char(n)',
  },
  check(stmt, ctx) {
    for (const d of definedColumns(stmt)) {
      const t = d.col.type;
      if (!t || (t.schema !== undefined && t.schema !== 'pg_catalog')) continue;
      const name = t.name.toLowerCase();
      const isChar = CHAR.has(name);
      if (!isChar && !(VARCHAR.has(name) && t.mods.length > 0)) continue;
      const n = t.mods[0] ?? 1;
      ctx.report({
        statement: stmt,
        ...typeRange(stmt, ctx, d.typeName),
        message: isChar
          ? `${d.table}.${d.col.name} is char(${n}): values are blank-padded to ${n} characters (trailing spaces are ignored in comparisons but returned to clients), ` +
            `and changing the length later rewrites the whole table while all reads and writes on it wait.`
          : `${d.table}.${d.col.name} is varchar(${n}): raising the limit later is catalog-only but needs the strongest table lock, so it queues behind running queries ` +
            `and blocks all reads and writes meanwhile (lowering it rewrites the table); a CHECK constraint on text can be replaced with NOT VALID and validated without blocking.`,
        help: `Declare it text${t.array ? '[]' : ''} with CHECK (char_length(${d.col.name}) <= ${n})${isChar ? ' (and pad in the application if fixed width matters)' : ''}.`,
      });
    }
  },
});
