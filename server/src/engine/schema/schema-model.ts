/**
 * What the database looks like before a statement: tables, their columns (with types) and indexes,
 * replayed statically from earlier migrations and earlier statements of the same file. Unknown
 * objects stay unknown; callers then give the conservative answer and say why.
 */
import { type AstObject, list, names, nodeOfKind, obj, qualified, relationFromNames, relationOf, str, type TypeRef, typeOf } from '../parse/ast';
import { columnDefFacts, constraintFacts } from '../effects/ddl-facts';

export interface KnownColumn {
  name: string;
  type: TypeRef | undefined;
  notNull: boolean;
}

export interface KnownTable {
  name: string;
  columns: Map<string, KnownColumn>;
}

export interface KnownIndexDef {
  name: string;
  table: string;
  columns: string[];
  unique: boolean;
}

/** Tables are keyed by their unqualified name, so `public.events` and `events` meet. */
function key(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot === -1 ? name : name.slice(dot + 1);
}

export class SchemaModel {
  readonly tables = new Map<string, KnownTable>();
  readonly indexes = new Map<string, KnownIndexDef>();
  /** Files replayed to build the baseline, for messages ("known from 3 earlier migrations"). */
  sources = 0;

  clone(): SchemaModel {
    const copy = new SchemaModel();
    for (const [k, t] of this.tables) copy.tables.set(k, { name: t.name, columns: new Map([...t.columns].map(([c, v]) => [c, { ...v }])) });
    for (const [k, i] of this.indexes) copy.indexes.set(k, { ...i, columns: [...i.columns] });
    copy.sources = this.sources;
    return copy;
  }

  table(name: string): KnownTable | undefined {
    return this.tables.get(key(name));
  }

  column(table: string, column: string): KnownColumn | undefined {
    return this.table(table)?.columns.get(column);
  }

  indexesOn(table: string): KnownIndexDef[] {
    const k = key(table);
    return [...this.indexes.values()].filter((i) => key(i.table) === k);
  }

  /** An index (or PK/UNIQUE) on `table` whose leading columns are exactly `columns`. */
  hasIndexLeadingWith(table: string, columns: readonly string[]): boolean {
    if (columns.length === 0) return false;
    return this.indexesOn(table).some((i) => columns.every((c, n) => i.columns[n] === c));
  }

  /** Replays one parsed statement. Statements it does not understand leave the model as it is. */
  apply(kind: string, node: AstObject): void {
    switch (kind) {
      case 'CreateStmt':
        this.createTable(node);
        return;
      case 'IndexStmt': {
        const rel = relationOf(node['relation']);
        const name = str(node, 'idxname');
        if (!rel || !name) return;
        const columns = list(node, 'indexParams').map((p) => str(nodeOfKind(p, 'IndexElem'), 'name') ?? '(expression)');
        this.indexes.set(name, { name, table: qualified(rel), columns, unique: node['unique'] === true });
        return;
      }
      case 'AlterTableStmt':
        this.alterTable(node);
        return;
      case 'DropStmt': {
        const type = str(node, 'removeType');
        for (const o of list(node, 'objects')) {
          const rel = relationFromNames(names(list(nodeOfKind(o, 'List'), 'items')));
          if (!rel) continue;
          if (type === 'OBJECT_TABLE') {
            this.tables.delete(key(qualified(rel)));
            for (const [n, i] of this.indexes) if (key(i.table) === key(qualified(rel))) this.indexes.delete(n);
          } else if (type === 'OBJECT_INDEX') this.indexes.delete(rel.name);
        }
        return;
      }
      case 'RenameStmt': {
        const rel = relationOf(node['relation']);
        const newName = str(node, 'newname');
        if (!rel || !newName) return;
        const renameType = str(node, 'renameType');
        const t = this.table(qualified(rel));
        if (renameType === 'OBJECT_TABLE' && t) {
          this.tables.delete(key(qualified(rel)));
          t.name = newName;
          this.tables.set(key(newName), t);
          for (const i of this.indexes.values()) if (key(i.table) === key(qualified(rel))) i.table = newName;
        } else if (renameType === 'OBJECT_COLUMN' && t) {
          const old = str(node, 'subname') ?? '';
          const col = t.columns.get(old);
          if (col) {
            t.columns.delete(old);
            col.name = newName;
            t.columns.set(newName, col);
          }
        } else if (renameType === 'OBJECT_INDEX') {
          const idx = this.indexes.get(rel.name);
          if (idx) {
            this.indexes.delete(rel.name);
            idx.name = newName;
            this.indexes.set(newName, idx);
          }
        }
        return;
      }
      default:
        return;
    }
  }

