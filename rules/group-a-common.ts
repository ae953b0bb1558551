/** Helpers shared by the rules of catalogue group A (column additions, drops, renames, types). */
import { type Action, type AstObject, type Effect, type RuleContext, type Statement, ast, ddl } from '../server/src/engine';

/** One `ADD COLUMN` subcommand with the engine's action and table effect for it. */
export interface AddedColumn {
  col: ddl.ColumnFacts;
  def: AstObject;
  table: string;
  /** The engine's action for this subcommand (lock, rewrite, scan). */
  action: Action | undefined;
  effect: Effect | undefined;
  /** The table was created earlier in this migration (or by this statement): new and empty. */
  isNewTable: boolean;
}

/** `compute`, run once per statement: several rules ask the same question of one statement. */
function oncePerStatement<T>(compute: (stmt: Statement) => T): (stmt: Statement) => T {
  // Per statement (the answer depends on its context too), and only for the syntax tree it was
  // computed from: an incremental re-analysis gives an edited statement a new tree in place.
  const memo = new WeakMap<Statement, { node: unknown; value: T }>();
  return (stmt) => {
    const hit = memo.get(stmt);
    if (hit && hit.node === stmt.node) return hit.value;
    const value = compute(stmt);
    memo.set(stmt, { node: stmt.node, value });
    return value;
  };
}

/** ADD COLUMN subcommands of an ALTER TABLE, with their facts (computed once per statement). */
export const addedColumns = oncePerStatement(computeAddedColumns);

function computeAddedColumns(stmt: Statement): AddedColumn[] {
  if (stmt.kind !== 'AlterTableStmt') return [];
  const rel = ast.relationOf(stmt.node?.['relation']);
  if (!rel) return [];
  const table = ast.qualified(rel);
  const effect = stmt.effects.find((e) => e.relation === table);
  const actions = stmt.actions.filter((a) => a.subtype === 'AT_AddColumn');
  const out: AddedColumn[] = [];
  let n = 0;
  for (const c of ast.list(stmt.node, 'cmds')) {
    const cmd = ast.nodeOfKind(c, 'AlterTableCmd');
    if (ast.str(cmd, 'subtype') !== 'AT_AddColumn') continue;
    const action = actions[n++];
    const def = ast.nodeOfKind(cmd?.['def'], 'ColumnDef');
    const col = ddl.columnDefFacts(def);
    if (!def || !col) continue;
    out.push({ col, def, table, action, effect, isNewTable: effect?.createdInFile ?? false });
  }
  return out;
}

/** A column defined by CREATE TABLE or ALTER TABLE … ADD COLUMN, for the type-style rules. */
export interface DefinedColumn {
  col: ddl.ColumnFacts;
  typeName: AstObject | undefined;
  table: string;
  how: 'create' | 'add';
}

/** Columns a CREATE TABLE or ALTER TABLE … ADD COLUMN defines (computed once per statement). */
export const definedColumns = oncePerStatement(computeDefinedColumns);

function computeDefinedColumns(stmt: Statement): DefinedColumn[] {
  const out: DefinedColumn[] = [];
  const rel = ast.relationOf(stmt.node?.['relation']);
  if (!rel) return out;
  const table = ast.qualified(rel);
  if (stmt.kind === 'CreateStmt') {
    for (const elt of ast.list(stmt.node, 'tableElts')) {
      const def = ast.nodeOfKind(elt, 'ColumnDef');
      const col = ddl.columnDefFacts(def);
      if (col) out.push({ col, typeName: ast.obj(def, 'typeName'), table, how: 'create' });
    }
  } else {
    for (const a of addedColumns(stmt)) out.push({ col: a.col, typeName: ast.obj(a.def, 'typeName'), table, how: 'add' });
  }
  return out;
}

