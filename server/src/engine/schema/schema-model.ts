/**
 * What the database looks like before a statement: tables, their columns (with types) and indexes,
 * replayed statically from earlier migrations and earlier statements of the same file. Unknown
 * objects stay unknown; callers then give the conservative answer and say why.
 */
import { type AstObject, list, names, nodeOfKind, obj, qualified, relationFromNames, relationOf, str, type TypeRef, typeOf } from '../parse/ast';
import { columnDefFacts, constraintFacts, notNullCheckColumn } from '../effects/ddl-facts';
import { CowMap } from './cow-map';
import { GroupedMap } from './grouped-map';

export interface KnownColumn {
  name: string;
  type: TypeRef | undefined;
  notNull: boolean;
}

export interface KnownTable {
  name: string;
  columns: CowMap<KnownColumn>;
  /** Only some columns are known: the table was altered, never created, in the migrations seen. */
  partial?: boolean;
}

/** A `CHECK (column IS NOT NULL)` constraint, valid or not yet validated. */
export interface KnownNotNullCheck {
  table: string;
  column: string;
  valid: boolean;
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

export interface KnownForeignKey {
  name: string;
  table: string;
  columns: string[];
  referencedTable: string;
  onDelete: string;
}

export class SchemaModel {
  tables = new CowMap<KnownTable>();
  /** Grouped by table key (indexesOn). */
  indexes = new GroupedMap<KnownIndexDef>((i) => [key(i.table)]);
  /** Foreign keys by constraint name (Postgres's default `<table>_<col>_fkey` when unnamed). */
  foreignKeys = new GroupedMap<KnownForeignKey>((f) => [key(f.table), key(f.referencedTable)]);
  /** `CHECK (col IS NOT NULL)` constraints by name: a valid one lets SET NOT NULL skip its scan (PG 12+). */
  notNullChecks = new CowMap<KnownNotNullCheck>();
  /** Files replayed to build the baseline, for messages ("known from 3 earlier migrations"). */
  sources = 0;
  /** Tables created by earlier migrations of the same, not yet applied deploy: new and empty. */
  newTables = new CowMap<true>();

  isNewTable(name: string): boolean {
    return this.newTables.has(key(name));
  }

  /** Marks every table this statement creates as new (it belongs to the unapplied part of the deploy). */
  markCreatedAsNew(kind: string, node: AstObject): void {
    const rel = kind === 'CreateStmt' ? relationOf(node['relation']) : kind === 'CreateTableAsStmt' ? relationOf(obj(node, 'into')?.['rel']) : undefined;
    if (rel) this.newTables.set(key(qualified(rel)), true);
  }

  /**
   * A copy that shares the (immutable) entries: replaying a thousand migrations clones once per
   * file, so entries are never mutated in place; every change stores a new object (copy-on-write).
   */
  clone(): SchemaModel {
    const copy = new SchemaModel();
    copy.tables = this.tables.copy();
    copy.indexes = this.indexes.copy();
    copy.foreignKeys = this.foreignKeys.copy();
    copy.notNullChecks = this.notNullChecks.copy();
    copy.newTables = this.newTables.copy();
    copy.sources = this.sources;
    this.ownTables.clear(); // the table objects are shared with the copy now
    return copy;
  }

  /** Tables this model already holds a private copy of (copied once, then changed in place). */
  private readonly ownTables = new Set<string>();

  /** The table, replaced in this model by a private copy that may be changed. */
  private writableTable(name: string): KnownTable | undefined {
    const k = key(name);
    const t = this.tables.get(k);
    if (!t) return undefined;
    if (this.ownTables.has(k)) return t;
    const copy: KnownTable = { ...t, columns: t.columns.copy() };
    this.tables.set(k, copy);
    this.ownTables.add(k);
    return copy;
  }

  /** Sets fields of a column on a writable table, storing a new column object. */
  private updateColumn(t: KnownTable, column: string, change: Partial<KnownColumn>): void {
    const col = t.columns.get(column);
    t.columns.set(column, { name: column, type: undefined, notNull: false, ...col, ...change });
  }

  table(name: string): KnownTable | undefined {
    return this.tables.get(key(name));
  }

  column(table: string, column: string): KnownColumn | undefined {
    return this.table(table)?.columns.get(column);
  }

