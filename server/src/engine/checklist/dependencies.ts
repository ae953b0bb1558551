/**
 * Whether a later migration depends on this one: the objects this migration's up section creates
 * (tables, columns, indexes, constraints, views, sequences, types, functions), and which of them
 * the next migration's up section names. Read from the parse trees, so comments and string
 * contents other than literals do not count; a literal such as `'events'::regclass` does.
 */
import { isObj, list, names, nodeOfKind, obj, relationOf, str, type AstObject } from '../parse/ast';
import type { Statement } from '../model/statement';

export interface CreatedObject {
  /** `table events`, `column events.search_vector`, … */
  label: string;
  /** Names that must all appear in a statement that uses it (a column needs its table too). */
  keys: string[];
}

/** Objects the up section of a migration creates. */
export function createdObjects(statements: readonly Statement[]): CreatedObject[] {
  const out: CreatedObject[] = [];
  const add = (label: string, ...keys: string[]): void => {
    if (!out.some((o) => o.label === label)) out.push({ label, keys });
  };
  for (const s of statements) {
    if (s.section !== 'up' || !s.node) continue;
    const n = s.node;
    switch (s.kind) {
      case 'CreateStmt': {
        const rel = relationOf(n['relation']);
        if (rel) add(`table ${rel.name}`, rel.name);
        break;
      }
      case 'IndexStmt': {
        const idx = str(n, 'idxname');
        if (idx) add(`index ${idx}`, idx);
        break;
      }
      case 'ViewStmt': {
        const rel = relationOf(n['view']);
        if (rel) add(`view ${rel.name}`, rel.name);
        break;
      }
      case 'CreateTableAsStmt': {
        const rel = relationOf(obj(obj(n, 'into'), 'rel'));
        if (rel) add(`${str(n, 'objtype') === 'OBJECT_MATVIEW' ? 'materialized view' : 'table'} ${rel.name}`, rel.name);
        break;
      }
      case 'CreateSeqStmt': {
        const rel = relationOf(n['sequence']);
        if (rel) add(`sequence ${rel.name}`, rel.name);
        break;
      }
      case 'CreateEnumStmt':
      case 'CompositeTypeStmt':
      case 'CreateDomainStmt': {
        const parts = names(list(n, s.kind === 'CreateDomainStmt' ? 'domainname' : 'typeName'));
        const rel = s.kind === 'CompositeTypeStmt' ? relationOf(n['typevar']) : undefined;
        const name = rel?.name ?? parts[parts.length - 1];
        if (name) add(`type ${name}`, name);
        break;
      }
      case 'CreateFunctionStmt': {
        const parts = names(list(n, 'funcname'));
        const name = parts[parts.length - 1];
        if (name) add(`function ${name}`, name);
        break;
      }
      case 'AlterTableStmt': {
        const rel = relationOf(n['relation']);
        if (!rel) break;
        for (const c of list(n, 'cmds')) {
          const cmd = nodeOfKind(c, 'AlterTableCmd');
          const sub = str(cmd, 'subtype');
          if (sub === 'AT_AddColumn') {
            const col = str(nodeOfKind(cmd?.['def'], 'ColumnDef'), 'colname');
            if (col) add(`column ${rel.name}.${col}`, rel.name, col);
          } else if (sub === 'AT_AddConstraint') {
            const con = str(nodeOfKind(cmd?.['def'], 'Constraint'), 'conname');
            if (con) add(`constraint ${con} on ${rel.name}`, con);
          }
        }
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** Keys under which the parse tree names an existing object (not the names it defines). */
const REFERENCE_KEYS = new Set(['sval', 'relname', 'name', 'conname', 'subname']);

function referencedNames(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) {
    for (const x of node) referencedNames(x, out);
    return;
  }
  if (!isObj(node)) return;
  for (const [k, v] of Object.entries(node as AstObject)) {
    if (typeof v === 'string') {
      if (REFERENCE_KEYS.has(k)) out.add(v);
    } else referencedNames(v, out);
  }
}

/** Labels of `created` objects that the up section of `next` names, per statement. */
export function referencesTo(created: readonly CreatedObject[], next: readonly Statement[]): string[] {
  const found = new Set<string>();
  for (const s of next) {
    if (s.section !== 'up' || !s.node) continue;
    const named = new Set<string>();
    referencedNames(s.node, named);
    for (const o of created) if (o.keys.every((k) => named.has(k))) found.add(o.label);
  }
  return created.filter((o) => found.has(o.label)).map((o) => o.label);
}
