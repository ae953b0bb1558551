import { ast, defineRule, keywordRange, quoteIdent } from '../server/src/engine';
import { earlierInFile } from './group-a-common';

/** DROP DATABASE in a migration. */
export const banDropDatabase = defineRule({
  meta: {
    id: 'ban-drop-database',
    kinds: ['DropdbStmt'],
    severity: 'error',
    summary: 'Do not drop databases from a migration',
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'DropdbStmt') return;
    const name = ast.str(stmt.node, 'dbname') ?? '?';
    const createdHere = earlierInFile(ctx, stmt).some((s) => s.kind === 'CreatedbStmt' && ast.str(s.node, 'dbname') === name);
    if (createdHere) return;
    ctx.report({
      statement: stmt,
      ...keywordRange(stmt, /DROP\s+DATABASE(?:\s+IF\s+EXISTS)?/i),
      message:
        `DROP DATABASE ${name} deletes the whole database and every object and row in it; it cannot be rolled back ` +
        `(it refuses to run inside a transaction block) and fails while any session is connected to ${name}, unless WITH (FORCE) disconnects them.`,
      help: `Drop databases by hand during an operator-run change with a fresh backup, not from an application migration (DROP DATABASE ${quoteIdent(name)};).`,
    });
  },
});