/** Document range of the type name written in a ColumnDef (`varchar(20)`, `timestamp without time zone`, …). */
export function typeRange(stmt: Statement, ctx: RuleContext, typeName: AstObject | undefined): { start: number; end: number } {
  const start = ctx.locate(stmt, ast.num(typeName, 'location'));
  const re =
    /(?:"?[A-Za-z_][\w$]*"?\.)?(?:character\s+varying|double\s+precision|bit\s+varying|timestamp(?:\s*\(\s*\d+\s*\))?(?:\s+with(?:out)?\s+time\s+zone)?|time(?:\s*\(\s*\d+\s*\))?(?:\s+with(?:out)?\s+time\s+zone)?|"[^"]+"|[A-Za-z_][\w$]*)(?:\s*\([^)]*\))?(?:\s*\[\s*\d*\s*\])*/y;
  re.lastIndex = start;
  const m = re.exec(ctx.file.text);
  if (!m || start >= stmt.end) return { start, end: Math.min(stmt.end, start + 1) };
  return { start, end: Math.min(stmt.end, start + m[0].length) };
}

/** The written text of the type of a column, for messages and help. */
export function typeText(stmt: Statement, ctx: RuleContext, typeName: AstObject | undefined): string {
  const r = typeRange(stmt, ctx, typeName);
  return ctx.file.text.slice(r.start, r.end).replace(/\s+/g, ' ');
}

const EXPR_STOP = /^(?:not|null|check|references|unique|primary|constraint|collate|generated|default)\b/i;

/** Scans an expression from `start` to the next constraint keyword, `,` or `)` at depth 0; returns its end. */
function expressionEnd(text: string, start: number, limit: number): number {
  let depth = 0;
  let i = start;
  while (i < limit) {
    const ch = text[i] ?? '';
    if (ch === "'" || ch === '"') {
      const close = text.indexOf(ch, i + 1);
      i = close === -1 || close >= limit ? limit : close + 1;
      continue;
    }
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && (ch === ',' || ch === ';')) break;
    else if (depth === 0 && /\s/.test(ch) && EXPR_STOP.test(text.slice(i, limit).trimStart())) break;
    i++;
  }
  while (i > start && /\s/.test(text[i - 1] ?? '')) i--;
  return i;
}

/**
 * A column's `DEFAULT <expr>` clause as written: the range from the DEFAULT keyword to the end of
 * the expression, and the expression's text.
 */
export function defaultClause(
  stmt: Statement,
  ctx: RuleContext,
  constraintLocation: number | undefined,
): { start: number; end: number; expr: string } | undefined {
  if (constraintLocation === undefined) return undefined;
  const text = ctx.file.text;
  const start = ctx.locate(stmt, constraintLocation);
  const kw = /DEFAULT\s+/iy;
  kw.lastIndex = start;
  if (!kw.exec(text)) return undefined;
  const exprStart = kw.lastIndex;
  const end = expressionEnd(text, exprStart, stmt.end);
  if (end <= exprStart) return undefined;
  return { start, end, expr: text.slice(exprStart, end).replace(/\s+/g, ' ') };
}

/** `DEFAULT NULL` (or no default at all): Postgres stores no default. */
export function isNullDefault(expr: unknown): boolean {
  if (expr === undefined) return true;
  const c = ast.nodeOfKind(expr, 'A_Const');
  return c !== undefined && ast.flag(c, 'isnull');
}

/**
 * Parsed statements before `stmt` in the file, in any section: a down section that drops what the
 * up section created is undoing this migration, not dropping something in use.
 */
export function earlierInFile(ctx: RuleContext, stmt: Statement): Statement[] {
  return ctx.file.statements.filter((s) => s.index < stmt.index && s.node !== undefined);
}

/** Where each table and column is first defined in a file: built once per file, then O(1) per question. */
interface Definitions {
  tables: Map<string, number>;
  columns: Map<string, number>;
  enums: Map<string, number>;
}

const definitionsByFile = new WeakMap<readonly Statement[], Definitions>();