  indexesOn(table: string): KnownIndexDef[] {
    return [...this.indexes.group(0, key(table))];
  }

  /** An index (or PK/UNIQUE) on `table` whose leading columns are exactly `columns`. */
  hasIndexLeadingWith(table: string, columns: readonly string[]): boolean {
    if (columns.length === 0) return false;
    return this.indexesOn(table).some((i) => columns.every((c, n) => i.columns[n] === c));
  }

  /** Tables with a foreign key to `table`, directly or through other tables (what TRUNCATE … CASCADE reaches). */
  referencingTables(table: string): string[] {
    const out: string[] = [];
    const queue = [key(table)];
    const seen = new Set(queue);
    while (queue.length > 0) {
      const t = queue.shift() as string;
      for (const fk of this.foreignKeys.group(1, t)) {
        const child = key(fk.table);
        if (!seen.has(child)) {
          seen.add(child);
          out.push(fk.table);
          queue.push(child);
        }
      }
    }
    return out;
  }

  /** Foreign keys whose child is `table` (it references other tables). */
  foreignKeysOf(table: string): KnownForeignKey[] {
    return [...this.foreignKeys.group(0, key(table))];
  }

  /** Foreign keys that reference `table` (its children). */
  foreignKeysTo(table: string): KnownForeignKey[] {
    return [...this.foreignKeys.group(1, key(table))];
  }

  /** Tables with a column whose type is named `typeName` (a domain or enum). */
  tablesWithColumnType(typeName: string): string[] {
    return [...this.tables.values()].filter((t) => [...t.columns.values()].some((c) => c.type?.name === typeName)).map((t) => t.name);
  }

  /** Tables in `schema`: qualified with it, or unqualified when it is `public`. */
  tablesInSchema(schema: string): string[] {
    return [...this.tables.values()].map((t) => t.name).filter((n) => (n.includes('.') ? n.slice(0, n.lastIndexOf('.')) === schema : schema === 'public'));
  }

  private addForeignKey(table: string, c: { name?: string; referencedTable?: string; onDelete?: string }, columns: string[]): void {
    if (!c.referencedTable) return;
    const fkName = c.name ?? `${key(table)}_${columns.join('_')}_fkey`;
    this.foreignKeys.set(fkName, { name: fkName, table, columns, referencedTable: c.referencedTable, onDelete: c.onDelete ?? 'no action' });
  }

