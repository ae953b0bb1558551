/**
 * Narrow, typed readers over libpg-query's raw JSON parse tree. Rules never index raw nodes by
 * hand: they call these, so a parser upgrade is absorbed here.
 */

export type AstObject = { readonly [key: string]: unknown };

export function isObj(x: unknown): x is AstObject {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** `{"AlterTableStmt": {...}}` → `{ kind: "AlterTableStmt", node: {...} }`. */
export function unwrap(x: unknown): { kind: string; node: AstObject } | undefined {
  if (!isObj(x)) return undefined;
  const keys = Object.keys(x);
  if (keys.length !== 1) return undefined;
  const kind = keys[0] as string;
  const node = x[kind];
  return isObj(node) ? { kind, node } : { kind, node: {} };
}

const EMPTY: AstObject = Object.freeze({});

/**
 * The body of a wrapped node if it has the given kind. Called for nearly every node a rule looks
 * at, so it allocates nothing: libpg-query wraps every node as `{Kind: body}`, and no body has a
 * field spelled like a node kind (fields are snake_case or camelCase).
 */
export function nodeOfKind(x: unknown, kind: string): AstObject | undefined {
  if (!isObj(x)) return undefined;
  const node = x[kind];
  if (node === undefined) return undefined;
  return isObj(node) ? node : EMPTY;
}

export function obj(node: AstObject | undefined, key: string): AstObject | undefined {
  const v = node?.[key];
  return isObj(v) ? v : undefined;
}

export function list(node: AstObject | undefined, key: string): unknown[] {
  const v = node?.[key];
  return Array.isArray(v) ? v : [];
}

export function str(node: AstObject | undefined, key: string): string | undefined {
  const v = node?.[key];
  return typeof v === 'string' ? v : undefined;
}

export function flag(node: AstObject | undefined, key: string): boolean {
  return node?.[key] === true;
}

export function num(node: AstObject | undefined, key: string): number | undefined {
  const v = node?.[key];
  return typeof v === 'number' ? v : undefined;
}

/** `[{String:{sval:"a"}}, …]` → `["a", …]`. */
export function names(items: unknown[]): string[] {
  const out: string[] = [];
  for (const item of items) {
    const s = nodeOfKind(item, 'String');
    const v = str(s, 'sval');
    if (v !== undefined) out.push(v);
  }
  return out;
}

export interface RelationRef {
  schema?: string;
  name: string;
  /** Byte offset of the name within the statement, when the parser gives one. */
  location?: number;
}

/** A RangeVar (wrapped or bare) → relation reference. */
export function relationOf(x: unknown): RelationRef | undefined {
  const rv = nodeOfKind(x, 'RangeVar') ?? (isObj(x) && typeof x['relname'] === 'string' ? x : undefined);
  const name = str(rv, 'relname');
  if (!rv || name === undefined) return undefined;
  const schema = str(rv, 'schemaname');
  const location = num(rv, 'location');
  return { name, ...(schema !== undefined ? { schema } : {}), ...(location !== undefined ? { location } : {}) };
}

/**
 * Display/lookup name: `schema.name`, or `name` when unqualified. `public` is dropped: with the
 * default search_path, `public.events` and `events` are the same relation.
 */
export function qualified(ref: { schema?: string; name: string }): string {
  return ref.schema && ref.schema !== 'public' ? `${ref.schema}.${ref.name}` : ref.name;
}

/** A dotted name list (`DROP INDEX s.i`) → relation reference. */
export function relationFromNames(parts: string[]): RelationRef | undefined {
  if (parts.length === 0) return undefined;
  const name = parts[parts.length - 1] as string;
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  return schema !== undefined ? { schema, name } : { name };
}

/** Type name of a ColumnDef/TypeName: `["pg_catalog","int4"]` → `int4`, plus typmods. */
export interface TypeRef {
  name: string;
  schema?: string;
  mods: number[];
  array: boolean;
}

/**
 * `read`, memoised per syntax tree node: trees are never changed, and several rules read the same
 * node of one statement (a column's type, its constraints). Callers must not change what they get.
 */
export function perNode<T>(read: (node: AstObject) => T): (node: AstObject) => T {
  const memo = new WeakMap<AstObject, { value: T }>();
  return (node) => {
    let hit = memo.get(node);
    if (!hit) {
      hit = { value: read(node) };
      memo.set(node, hit);
    }
    return hit.value;
  };
}

const typeOfNode = perNode(readType);

export function typeOf(typeName: AstObject | undefined): TypeRef | undefined {
  return typeName ? typeOfNode(typeName) : undefined;
}

function readType(typeName: AstObject): TypeRef | undefined {
  const parts = names(list(typeName, 'names'));
  if (parts.length === 0) return undefined;
  const mods: number[] = [];
  for (const m of list(typeName, 'typmods')) {
    const c = nodeOfKind(m, 'A_Const');
    const iv = obj(c, 'ival');
    const v = num(iv, 'ival');
    if (v !== undefined) mods.push(v);
  }
  const name = parts[parts.length - 1] as string;
  const schema = parts.length > 1 ? parts[0] : undefined;
  return { name, ...(schema !== undefined ? { schema } : {}), mods, array: list(typeName, 'arrayBounds').length > 0 };
}

/** Every ColumnRef name inside an expression tree (for "columns this expression reads"). */
export function columnRefs(expr: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(expr)) {
    for (const e of expr) columnRefs(e, out);
    return out;
  }
  if (!isObj(expr)) return out;
  const cr = expr['ColumnRef'];
  if (isObj(cr)) {
    const parts = names(list(cr, 'fields'));
    const last = parts[parts.length - 1];
    if (last !== undefined) out.add(last);
    return out;
  }
  for (const k of Object.keys(expr)) columnRefs(expr[k], out);
  return out;
}

/** Every function name called inside an expression tree (lower-cased, last name part). */
export function functionCalls(expr: unknown, out: string[] = []): string[] {
  if (Array.isArray(expr)) {
    for (const e of expr) functionCalls(e, out);
    return out;
  }
  if (!isObj(expr)) return out;
  const fc = expr['FuncCall'];
  if (isObj(fc)) {
    const parts = names(list(fc, 'funcname'));
    const last = parts[parts.length - 1];
    if (last !== undefined) out.push(last.toLowerCase());
  }
  for (const k of Object.keys(expr)) functionCalls(expr[k], out);
  return out;
}