function definitions(ctx: RuleContext): Definitions {
  let d = definitionsByFile.get(ctx.file.statements);
  if (d) return d;
  d = { tables: new Map(), columns: new Map(), enums: new Map() };
  for (const s of ctx.file.statements) {
    if (!s.node) continue;
    if (s.kind === 'CreateEnumStmt') {
      const name = ast.names(ast.list(s.node, 'typeName')).join('.');
      if (!d.enums.has(name)) d.enums.set(name, s.index);
    }
    const rel = ast.relationOf(s.kind === 'CreateStmt' ? s.node['relation'] : s.kind === 'CreateTableAsStmt' ? ast.obj(s.node, 'into')?.['rel'] : undefined);
    if (rel && !d.tables.has(ast.qualified(rel))) d.tables.set(ast.qualified(rel), s.index);
    if (s.kind === 'CreateStmt' || s.kind === 'AlterTableStmt') {
      for (const c of definedColumns(s)) {
        const key = `${c.table}\u0000${c.col.name}`;
        if (!d.columns.has(key)) d.columns.set(key, s.index);
      }
    }
  }
  definitionsByFile.set(ctx.file.statements, d);
  return d;
}

/** A CREATE TABLE (or CREATE TABLE AS / materialized view) of `table` earlier in the file. */
export function tableCreatedEarlier(ctx: RuleContext, stmt: Statement, table: string): boolean {
  return (definitions(ctx).tables.get(table) ?? Infinity) < stmt.index;
}

/** A CREATE TYPE … AS ENUM of `typeName` earlier in the file. */
export function enumCreatedEarlier(ctx: RuleContext, stmt: Statement, typeName: string): boolean {
  return (definitions(ctx).enums.get(typeName) ?? Infinity) < stmt.index;
}

/** An `ADD COLUMN column` on `table` (or a CREATE TABLE defining it) earlier in the file. */
export function columnAddedEarlier(ctx: RuleContext, stmt: Statement, table: string, column: string): boolean {
  return (definitions(ctx).columns.get(`${table}\u0000${column}`) ?? Infinity) < stmt.index;
}

/**
 * The statements that run after `stmt` in the same transaction: same section, until a COMMIT /
 * ROLLBACK or a statement that runs on its own.
 */
export function laterInSameTransaction(ctx: RuleContext, stmt: Statement): Statement[] {
  if (stmt.transaction === 'none') return [];
  const out: Statement[] = [];
  const all = ctx.file.statements;
  // statements[i].index === i: start right after `stmt` instead of scanning the file again.
  for (let i = stmt.index + 1; i < all.length; i++) {
    const s = all[i] as Statement;
    if (s.sectionIndex !== stmt.sectionIndex) break;
    if (s.transaction === 'none') break;
    if (s.kind === 'TransactionStmt') {
      const k = ast.str(s.node, 'kind') ?? '';
      if (/COMMIT|ROLLBACK|PREPARE/.test(k) && !/SAVEPOINT|TO/.test(k)) break;
      continue;
    }
    out.push(s);
  }
  return out;
}

/** Every string constant inside an AST (for "does this statement use the literal 'x'"). */
export function stringConstants(x: unknown, out: string[] = []): string[] {
  if (Array.isArray(x)) {
    for (const v of x) stringConstants(v, out);
    return out;
  }
  if (!ast.isObj(x)) return out;
  const c = ast.nodeOfKind(x, 'A_Const');
  const sval = ast.str(ast.obj(c, 'sval'), 'sval');
  if (sval !== undefined) out.push(sval);
  for (const v of Object.values(x)) stringConstants(v, out);
  return out;
}

/** The document range of one column definition (`name type constraints…`), up to its `,`, `)` or `;`. */
export function columnDefRange(stmt: Statement, ctx: RuleContext, location: number | undefined): { start: number; end: number } {
  const text = ctx.file.text;
  const start = ctx.locate(stmt, location);
  let depth = 0;
  let i = start;
  while (i < stmt.end) {
    const ch = text[i] ?? '';
    if (ch === "'" || ch === '"') {
      const close = text.indexOf(ch, i + 1);
      i = close === -1 || close >= stmt.end ? stmt.end : close + 1;
      continue;
    }
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && (ch === ',' || ch === ';')) break;
    else if (ch === '-' && text[i + 1] === '-') break;
    i++;
  }
  while (i > start && /\s/.test(text[i - 1] ?? '')) i--;
  return { start, end: Math.max(i, start + 1) };
}
