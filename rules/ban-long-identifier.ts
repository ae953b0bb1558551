import { ast, defineRule, type RuleContext, type Statement } from '../server/src/engine';
import { utf8Length } from './group-d-common';

/** PostgreSQL's NAMEDATALEN - 1: identifiers longer than this are truncated. */
const MAX_BYTES = 63;

interface Created {
  kind: string;
  /** The name as the parser returned it (already truncated). */
  name: string;
  /** AST byte location to start looking from, when the node has one. */
  location?: number;
}

/** String literals, dollar-quoted bodies and comments (skipped), quoted identifiers and bare words. */
const TOKEN = /'(?:[^']|'')*'|\$([A-Za-z_]*)\$[\s\S]*?\$\1\$|--[^\n]*|\/\*[\s\S]*?\*\/|"((?:[^"]|"")+)"|([A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*)/g;

function lastName(items: unknown[]): string | undefined {
  const n = ast.names(items);
  return n[n.length - 1];
}

function push(out: Created[], kind: string, name: string | undefined, location?: number): void {
  if (name === undefined) return;
  out.push(location === undefined ? { kind, name } : { kind, name, location });
}

function relation(out: Created[], kind: string, x: unknown): void {
  const rel = ast.relationOf(x);
  if (rel) push(out, kind, rel.name, rel.location);
}

function columnDef(out: Created[], def: ast.AstObject | undefined): void {
  if (!def) return;
  push(out, 'column', ast.str(def, 'colname'), ast.num(def, 'location'));
  for (const c of ast.list(def, 'constraints')) constraint(out, c);
}

function constraint(out: Created[], x: unknown): void {
  const c = ast.nodeOfKind(x, 'Constraint');
  push(out, 'constraint', ast.str(c, 'conname'), ast.num(c, 'location'));
}

/** Names this statement creates (tables, columns, indexes, constraints, types, schemas, functions, triggers, …). */
function createdNames(stmt: Statement): Created[] {
  const node = stmt.node;
  const out: Created[] = [];
  switch (stmt.kind) {
    case 'CreateStmt':
      relation(out, 'table', node?.['relation']);
      for (const e of ast.list(node, 'tableElts')) {
        const def = ast.nodeOfKind(e, 'ColumnDef');
        if (def) columnDef(out, def);
        else constraint(out, e);
      }
      break;
    case 'AlterTableStmt':
      for (const c of ast.list(node, 'cmds')) {
        const cmd = ast.nodeOfKind(c, 'AlterTableCmd');
        const sub = ast.str(cmd, 'subtype');
        if (sub === 'AT_AddColumn') columnDef(out, ast.nodeOfKind(cmd?.['def'], 'ColumnDef'));
        if (sub === 'AT_AddConstraint') constraint(out, cmd?.['def']);
      }
      break;
    case 'IndexStmt':
      push(out, 'index', ast.str(node, 'idxname'));
      break;
    case 'RenameStmt':
      push(out, 'new name', ast.str(node, 'newname'));
      break;
    case 'CreateSchemaStmt':
      push(out, 'schema', ast.str(node, 'schemaname'));
      break;
    case 'CreateEnumStmt':
    case 'CreateRangeStmt':
      push(out, 'type', lastName(ast.list(node, 'typeName')));
      break;
    case 'CreateDomainStmt':
      push(out, 'domain', lastName(ast.list(node, 'domainname')));
      break;
    case 'CompositeTypeStmt':
      relation(out, 'type', node?.['typevar']);
      for (const e of ast.list(node, 'coldeflist')) columnDef(out, ast.nodeOfKind(e, 'ColumnDef'));
      break;
    case 'CreateFunctionStmt':
      push(out, ast.flag(node, 'is_procedure') ? 'procedure' : 'function', lastName(ast.list(node, 'funcname')));
      break;
    case 'CreateTrigStmt':
      push(out, 'trigger', ast.str(node, 'trigname'));
      break;
    case 'ViewStmt':
      relation(out, 'view', node?.['view']);
      break;
    case 'CreateTableAsStmt':
      relation(out, ast.str(node, 'objtype') === 'OBJECT_MATVIEW' ? 'materialized view' : 'table', ast.obj(node, 'into')?.['rel']);
      break;
    case 'CreateSeqStmt':
      relation(out, 'sequence', node?.['sequence']);
      break;
    case 'CreatePolicyStmt':
      push(out, 'policy', ast.str(node, 'policy_name'));
      break;
    default:
      break;
  }
  return out;
}

/** The identifier as written in the statement text, from `from` on, that the parser truncated to `name`. */
function written(stmt: Statement, from: number, name: string): { start: number; end: number; text: string } | undefined {
  const re = new RegExp(TOKEN.source, 'g');
  re.lastIndex = Math.max(0, from);
  for (let m = re.exec(stmt.text); m; m = re.exec(stmt.text)) {
    const quoted = m[2];
    const bare = m[3];
    if (quoted === undefined && bare === undefined) continue;
    const value = quoted !== undefined ? quoted.replace(/""/g, '"') : (bare ?? '').toLowerCase();
    if (utf8Length(value) > MAX_BYTES && value.startsWith(name)) return { start: stmt.start + m.index, end: stmt.start + m.index + m[0].length, text: value };
  }
  return undefined;
}

function check(stmt: Statement, ctx: RuleContext): void {
  for (const c of createdNames(stmt)) {
    // Truncation keeps whole characters, so a truncated multibyte name can be a few bytes short of 63.
    if (utf8Length(c.name) < MAX_BYTES - 3) continue;
    const from = c.location === undefined ? 0 : ctx.locate(stmt, c.location) - stmt.start;
    const w = written(stmt, from, c.name) ?? (from > 0 ? written(stmt, 0, c.name) : undefined);
    if (!w) continue;
    ctx.report({
      statement: stmt,
      start: w.start,
      end: w.end,
      message:
        `The ${c.kind} name ${w.text} is ${utf8Length(w.text)} bytes long; PostgreSQL keeps only the first ${MAX_BYTES} bytes and silently uses "${c.name}". ` +
        `Code, tools and later migrations that use the full name find nothing, and two long names sharing those ${MAX_BYTES} bytes collide.`,
      help: `Choose a name of at most ${MAX_BYTES} bytes in UTF-8 (this one is ${utf8Length(w.text) - MAX_BYTES} over) and use that shorter name everywhere.`,
    });
  }
}

/** An identifier longer than 63 bytes in a statement that creates or renames something. */
export const banLongIdentifier = defineRule({
  meta: {
    id: 'ban-long-identifier',
    severity: 'warning',
    summary: 'Keep created identifiers within 63 bytes, or PostgreSQL truncates them',
  },
  check,
});