  private createTable(node: AstObject): void {
    const rel = relationOf(node['relation']);
    if (!rel) return;
    const name = qualified(rel);
    const table: KnownTable = { name, columns: new Map() };
    for (const elt of list(node, 'tableElts')) {
      const col = columnDefFacts(nodeOfKind(elt, 'ColumnDef'));
      if (col) {
        table.columns.set(col.name, { name: col.name, type: col.type, notNull: col.notNull });
        for (const c of col.constraints) {
          if (c.kind === 'primary' || c.kind === 'unique') {
            const idx = c.name ?? `${rel.name}_${c.kind === 'primary' ? 'pkey' : `${col.name}_key`}`;
            this.indexes.set(idx, { name: idx, table: name, columns: [col.name], unique: true });
          }
        }
        continue;
      }
      const c = constraintFacts(elt);
      if ((c?.kind === 'primary' || c?.kind === 'unique') && c.columns.length > 0) {
        const idx = c.name ?? `${rel.name}_${c.kind === 'primary' ? 'pkey' : `${c.columns.join('_')}_key`}`;
        this.indexes.set(idx, { name: idx, table: name, columns: c.columns, unique: true });
        if (c.kind === 'primary') {
          for (const k of c.columns) {
            const col = table.columns.get(k);
            if (col) col.notNull = true;
          }
        }
      }
    }
    this.tables.set(key(name), table);
  }

  private alterTable(node: AstObject): void {
    const rel = relationOf(node['relation']);
    if (!rel) return;
    const t = this.table(qualified(rel));
    if (!t) return;
    for (const c of list(node, 'cmds')) {
      const cmd = nodeOfKind(c, 'AlterTableCmd');
      const column = str(cmd, 'name');
      switch (str(cmd, 'subtype')) {
        case 'AT_AddColumn': {
          const col = columnDefFacts(nodeOfKind(cmd?.['def'], 'ColumnDef'));
          if (col) t.columns.set(col.name, { name: col.name, type: col.type, notNull: col.notNull });
          break;
        }
        case 'AT_DropColumn':
          if (column) t.columns.delete(column);
          break;
        case 'AT_AlterColumnType': {
          const def = nodeOfKind(cmd?.['def'], 'ColumnDef');
          const col = column ? t.columns.get(column) : undefined;
          if (col) col.type = typeOf(obj(def, 'typeName'));
          break;
        }
        case 'AT_SetNotNull':
        case 'AT_DropNotNull': {
          const col = column ? t.columns.get(column) : undefined;
          if (col) col.notNull = str(cmd, 'subtype') === 'AT_SetNotNull';
          break;
        }
        case 'AT_AddConstraint': {
          const f = constraintFacts(cmd?.['def']);
          if ((f?.kind === 'primary' || f?.kind === 'unique') && f.columns.length > 0) {
            const idx = f.usingIndex ?? f.name ?? `${rel.name}_${f.kind === 'primary' ? 'pkey' : `${f.columns.join('_')}_key`}`;
            this.indexes.set(idx, { name: idx, table: t.name, columns: f.columns, unique: true });
          }
          break;
        }
        default:
          break;
      }
    }
  }
}
