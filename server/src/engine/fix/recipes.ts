/** Fix recipes shared by rules: the statement rewrites that turn blocking index operations concurrent. */
import { flag, list, names, nodeOfKind, relationOf, str } from '../parse/ast';
import type { FileView } from '../lint/rule';
import type { Statement } from '../model/statement';
import { eolOf } from '../text/eol';
import { derivedName, quoteIdent, quoteQualified } from '../text/sql-text';
import type { Fix } from './fix';
import { followingMigration, type FixEnvironment, placeOutsideTransaction, slugify } from './placement';

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

/**
 * Splits work across transactions: `here` replaces the statement, `later` runs in a following
 * migration (or right after it, when every statement of this file commits on its own).
 */
export function splitAcrossMigrationsFix(
  file: FileView,
  stmt: Statement,
  here: string,
  later: string[],
  laterDown: string[],
  slug: string,
  title: string,
  env: FixEnvironment | undefined,
): Fix | undefined {
  if (stmt.section === 'down') return undefined;
  // A section sent as one query string (golang-migrate) runs several statements as one implicit
  // transaction, so the steps cannot simply follow the statement there.
  if (stmt.transaction === 'none' && file.sections[stmt.sectionIndex]?.oneString !== true) {
    // psql -f, goose NO TRANSACTION, …: each statement commits alone, so the steps can follow it here.
    const eol = eolOf(file);
    return {
      title: `${title} (each step in its own transaction)`,
      safety: 'safe',
      preferred: true,
      steps: [{ kind: 'edit', start: stmt.start, end: stmt.end, newText: [here, ...later].join(eol) }],
    };
  }
  if (!env || !file.path) return undefined;
  const next = followingMigration(file, { up: later, down: laterDown, nonTransactional: false }, slugify(slug), env);
  if ('error' in next) return undefined;
  return {
    title: `${title}; the rest in a new migration ${next.name}`,
    safety: 'safe',
    preferred: true,
    steps: [{ kind: 'edit', start: stmt.start, end: stmt.end, newText: here }, ...next.steps],
  };
}

/** `ALTER TABLE t ALTER COLUMN c SET NOT NULL` (alone in its statement) → the validated-CHECK recipe. */
export function setNotNullFix(file: FileView, stmt: Statement, table: string, column: string, env: FixEnvironment | undefined): Fix | undefined {
  if (list(stmt.node, 'cmds').length !== 1) return undefined;
  const t = quoteQualified(table);
  const c = quoteIdent(column);
  const check = quoteIdent(derivedName(table.split('.').pop() ?? table, column, 'not_null'));
  return splitAcrossMigrationsFix(
    file,
    stmt,
    `ALTER TABLE ${t} ADD CONSTRAINT ${check} CHECK (${c} IS NOT NULL) NOT VALID;`,
    [`ALTER TABLE ${t} VALIDATE CONSTRAINT ${check};`, `ALTER TABLE ${t} ALTER COLUMN ${c} SET NOT NULL;`, `ALTER TABLE ${t} DROP CONSTRAINT ${check};`],
    [`ALTER TABLE ${t} ALTER COLUMN ${c} DROP NOT NULL;`],
    `set_${table.split('.').pop()}_${column}_not_null`,
    `Prove ${column} NOT NULL with a NOT VALID check, validated separately`,
    env,
  );
}

/** `ADD CONSTRAINT name FOREIGN KEY|CHECK …` (alone in its statement) → `… NOT VALID` here, VALIDATE later. */
export function notValidThenValidateFix(file: FileView, stmt: Statement, table: string, constraint: string, env: FixEnvironment | undefined): Fix | undefined {
  if (list(stmt.node, 'cmds').length !== 1) return undefined;
  const body = stmt.text.replace(/\s*;\s*$/, '');
  const t = quoteQualified(table);
  const name = quoteIdent(constraint);
  return splitAcrossMigrationsFix(
    file,
    stmt,
    `${body} NOT VALID;`,
    [`ALTER TABLE ${t} VALIDATE CONSTRAINT ${name};`],
    ['-- nothing to undo: VALIDATE only checked existing rows'],
    `validate_${constraint}`,
    `Add ${constraint} NOT VALID, then VALIDATE it separately`,
    env,
  );
}