  /** Replays one parsed statement. Statements it does not understand leave the model as it is. */
  apply(kind: string, node: AstObject): void {
    switch (kind) {
      case 'CreateStmt':
        this.createTable(node);
        return;
      case 'CreateTableAsStmt': {
        // CREATE TABLE … AS / CREATE MATERIALIZED VIEW: the relation exists, its columns are not known here.
        const rel = relationOf(obj(node, 'into')?.['rel']);
        if (rel) this.tables.set(key(qualified(rel)), { name: qualified(rel), columns: new CowMap() });
        return;
      }
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
          const rel = relationFromNames(objectNameParts(o));
          if (!rel) continue;
          if (type === 'OBJECT_SCHEMA') {
            for (const t of this.tablesInSchema(rel.name)) this.tables.delete(key(t));
          } else if (type === 'OBJECT_TABLE') {
            this.tables.delete(key(qualified(rel)));
            for (const [n, i] of this.indexes) if (key(i.table) === key(qualified(rel))) this.indexes.delete(n);
            for (const [n, f] of this.foreignKeys) if (key(f.table) === key(qualified(rel))) this.foreignKeys.delete(n);
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
          this.tables.set(key(newName), { ...t, name: newName });
          for (const [n, i] of this.indexes) if (key(i.table) === key(qualified(rel))) this.indexes.set(n, { ...i, table: newName });
        } else if (renameType === 'OBJECT_COLUMN' && t) {
          const old = str(node, 'subname') ?? '';
          const w = this.writableTable(qualified(rel));
          const col = w?.columns.get(old);
          if (w && col) {
            w.columns.delete(old);
            w.columns.set(newName, { ...col, name: newName });
          }
        } else if (renameType === 'OBJECT_INDEX') {
          const idx = this.indexes.get(rel.name);
          if (idx) {
            this.indexes.delete(rel.name);
            this.indexes.set(newName, { ...idx, name: newName });
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
    const table: KnownTable = { name, columns: new CowMap() };
    for (const elt of list(node, 'tableElts')) {
      const col = columnDefFacts(nodeOfKind(elt, 'ColumnDef'));
      if (col) {
        table.columns.set(col.name, { name: col.name, type: col.type, notNull: col.notNull });
        for (const c of col.constraints) {
          if (c.kind === 'foreign') this.addForeignKey(name, c, [col.name]);
          if (c.kind === 'primary' || c.kind === 'unique') {
            const idx = c.name ?? `${rel.name}_${c.kind === 'primary' ? 'pkey' : `${col.name}_key`}`;
            this.indexes.set(idx, { name: idx, table: name, columns: [col.name], unique: true });
          }
        }
        continue;
      }
      const c = constraintFacts(elt);
      if (c?.kind === 'foreign') this.addForeignKey(name, c, c.columns);
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
    this.ownTables.add(key(name));
  }

  hasValidNotNullCheck(table: string, column: string): boolean {
    for (const c of this.notNullChecks.unorderedValues()) if (c.valid && c.column === column && key(c.table) === key(table)) return true;
    return false;
  }

  private alterTable(node: AstObject): void {
    const rel = relationOf(node['relation']);
    if (!rel) return;
    let t = this.writableTable(qualified(rel));
    if (!t) {
      // Altered but never created in what we have seen: remember what the ALTERs say about it.
      t = { name: qualified(rel), columns: new CowMap(), partial: true };
      this.tables.set(key(qualified(rel)), t);
      this.ownTables.add(key(qualified(rel)));
    }
    for (const c of list(node, 'cmds')) {
      const cmd = nodeOfKind(c, 'AlterTableCmd');
      const column = str(cmd, 'name');
      switch (str(cmd, 'subtype')) {
        case 'AT_AddColumn': {
          const col = columnDefFacts(nodeOfKind(cmd?.['def'], 'ColumnDef'));
          if (col) {
            t.columns.set(col.name, { name: col.name, type: col.type, notNull: col.notNull || col.constraints.some((k) => k.kind === 'primary') });
            for (const k of col.constraints) if (k.kind === 'foreign') this.addForeignKey(t.name, k, [col.name]);
          }
          break;
        }
        case 'AT_DropConstraint':
          this.foreignKeys.delete(column ?? '');
          this.notNullChecks.delete(column ?? '');
          break;
        case 'AT_DropColumn':
          if (column) t.columns.delete(column);
          break;
        case 'AT_AlterColumnType': {
          const def = nodeOfKind(cmd?.['def'], 'ColumnDef');
          if (column) this.updateColumn(t, column, { type: typeOf(obj(def, 'typeName')) });
          break;
        }
        case 'AT_ValidateConstraint': {
          const check = this.notNullChecks.get(column ?? '');
          if (check) this.notNullChecks.set(column ?? '', { ...check, valid: true });
          break;
        }
        case 'AT_SetNotNull':
        case 'AT_DropNotNull': {
          if (column) this.updateColumn(t, column, { notNull: str(cmd, 'subtype') === 'AT_SetNotNull' });
          break;
        }
        case 'AT_AddConstraint': {
          const f = constraintFacts(cmd?.['def']);
          if (f?.kind === 'foreign') this.addForeignKey(t.name, f, f.columns);
          const nn = f?.kind === 'check' ? notNullCheckColumn(f.expr) : undefined;
          if (f && nn) this.notNullChecks.set(f.name ?? `${rel.name}_${nn}_check`, { table: t.name, column: nn, valid: !f.notValid });
          if (f?.kind === 'primary') {
            const cols = f.usingIndex ? (this.indexes.get(f.usingIndex)?.columns ?? []) : f.columns;
            for (const k of cols) if (t.columns.has(k)) this.updateColumn(t, k, { notNull: true });
          }
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

/** A DropStmt object: a dotted name list (`List` of `String`), or a bare `String` (schemas, databases). */
function objectNameParts(o: unknown): string[] {
  const l = nodeOfKind(o, 'List');
  return l ? names(list(l, 'items')) : names([o]);
}
