import { ast, defineRule, lineRangeFrom, type Statement } from '../server/src/engine';

/** The parenthesised key column list after the table name (from `from`), as a document range. */
function keyList(stmt: Statement, from: number): { start: number; end: number } {
  const text = stmt.text;
  const open = text.indexOf('(', Math.max(0, from - stmt.start));
  if (open === -1) return lineRangeFrom(stmt, from);
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      const close = text.indexOf(ch, i + 1);
      if (close === -1) break;
      i = close;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return { start: stmt.start + open, end: stmt.start + i + 1 };
  }
  return lineRangeFrom(stmt, stmt.start + open);
}

/** More key columns than this in a non-unique b-tree index is worth a second look. */
const MAX_KEYS = 3;

/** A non-unique b-tree index with more than three key columns. */
export const reviewWideIndex = defineRule({
  meta: {
    id: 'review-wide-index',
    kinds: ['IndexStmt'],
    severity: 'info',
    style: true,
    summary: 'Keep non-unique b-tree indexes to three key columns or fewer',
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'IndexStmt' || ast.flag(stmt.node, 'unique') || ast.flag(stmt.node, 'primary')) return;
    const method = (ast.str(stmt.node, 'accessMethod') ?? 'btree').toLowerCase();
    if (method !== 'btree') return;
    const keys = ast.list(stmt.node, 'indexParams');
    if (keys.length <= MAX_KEYS) return;
    const names = keys.map((k) => ast.str(ast.nodeOfKind(k, 'IndexElem'), 'name') ?? '(expression)');
    const index = ast.str(stmt.node, 'idxname');
    const rel = ast.relationOf(stmt.node?.['relation']);
    const table = rel ? ast.qualified(rel) : '';
    ctx.report({
      statement: stmt,
      ...keyList(stmt, ctx.locate(stmt, ast.relationOf(stmt.node?.['relation'])?.location)),
      message:
        `${index ? `Index ${index}` : 'This index'} on ${table} has ${keys.length} key columns (${names.join(', ')}): it is larger and slower to build, ` +
        `and every INSERT and every UPDATE of any of them maintains it, yet queries rarely use it past the leading ${MAX_KEYS}.`,
      help:
        `Index the columns queries filter and sort on (${names.slice(0, MAX_KEYS).join(', ')}); move columns that are only returned into INCLUDE (…), ` +
        `or check with EXPLAIN that the extra keys are used.`,
    });
  },
});
