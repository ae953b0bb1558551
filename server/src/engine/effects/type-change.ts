/**
 * Whether ALTER COLUMN … TYPE rewrites the table. PostgreSQL skips the rewrite when the conversion
 * reduces to a binary-coercible relabel of the old column (ATColumnChangeRequiresRewrite), which
 * the planner's length-coercion support functions make true for widening varchar/numeric/time
 * precision. timestamp → timestamptz skips it only when the session TimeZone is UTC, which a
 * linter cannot know: we claim a rewrite there.
 */
import { nodeOfKind, names, list, type TypeRef } from '../parse/ast';

export interface TypeChangeVerdict {
  rewrite: boolean;
  /** Why, in a few words, for messages. */
  reason: string;
}

const ALIASES: Record<string, string> = {
  int: 'int4',
  integer: 'int4',
  int4: 'int4',
  smallint: 'int2',
  int2: 'int2',
  bigint: 'int8',
  int8: 'int8',
  varchar: 'varchar',
  'character varying': 'varchar',
  text: 'text',
  bpchar: 'bpchar',
  char: 'bpchar',
  character: 'bpchar',
  numeric: 'numeric',
  decimal: 'numeric',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  time: 'time',
  timetz: 'timetz',
  varbit: 'varbit',
  bit: 'bit',
  cidr: 'cidr',
  inet: 'inet',
  json: 'json',
  jsonb: 'jsonb',
  bool: 'bool',
  boolean: 'bool',
  float4: 'float4',
  float8: 'float8',
};

export function canonicalType(t: TypeRef): string {
  return ALIASES[t.name.toLowerCase()] ?? t.name.toLowerCase();
}

export function describeType(t: TypeRef | undefined): string {
  if (!t) return 'unknown';
  return `${canonicalType(t)}${t.mods.length ? `(${t.mods.join(',')})` : ''}${t.array ? '[]' : ''}`;
}

/** A USING clause that is just the column (or the column cast to the new type) adds no work of its own. */
export function isTrivialUsing(using: unknown, column: string): boolean {
  if (using === undefined) return true;
  const ref = nodeOfKind(using, 'ColumnRef') ?? nodeOfKind(nodeOfKind(using, 'TypeCast')?.['arg'], 'ColumnRef');
  const parts = names(list(ref, 'fields'));
  return parts.length === 1 && parts[0] === column;
}

export function typeChangeVerdict(from: TypeRef | undefined, to: TypeRef, using: unknown, column: string): TypeChangeVerdict {
  if (!from) return { rewrite: true, reason: 'the column’s current type is unknown (not created in the migrations seen), so a rewrite is assumed' };
  if (!isTrivialUsing(using, column)) return { rewrite: true, reason: 'the USING expression computes a new value for every row' };
  if (from.array !== to.array) return { rewrite: true, reason: `${describeType(from)} → ${describeType(to)} is not binary-coercible` };
  const a = canonicalType(from);
  const b = canonicalType(to);
  const fm = from.mods;
  const tm = to.mods;
  const same = (x: number[], y: number[]): boolean => x.length === y.length && x.every((v, i) => v === y[i]);
  if (a === b && same(fm, tm)) return { rewrite: false, reason: 'the type does not change' };
  const widen = (a === b || (a === 'varchar' && b === 'text')) && (tm.length === 0 || (fm.length > 0 && (tm[0] ?? 0) >= (fm[0] ?? 0)));
  if ((a === 'varchar' || a === 'varbit') && (b === a || b === 'text') && widen)
    return { rewrite: false, reason: 'widening the length limit is binary-coercible' };
  if (a === 'text' && b === 'varchar' && tm.length === 0) return { rewrite: false, reason: 'text and unconstrained varchar are binary-coercible' };
  if (a === 'numeric' && b === 'numeric') {
    if (tm.length === 0) return { rewrite: false, reason: 'dropping the numeric precision limit is binary-coercible' };
    if (fm.length > 0 && (tm[0] ?? 0) >= (fm[0] ?? 0) && (tm[1] ?? 0) === (fm[1] ?? 0))
      return { rewrite: false, reason: 'raising numeric precision at the same scale is binary-coercible' };
  }
  if (
    (a === 'timestamp' || a === 'timestamptz' || a === 'time' || a === 'timetz') &&
    a === b &&
    (tm.length === 0 || (fm.length > 0 && (tm[0] ?? 0) >= (fm[0] ?? 0)))
  ) {
    return { rewrite: false, reason: 'raising the fractional-second precision is binary-coercible' };
  }
  if (a === 'cidr' && b === 'inet') return { rewrite: false, reason: 'cidr → inet is binary-coercible' };
  if ((a === 'timestamp' && b === 'timestamptz') || (a === 'timestamptz' && b === 'timestamp')) {
    return { rewrite: true, reason: `${a} → ${b} rewrites unless the server's TimeZone is UTC (PostgreSQL 12+)` };
  }
  return { rewrite: true, reason: `${describeType(from)} → ${describeType(to)} is not binary-coercible` };
}
