/**
 * Placing a recipe of several steps, where each step is a group of statements that must commit
 * before the next one starts (VALIDATE after NOT VALID, an attach after a concurrent build), and
 * some steps must run outside any transaction block, alone in their query string (CONCURRENTLY).
 * The first step replaces the statement when it can run where the statement ran; every later
 * step goes to a new migration of its own, in order.
 */
import type { FileView } from '../lint/rule';
import type { Statement } from '../model/statement';
import { eolOf } from '../text/eol';
import type { EditStep, FixStep } from './fix';
import { type FixEnvironment, followingMigrations, removeStatement } from './placement';

export interface RecipeStep {
  /** Statements, each ending with `;`. */
  up: string[];
  /** What the step's own migration does on the way down, when it gets one. */
  down: string[];
  /** Must run outside any transaction block, alone in its query string. */
  nonTransactional: boolean;
  /** File-name part of the step's migration. */
  slug: string;
}

export type RecipePlacement = { steps: FixStep[]; where: string } | { error: string };

/** The statements of a section other than transaction control and SETs. */
function workIn(file: FileView, sectionIndex: number): Statement[] {
  return file.statements.filter((s) => s.sectionIndex === sectionIndex && s.kind !== 'TransactionStmt' && s.kind !== 'VariableSetStmt');
}

/** Indentation of the statement's line when only blanks precede it there, so inserted lines line up. */
export function indentOf(file: FileView, stmt: Statement): string {
  const lineStart = Math.max(file.text.lastIndexOf('\n', stmt.start - 1) + 1, 0);
  const before = file.text.slice(lineStart, stmt.start);
  return /^[ \t]*$/.test(before) ? before : '';
}

/**
 * goose cuts statements at lines ending in `;` unless they sit between StatementBegin and
 * StatementEnd: a statement with such a line inside it (a DO block) must be wrapped.
 */
export function forRunner(file: FileView, sql: string, eol: string): string {
  if (file.runner.id !== 'goose') return sql;
  const lines = sql.split(/\r?\n/);
  const innerSemicolon = lines.slice(0, -1).some((l) => /;\s*(--.*)?$/.test(l));
  return innerSemicolon ? ['-- +goose StatementBegin', ...lines, '-- +goose StatementEnd'].join(eol) : lines.join(eol);
}

/** Statements joined as lines of the current file (its line ending and the statement's indentation). */
function joinHere(file: FileView, stmt: Statement, statements: readonly string[]): string {
  const eol = eolOf(file);
  const indent = indentOf(file, stmt);
  return statements
    .map((s) => forRunner(file, s, eol))
    .join(eol)
    .split(/\r?\n/)
    .join(eol + indent);
}

/** psql -f, goose NO TRANSACTION, Atlas txmode none, …: every statement of the section commits on its own. */
export function runsStatementByStatement(file: FileView, stmt: Statement): boolean {
  const section = file.sections[stmt.sectionIndex];
  return stmt.transaction === 'none' && section !== undefined && !section.oneString;
}

export function placeRecipe(file: FileView, stmt: Statement, recipe: readonly RecipeStep[], env: FixEnvironment | undefined): RecipePlacement {
  const [first] = recipe;
  if (!first) return { error: 'empty recipe' };
  // A down section undoes this migration: its steps cannot move into later migrations.
  if (stmt.section === 'down') return { error: 'a statement of a down section can only be fixed where it is' };
  const section = file.sections[stmt.sectionIndex];
  const replace = (statements: readonly string[]): EditStep => ({ kind: 'edit', start: stmt.start, end: stmt.end, newText: joinHere(file, stmt, statements) });
  if (runsStatementByStatement(file, stmt)) {
    return { steps: [replace(recipe.flatMap((r) => r.up))], where: 'in place, each statement committing on its own' };
  }
  const here: EditStep[] = [];
  let where = '';
  if (!first.nonTransactional) {
    here.push(replace(first.up));
  } else if (first.up.length === 1 && stmt.transaction === 'none') {
    // Alone in a one-string section without a transaction (dbmate transaction:false, golang-migrate).
    here.push(replace(first.up));
  } else if (
    first.up.length === 1 &&
    file.runner.id === 'dbmate' &&
    stmt.transaction === 'runner' &&
    section?.directive &&
    workIn(file, stmt.sectionIndex).length === 1
  ) {
    const d = section.directive;
    const text = d.text.includes('transaction:') ? d.text.replace(/transaction:\s*\S+/, 'transaction:false') : `${d.text.trimEnd()} transaction:false`;
    here.push({ kind: 'edit', start: d.start, end: d.end, newText: text }, replace(first.up));
    where = 'this section now `transaction:false`; ';
  }
  const rest = here.length > 0 ? recipe.slice(1) : recipe;
  if (here.length === 0) here.push(removeStatement(file, stmt));
  if (rest.length === 0) return { steps: here, where: `${where}in place` };
  if (!env || !file.path) return { error: 'no file system to create the following migrations in' };
  const chain = followingMigrations(
    file,
    rest.map((r) => ({ body: { up: r.up.map((u) => forRunner(file, u, '\n')), down: r.down, nonTransactional: r.nonTransactional }, slug: r.slug })),
    env,
  );
  if ('error' in chain) return chain;
  const into = chain.names.length === 1 ? `a new migration ${chain.names[0]}` : `new migrations ${chain.names.join(', ')}`;
  return { steps: [...here, ...chain.steps], where: `${where}${here[0]?.newText === '' ? '' : 'here, then '}${into}` };
}
