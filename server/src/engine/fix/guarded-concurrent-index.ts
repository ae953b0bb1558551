/**
 * `CREATE INDEX CONCURRENTLY IF NOT EXISTS name` skips the build when a failed earlier build left
 * an INVALID index of that name. The guarded form gets rid of such a leftover first, outside any
 * transaction block:
 *   1. a DO block renames an invalid `name` to `name_invalid` (CONCURRENTLY cannot run inside DO;
 *      ALTER INDEX … RENAME takes SHARE UPDATE EXCLUSIVE on PG 12+, a brief catalog change);
 *   2. DROP INDEX CONCURRENTLY IF EXISTS name_invalid;
 *   3. the build.
 * Where each statement commits on its own, all three replace the statement and the build keeps
 * IF NOT EXISTS (a retry re-runs the guard first). Where the runner sends a file as one string or
 * in a transaction, the steps go to following migrations, and the build drops IF NOT EXISTS: a
 * retry of that migration alone would not re-run the guard, and failing loudly beats skipping.
 */
import { flag, relationOf, str } from '../parse/ast';
import type { FileView } from '../lint/rule';
import type { Statement } from '../model/statement';
import { quoteIdent } from '../text/sql-text';
import { placeRecipe, runsStatementByStatement } from './chain';
import type { Fix } from './fix';
import type { FixEnvironment } from './placement';

/** `name_invalid`, within the 63-byte identifier limit. */
export function invalidLeftoverName(name: string): string {
  const suffix = '_invalid';
  const bytes = new TextEncoder().encode(name);
  if (bytes.length + suffix.length <= 63) return `${name}${suffix}`;
  // Cut on a character boundary.
  let cut = name;
  while (new TextEncoder().encode(cut).length + suffix.length > 63) cut = cut.slice(0, -1);
  return `${cut}${suffix}`;
}

/** The DO block that renames an INVALID index `ref` (as SQL, schema-qualified when the table is). */
export function renameInvalidLeftover(ref: string, invalid: string): string {
  const literal = ref.replace(/'/g, "''");
  return [
    'DO $$',
    'BEGIN',
    `  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('${literal}') AND NOT indisvalid) THEN`,
    `    ALTER INDEX ${ref} RENAME TO ${quoteIdent(invalid)};`,
    '  END IF;',
    'END',
    '$$;',
  ].join('\n');
}

/** Whether an earlier statement of the section is the guard (a DO block checking indisvalid of `name`). */
export function guardedBefore(file: FileView, stmt: Statement, name: string): boolean {
  return guardBlocks(file.statements).some((s) => s.index < stmt.index && s.sectionIndex === stmt.sectionIndex && s.text.includes(name));
}

const guardCache = new WeakMap<readonly Statement[], Statement[]>();

/** The file's DO blocks that check indisvalid, found once per file (the rule asks per index). */
function guardBlocks(statements: readonly Statement[]): Statement[] {
  let guards = guardCache.get(statements);
  if (!guards) {
    guards = statements.filter((s) => s.kind === 'DoStmt' && /indisvalid/i.test(s.text));
    guardCache.set(statements, guards);
  }
  return guards;
}

export function guardedConcurrentIndexFix(file: FileView, stmt: Statement, env: FixEnvironment | undefined): Fix | undefined {
  if (stmt.kind !== 'IndexStmt' || !flag(stmt.node, 'concurrent') || !flag(stmt.node, 'if_not_exists')) return undefined;
  const name = str(stmt.node, 'idxname');
  const table = relationOf(stmt.node?.['relation']);
  if (!name || !table) return undefined;
  // CREATE INDEX puts the index in its table's schema.
  const schema = table.schema ? `${quoteIdent(table.schema)}.` : '';
  const ref = `${schema}${quoteIdent(name)}`;
  const invalid = invalidLeftoverName(name);
  const together = runsStatementByStatement(file, stmt);
  const body = stmt.text.trimEnd().endsWith(';') ? stmt.text.trimEnd() : `${stmt.text.trimEnd()};`;
  const build = together ? body : body.replace(/\s+IF\s+NOT\s+EXISTS\b/i, '');
  const placed = placeRecipe(
    file,
    stmt,
    [
      { up: [renameInvalidLeftover(ref, invalid)], down: [], nonTransactional: false, slug: `guard_${name}` },
      {
        up: [`DROP INDEX CONCURRENTLY IF EXISTS ${schema}${quoteIdent(invalid)};`],
        down: ['-- nothing to undo: this only dropped an invalid leftover index'],
        nonTransactional: true,
        slug: `drop_invalid_${name}`,
      },
      { up: [build], down: [`DROP INDEX CONCURRENTLY IF EXISTS ${ref};`], nonTransactional: true, slug: `build_${name}` },
    ],
    env,
  );
  if ('error' in placed) return undefined;
  return {
    title: `Drop an invalid leftover of ${name} before building it (${placed.where})`,
    safety: 'safe',
    preferred: true,
    steps: placed.steps,
  };
}
