import { ast, type DatabaseFacts, defineRule, fixesOf, guardedBefore, guardedConcurrentIndexFix, keywordRange } from '../server/src/engine';

/** The configured database's INVALID index that `name` (in the schema of `table`) would collide with. */
function invalidIndexNamed(facts: DatabaseFacts | undefined, name: string, table: string | undefined): { name: string; table: string } | undefined {
  const dot = table?.lastIndexOf('.') ?? -1;
  const schema = table && dot > 0 ? table.slice(0, dot) : 'public';
  const key = schema === 'public' ? name : `${schema}.${name}`;
  return facts?.invalidIndexes.find((i) => i.name === key);
}

/** CREATE INDEX CONCURRENTLY IF NOT EXISTS keeps an INVALID leftover from a failed earlier build. */
export const banConcurrentIndexIfNotExists = defineRule({
  meta: {
    id: 'ban-concurrent-index-if-not-exists',
    kinds: ['IndexStmt'],
    severity: 'warning',
    summary: 'Do not rely on IF NOT EXISTS with CREATE INDEX CONCURRENTLY',
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'IndexStmt' || !ast.flag(stmt.node, 'concurrent') || !ast.flag(stmt.node, 'if_not_exists')) return;
    const table = stmt.effects.find((e) => e.relationKind === 'table');
    const name = ast.str(stmt.node, 'idxname') ?? '(unnamed)';
    // Index names are per schema, so a leftover collides even with an index on a table created in this file.
    const invalid = invalidIndexNamed(ctx.file.config.database, name, table?.relation);
    if (table?.createdInFile && !invalid) return;
    // A DO block earlier in the section that checks indisvalid for this index already removes a leftover.
    if (guardedBefore(ctx.file, stmt, name)) return;
    ctx.report({
      statement: stmt,
      ...keywordRange(stmt, /IF\s+NOT\s+EXISTS/i),
      ...(invalid ? { severity: 'error' as const } : {}),
      message: invalid
        ? `An INVALID index named ${name} (on ${invalid.table}) exists in the database: IF NOT EXISTS would skip the build, ` +
          `and the migration "succeeds" with an index the planner never uses.`
        : `If an earlier CREATE INDEX CONCURRENTLY of ${name} failed (timeout, deadlock, duplicate key), it left an INVALID index with that name. ` +
          `IF NOT EXISTS then skips the build and the migration "succeeds" with an index the planner never uses.`,
      help:
        `Before creating, drop an invalid leftover: run DROP INDEX CONCURRENTLY IF EXISTS ${name} when ` +
        `SELECT NOT indisvalid FROM pg_index WHERE indexrelid = '${name}'::regclass is true; then CREATE INDEX CONCURRENTLY without IF NOT EXISTS.`,
      fixes: () => fixesOf(guardedConcurrentIndexFix(ctx.file, stmt, ctx.fixEnv)),
    });
  },
});
