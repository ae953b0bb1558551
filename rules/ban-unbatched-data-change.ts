import { ast, defineRule, keywordRange, quoteQualified, severityForSize, sizeNote, type Statement } from '../server/src/engine';

interface Change {
  table: string;
  /** What the statement does, for the message. */
  what: string;
  range: { start: number; end: number };
}

function change(stmt: Statement): Change | undefined {
  const rel = ast.relationOf(stmt.node?.['relation']);
  if (!rel) return undefined;
  const table = ast.qualified(rel);
  const existing = stmt.effects.some((e) => e.relation === table && !e.createdInFile);
  if (!existing) return undefined;
  const node = stmt.node;
  if (stmt.kind === 'UpdateStmt' || stmt.kind === 'DeleteStmt') {
    const verb = stmt.kind === 'UpdateStmt' ? 'UPDATE' : 'DELETE';
    if (node?.['whereClause'] === undefined)
      return { table, what: `${verb} without WHERE changes every row of ${table}`, range: keywordRange(stmt, /^(?:UPDATE|DELETE\s+FROM)\b/i) };
    const join = stmt.kind === 'UpdateStmt' ? 'fromClause' : 'usingClause';
    if (ast.list(node, join).length > 0) {
      const kw = stmt.kind === 'UpdateStmt' ? 'FROM' : 'USING';
      return {
        table,
        what: `${verb} … ${kw} changes every ${table} row the join matches in one statement`,
        range: keywordRange(stmt, stmt.kind === 'UpdateStmt' ? /^UPDATE\b/i : /^DELETE\s+FROM\b/i),
      };
    }
    return undefined;
  }
  if (stmt.kind === 'InsertStmt') {
    const select = ast.nodeOfKind(node?.['selectStmt'], 'SelectStmt');
    // INSERT … VALUES (…) is a handful of rows; INSERT … SELECT … FROM copies a whole result set.
    if (!select || !hasFrom(select)) return undefined;
    return {
      table,
      what: `INSERT … SELECT writes every row the query returns into ${table} in one statement`,
      range: keywordRange(stmt, /^INSERT\s+INTO\b/i),
    };
  }
  return undefined;
}

function hasFrom(select: ast.AstObject): boolean {
  if (ast.list(select, 'fromClause').length > 0) return true;
  for (const side of ['larg', 'rarg']) {
    const s = ast.obj(select, side);
    if (s && hasFrom(s)) return true;
  }
  return false;
}

/** Whole-table UPDATE/DELETE and bulk backfills run inside the migration. */
export const banUnbatchedDataChange = defineRule({
  meta: {
    id: 'ban-unbatched-data-change',
    kinds: ['UpdateStmt', 'DeleteStmt', 'InsertStmt'],
    severity: 'warning',
    summary: 'Backfill existing tables in batches outside the migration, not in one statement',
  },
  check(stmt, ctx) {
    const c = change(stmt);
    if (!c) return;
    const until =
      stmt.transaction === 'none'
        ? 'until the statement ends'
        : stmt.transaction === 'runner'
          ? "until the runner's transaction commits at the end of the migration"
          : 'until its transaction commits';
    ctx.report({
      statement: stmt,
      ...c.range,
      severity: severityForSize(ctx, c.table, 'warning'),
      message:
        `${c.what}${sizeNote(ctx, c.table)}. Every touched row stays locked ${until}, so application writes to those rows wait; ` +
        `the whole change is written to WAL at once (replicas fall behind) and leaves one dead row version per changed row for VACUUM.`,
      help:
        `Move the data change out of the schema migration: run it as a resumable backfill that walks ${quoteQualified(c.table)} by primary-key ranges of about 10,000 rows, ` +
        `committing after each batch (and pausing if replicas lag).`,
    });
  },
});
