import { ast, defineRule, describeBlocking, keywordRange } from '../server/src/engine';

/** TRUNCATE of existing tables in a migration; CASCADE also empties tables it does not name. */
export const banTruncate = defineRule({
  meta: {
    id: 'ban-truncate',
    kinds: ['TruncateStmt'],
    severity: 'warning',
    summary: 'Do not TRUNCATE existing tables in migrations, and never with CASCADE',
    claims: { lock: 'ACCESS EXCLUSIVE' },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'TruncateStmt') return;
    const existing = stmt.effects.filter((e) => !e.createdInFile);
    const cascade = ast.str(stmt.node, 'behavior') === 'DROP_CASCADE';
    // Tables created in this migration are new and empty (and only tables created here can reference them).
    if (existing.length === 0) return;
    const shown = existing;
    const names = shown.map((e) => e.relation).join(', ');
    const lock = shown[0]?.lock;
    const blocks = lock ? `: it ${describeBlocking(lock)}` : '';
    ctx.report({
      statement: stmt,
      ...(cascade ? keywordRange(stmt, /\bCASCADE\b/i) : keywordRange(stmt, /^TRUNCATE/i)),
      ...(cascade ? { severity: 'error' as const } : {}),
      message: cascade
        ? `TRUNCATE … CASCADE deletes every row of ${names} and also of every table with a foreign key to ${shown.length > 1 ? 'them' : 'it'}, and of the tables referencing those in turn, ` +
          `none of which this statement names; it holds ${lock ?? 'its lock'} on ${names} and on each table it cascades to until commit${blocks}.`
        : `TRUNCATE deletes every row of ${names} at once and holds ${lock ?? 'its lock'} on ${shown.length > 1 ? 'each of them' : names} until commit${blocks}. ` +
          'The data is gone for every running application, not only this deploy.',
      help: cascade
        ? 'List every table to empty explicitly and drop CASCADE, so the statement fails if another table still references them; if rows must go from a live table, delete them in batches instead.'
        : 'If live rows have to go, delete them in batches (DELETE … WHERE id IN (SELECT … LIMIT n)) outside the deploy; if the table is really retired, stop using it and drop it in a later release.',
    });
  },
});
