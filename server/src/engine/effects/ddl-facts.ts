/** Small typed summaries of ColumnDef and Constraint nodes, shared by effects and rules. */
import { type AstObject, type TypeRef, flag, list, names, nodeOfKind, num, obj, perNode, qualified, relationOf, str, typeOf } from '../parse/ast';

export type ConstraintKind = 'check' | 'foreign' | 'unique' | 'primary' | 'exclusion' | 'notnull' | 'null' | 'default' | 'generated' | 'identity' | 'other';

export type ReferentialAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

export interface ConstraintFacts {
  kind: ConstraintKind;
  name?: string;
  notValid: boolean;
  /** `… USING INDEX idx` (UNIQUE / PRIMARY KEY). */
  usingIndex?: string;
  /** Columns of a table constraint (keys / FK columns). */
  columns: string[];
  referencedTable?: string;
  referencedColumns: string[];
  onDelete?: ReferentialAction;
  onUpdate?: ReferentialAction;
  expr?: unknown;
  /** For generated columns: `s` STORED, `v` VIRTUAL. */
  generatedKind?: 'stored' | 'virtual';
  /** Byte offset of the constraint in the statement. */
  location?: number;
}

const CONTYPE: Record<string, ConstraintKind> = {
  CONSTR_CHECK: 'check',
  CONSTR_FOREIGN: 'foreign',
  CONSTR_UNIQUE: 'unique',
  CONSTR_PRIMARY: 'primary',
  CONSTR_EXCLUSION: 'exclusion',
  CONSTR_NOTNULL: 'notnull',
  CONSTR_NULL: 'null',
  CONSTR_DEFAULT: 'default',
  CONSTR_GENERATED: 'generated',
  CONSTR_IDENTITY: 'identity',
};

const ACTION: Record<string, ReferentialAction> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

export function constraintFacts(x: unknown): ConstraintFacts | undefined {
  const c = nodeOfKind(x, 'Constraint');
  return c ? constraintOfNode(c) : undefined;
}

function readConstraint(c: AstObject): ConstraintFacts {
  const kind = CONTYPE[str(c, 'contype') ?? ''] ?? 'other';
  const pk = relationOf(c['pktable']);
  const del = ACTION[str(c, 'fk_del_action') ?? ''];
  const upd = ACTION[str(c, 'fk_upd_action') ?? ''];
  const gk = str(c, 'generated_kind');
  const name = str(c, 'conname');
  const usingIndex = str(c, 'indexname');
  const location = num(c, 'location');
  const facts: ConstraintFacts = {
    kind,
    notValid: flag(c, 'skip_validation'),
    columns: names(list(c, kind === 'foreign' ? 'fk_attrs' : 'keys')),
    referencedColumns: names(list(c, 'pk_attrs')),
    expr: c['raw_expr'],
  };
  if (name !== undefined) facts.name = name;
  if (usingIndex !== undefined) facts.usingIndex = usingIndex;
  if (pk) facts.referencedTable = qualified(pk);
  if (kind === 'foreign') {
    if (del) facts.onDelete = del;
    if (upd) facts.onUpdate = upd;
  }
  if (kind === 'generated') facts.generatedKind = gk === 's' ? 'stored' : 'virtual';
  if (location !== undefined) facts.location = location;
  return facts;
}

export interface ColumnFacts {
  name: string;
  type: TypeRef | undefined;
  notNull: boolean;
  defaultExpr?: unknown;
  generated?: 'stored' | 'virtual';
  generatedExpr?: unknown;
  identity: boolean;
  constraints: ConstraintFacts[];
  location?: number;
}

export function columnDefFacts(col: AstObject | undefined): ColumnFacts | undefined {
  return col ? columnOfNode(col) : undefined;
}

function readColumn(col: AstObject): ColumnFacts {
  const constraints = list(col, 'constraints')
    .map(constraintFacts)
    .filter((c): c is ConstraintFacts => c !== undefined);
  const def = constraints.find((c) => c.kind === 'default');
  const gen = constraints.find((c) => c.kind === 'generated');
  const location = num(col, 'location');
  const facts: ColumnFacts = {
    name: str(col, 'colname') ?? '',
    type: typeOf(obj(col, 'typeName')),
    notNull: flag(col, 'is_not_null') || constraints.some((c) => c.kind === 'notnull' || c.kind === 'primary'),
    identity: constraints.some((c) => c.kind === 'identity'),
    constraints,
  };
  // DEFAULT NULL stores no default at all: the column behaves as if it had none.
  if (def && !isNullConstant(def.expr)) facts.defaultExpr = def.expr;
  if (gen?.generatedKind) {
    facts.generated = gen.generatedKind;
    facts.generatedExpr = gen.expr;
  }
  if (location !== undefined) facts.location = location;
  return facts;
}

function isNullConstant(expr: unknown): boolean {
  const c = nodeOfKind(expr, 'A_Const') ?? nodeOfKind(nodeOfKind(expr, 'TypeCast')?.['arg'], 'A_Const');
  return c?.['isnull'] === true;
}

/** `CHECK (col IS NOT NULL)` → `col`. */
export function notNullCheckColumn(expr: unknown): string | undefined {
  const nt = nodeOfKind(expr, 'NullTest');
  if (!nt || str(nt, 'nulltesttype') !== 'IS_NOT_NULL') return undefined;
  const ref = nodeOfKind(nt['arg'], 'ColumnRef');
  const parts = names(list(ref, 'fields'));
  return parts.length === 1 ? parts[0] : undefined;
}

const constraintOfNode = perNode(readConstraint);
const columnOfNode = perNode(readColumn);
