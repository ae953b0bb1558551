/**
 * Whether an expression is volatile, i.e. must be evaluated per row (so an ADD COLUMN … DEFAULT
 * with it rewrites the table even on PG 11+). Unknown functions count as volatile: the
 * conservative answer. The issue tracker asks for this list to be generated from pg_proc.
 */
import { functionCalls, isObj } from '../parse/ast';

/** Built-in functions commonly seen in defaults that are STABLE or IMMUTABLE (pg_proc.provolatile <> 'v'). */
const NON_VOLATILE = new Set([
  'now',
  'transaction_timestamp',
  'statement_timestamp',
  'current_setting',
  'lower',
  'upper',
  'coalesce',
  'to_tsvector',
  'array_length',
  'jsonb_build_object',
  'json_build_object',
  'jsonb_build_array',
  'to_jsonb',
  'concat',
  'length',
  'md5',
  'abs',
  'date_trunc',
  'make_interval',
  'to_timestamp',
  'timezone',
]);

export function isVolatileExpression(expr: unknown): boolean {
  for (const fn of functionCalls(expr)) if (!NON_VOLATILE.has(fn)) return true;
  return containsSubquery(expr);
}

function containsSubquery(expr: unknown): boolean {
  if (Array.isArray(expr)) return expr.some(containsSubquery);
  if (!isObj(expr)) return false;
  if ('SubLink' in expr) return true;
  return Object.keys(expr).some((k) => containsSubquery(expr[k]));
}
