import { ast, ddl, defineRule } from '../server/src/engine';
import { definedColumns, typeRange } from './group-a-common';

const SMALL: Record<string, string> = {
  int2: 'smallint',
  smallint: 'smallint',
  int4: 'integer',
  int: 'integer',
  integer: 'integer',
  serial: 'serial',
  serial4: 'serial',
  smallserial: 'smallserial',
  serial2: 'smallserial',
};

/**
 * 16/32-bit integer keys: ids and references to ids run out (2^31 ≈ 2.1 billion), and widening a
 * key later rewrites the table and every referencing table. Scope: key-like columns only
 * (primary keys, identity and serial columns, foreign keys, `id` / `*_id`), where overflow is
 * realistic; counts and quantities stay quiet.
 */
export const preferBigint = defineRule({
  meta: {
    id: 'prefer-bigint',
    kinds: ['CreateStmt', 'AlterTableStmt'],
    severity: 'info',
    style: true,
    summary: 'Use bigint for keys and references to keys',
  },
  check(stmt, ctx) {
    const tablePk = new Set<string>();
    if (stmt.kind === 'CreateStmt') {
      for (const elt of ast.list(stmt.node, 'tableElts')) {
        const f = ddl.constraintFacts(elt);
        if (f?.kind === 'primary' || f?.kind === 'foreign') for (const c of f.columns) tablePk.add(c);
      }
    }
    for (const d of definedColumns(stmt)) {
      const t = d.col.type;
      if (!t || t.array || (t.schema !== undefined && t.schema !== 'pg_catalog')) continue;
      const written = SMALL[t.name.toLowerCase()];
      if (!written) continue;
      const serial = written.endsWith('serial');
      const role =
        d.col.constraints.some((k) => k.kind === 'primary') || tablePk.has(d.col.name)
          ? 'a key'
          : d.col.identity || serial
            ? 'a generated id'
            : d.col.constraints.some((k) => k.kind === 'foreign')
              ? 'a reference'
              : /(^|_)id$/i.test(d.col.name)
                ? 'an id'
                : undefined;
      if (!role) continue;
      const max = written.startsWith('small') ? '32,767' : '2,147,483,647';
      ctx.report({
        statement: stmt,
        ...typeRange(stmt, ctx, d.typeName),
        message:
          `${d.table}.${d.col.name} is ${role} declared ${written}: it stops at ${max}, after which inserts fail, ` +
          `and widening it then rewrites ${d.table} (and every table referencing it) while reads and writes on them wait.`,
        help: `Declare it ${serial ? 'bigint GENERATED ALWAYS AS IDENTITY (or bigserial)' : 'bigint'}: 4 more bytes per row buys headroom that never runs out.`,
      });
    }
  },
});
