/** Fix recipes shared by rules: the statement rewrites that turn blocking index operations concurrent. */
import { flag, list, names, nodeOfKind, relationOf, str } from '../parse/ast';
import type { FileView } from '../lint/rule';
import type { Statement } from '../model/statement';
import { quoteIdent } from '../text/sql-text';
import type { Fix } from './fix';
import { type FixEnvironment, placeOutsideTransaction, slugify } from './placement';

/** `CREATE [UNIQUE] INDEX` → `CREATE [UNIQUE] INDEX CONCURRENTLY`, the rest verbatim. */
export function concurrentCreateIndex(stmt: Statement): string | undefined {
  const m = /^(CREATE\s+(?:UNIQUE\s+)?INDEX)(\s+)/i.exec(stmt.text);
  return m ? `${m[1]} CONCURRENTLY${m[2]}${stmt.text.slice(m[0].length)}` : undefined;
}

/** `DROP INDEX [IF EXISTS] name` → `DROP INDEX CONCURRENTLY IF EXISTS name` (one index, no CASCADE). */
export function concurrentDropIndex(stmt: Statement): string | undefined {
  if (list(stmt.node, 'objects').length !== 1 || str(stmt.node, 'behavior') === 'DROP_CASCADE') return undefined;
  const m = /^DROP\s+INDEX\s+(?:IF\s+EXISTS\s+)?/i.exec(stmt.text);
  return m ? `DROP INDEX CONCURRENTLY IF EXISTS ${stmt.text.slice(m[0].length)}` : undefined;
}

function ensureSemicolon(sql: string): string {
  return sql.trimEnd().endsWith(';') ? sql.trimEnd() : `${sql.trimEnd()};`;
}

/** Moves or rewrites a statement so that it runs alone, outside any transaction, as the runner needs. */
export function runAloneFix(
  file: FileView,
  stmt: Statement,
  rewritten: string,
  down: string[],
  slug: string,
  title: (where: string) => string,
  env: FixEnvironment | undefined,
): Fix | undefined {
  const placed = placeOutsideTransaction(file, stmt, rewritten, { up: [ensureSemicolon(rewritten)], down, nonTransactional: true }, slugify(slug), env);
  if ('error' in placed) return undefined;
  return { title: title(placed.where), safety: 'safe', steps: placed.steps, preferred: true };
}

/** The fix for a blocking CREATE INDEX. */
export function concurrentIndexFix(file: FileView, stmt: Statement, env: FixEnvironment | undefined): Fix | undefined {
  const rewritten = concurrentCreateIndex(stmt);
  if (!rewritten || flag(stmt.node, 'concurrent')) return undefined;
  const name = str(stmt.node, 'idxname');
  const table = relationOf(stmt.node?.['relation'])?.name ?? 'table';
  const down = name
    ? [`DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(name)};`]
    : ['-- the index has no name here: drop it with DROP INDEX CONCURRENTLY <its generated name>;'];
  return runAloneFix(file, stmt, rewritten, down, `add_${name ?? `${table}_index`}`, (where) => `Build ${name ?? 'the index'} concurrently ${where}`, env);
}

/** The fix for a bare DROP INDEX. */
export function concurrentDropIndexFix(file: FileView, stmt: Statement, env: FixEnvironment | undefined): Fix | undefined {
  const rewritten = concurrentDropIndex(stmt);
  if (!rewritten) return undefined;
  const name = names(list(nodeOfKind(list(stmt.node, 'objects')[0], 'List'), 'items')).pop() ?? 'index';
  return runAloneFix(
    file,
    stmt,
    rewritten,
    [`-- re-create ${name} with CREATE INDEX CONCURRENTLY to undo`],
    `drop_${name}`,
    (where) => `Drop ${name} concurrently ${where}`,
    env,
  );
}
