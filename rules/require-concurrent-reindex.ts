import {
  ast,
  concurrentReindexFix,
  defineRule,
  describeBlocking,
  fixesOf,
  keywordRange,
  outsideTransactionAdvice,
  quoteQualified,
  severityForSize,
  sizeNote,
} from '../server/src/engine';

/** REINDEX INDEX / TABLE without CONCURRENTLY on existing relations. */
export const requireConcurrentReindex = defineRule({
  meta: {
    id: 'require-concurrent-reindex',
    severity: 'warning',
    summary: 'Rebuild indexes with REINDEX … CONCURRENTLY',
    claims: { lock: 'SHARE', indexBuild: true },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'ReindexStmt' || stmt.concurrently) return;
    const kind = ast.str(stmt.node, 'kind');
    if (kind !== 'REINDEX_OBJECT_INDEX' && kind !== 'REINDEX_OBJECT_TABLE') return;
    const rel = ast.relationOf(stmt.node?.['relation']);
    if (!rel) return;
    const target = ast.qualified(rel);
    const table = stmt.effects.find((e) => e.relationKind === 'table');
    const index = stmt.effects.find((e) => e.relationKind === 'index');
    if (table?.createdInFile) return;
    const isIndex = kind === 'REINDEX_OBJECT_INDEX';
    const tableName = table?.relation ?? (isIndex ? 'its table' : target);
    let message: string;
    if (isIndex) {
      message =
        `REINDEX INDEX ${target} rebuilds the index from the whole table: it holds ${index?.lock ?? 'a lock'} on ${target}, so every query that would use the index waits, ` +
        (table ? `and ${table.lock} on ${table.relation} (${describeBlocking(table.lock)})` : `and locks ${tableName} against INSERT, UPDATE and DELETE`) +
        ` until the build ends${table ? sizeNote(ctx, table.relation) : ''}.`;
    } else {
      message =
        `REINDEX TABLE ${target} rebuilds every index of ${target} while holding ${table?.lock ?? 'a lock'} on it (${table ? describeBlocking(table.lock) : 'writes wait'}); ` +
        `each index is also locked against all use while it is rebuilt, so queries planned to use it wait too${sizeNote(ctx, target)}.`;
    }
    const keyword = isIndex ? 'INDEX' : 'TABLE';
    ctx.report({
      statement: stmt,
      ...keywordRange(stmt, /^REINDEX(?:\s*\([^)]*\))?\s+(?:INDEX|TABLE)/i),
      severity: severityForSize(ctx, table?.relation ?? target, 'warning'),
      message,
      help:
        ctx.pgVersion >= 12
          ? `Use \`REINDEX ${keyword} CONCURRENTLY ${quoteQualified(target)}\` (SHARE UPDATE EXCLUSIVE: reads and writes continue). It cannot run in a transaction block: ${outsideTransactionAdvice(ctx.file.runner.id)}.`
          : `PostgreSQL ${ctx.pgVersion} has no REINDEX CONCURRENTLY (it arrived in 12): build a replacement with CREATE INDEX CONCURRENTLY under a new name, ` +
            `then DROP INDEX CONCURRENTLY the old one and rename the new one${isIndex ? '' : ', one index at a time'}.`,
      fixes: () => fixesOf(concurrentReindexFix(ctx.file, stmt, ctx.fixEnv, ctx.pgVersion)),
    });
  },
});
