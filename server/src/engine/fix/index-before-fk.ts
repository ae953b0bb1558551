/**
 * A foreign key whose referencing columns have no index: the index is built CONCURRENTLY before
 * the key exists (so no DELETE on the parent ever scans the child for it), the key is added NOT
 * VALID in a later migration (a brief lock), and VALIDATE runs in a migration after that (never in
 * the ADD's transaction, which would hold the ADD's lock through the scan).
 */
import type { FileView } from '../lint/rule';
import type { Statement } from '../model/statement';
import { eolOf } from '../text/eol';
import { derivedName, quoteIdent, quoteQualified } from '../text/sql-text';
import type { Fix } from './fix';
import { stepsWithEol } from './line-endings';
import { followingMigrations, placeOutsideTransaction, slugify, type ChainLink, type FixEnvironment } from './placement';
import { soleCommand } from './sole-command';

export interface UnindexedForeignKey {
  /** Child table as written, and its unqualified name. */
  child: string;
  childName: string;
  columns: string[];
  /** The constraint name (Postgres's default `<table>_<cols>_fkey` when unnamed). */
  constraint: string;
  /** Written NOT VALID already: the user validates it themselves. */
  notValid: boolean;
}

function lastPart(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

function parentOf(path: string): string {
  return path.slice(0, Math.max(0, path.lastIndexOf('/'), path.lastIndexOf('\\')));
}

export function foreignKeyIndexName(fk: Pick<UnindexedForeignKey, 'childName' | 'columns'>): string {
  return derivedName(fk.childName, ...fk.columns, 'idx');
}

/** `ALTER TABLE child ADD CONSTRAINT … FOREIGN KEY` (its only subcommand) on an existing child table. */
export function indexBeforeForeignKeyFix(file: FileView, stmt: Statement, fk: UnindexedForeignKey, env: FixEnvironment | undefined): Fix | undefined {
  if (!soleCommand(stmt, 'AT_AddConstraint') || fk.columns.length === 0 || stmt.section === 'down') return undefined;
  const t = quoteQualified(fk.child);
  const idx = quoteIdent(foreignKeyIndexName(fk));
  const name = quoteIdent(fk.constraint);
  const build = `CREATE INDEX CONCURRENTLY ${idx} ON ${t} (${fk.columns.map(quoteIdent).join(', ')});`;
  const body = stmt.text.replace(/\s*;\s*$/, '');
  const add = fk.notValid ? `${body};` : `${body} NOT VALID;`;
  const validate = fk.notValid ? undefined : `ALTER TABLE ${t} VALIDATE CONSTRAINT ${name};`;
  const eol = eolOf(file);

  if (stmt.transaction === 'none' && file.sections[stmt.sectionIndex]?.oneString === false) {
    // Every statement is sent and committed on its own (psql, goose NO TRANSACTION): the steps can follow each other here.
    // (A runner that sends the section as one string would run them in one implicit transaction.)
    const steps = [build, add, ...(validate ? [validate] : [])];
    return {
      title: `Build ${foreignKeyIndexName(fk)} concurrently, then add ${fk.constraint} NOT VALID${validate ? ' and VALIDATE it' : ''} (each statement commits on its own)`,
      safety: 'safe',
      preferred: true,
      steps: stepsWithEol([{ kind: 'edit', start: stmt.start, end: stmt.end, newText: steps.join('\n') }], eol),
    };
  }
  if (!env || !file.path) return undefined;
  const first = placeOutsideTransaction(
    file,
    stmt,
    build,
    { up: [build], down: [`DROP INDEX CONCURRENTLY IF EXISTS ${idx};`], nonTransactional: true },
    slugify(`add_${foreignKeyIndexName(fk)}`),
    env,
  );
  if ('error' in first) return undefined;
  // The chain continues after a migration the first step created (its file or, for prisma/diesel, its folder).
  const after = first.steps.flatMap((s) => (s.kind === 'create' ? [lastPart(s.path), lastPart(parentOf(s.path))] : []));
  const links: ChainLink[] = [
    { slug: `add_${fk.constraint}`, body: { up: [add], down: [`ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${name};`], nonTransactional: false } },
  ];
  if (validate) {
    links.push({
      slug: `validate_${fk.constraint}`,
      body: { up: [validate], down: ['-- nothing to undo: VALIDATE only checked existing rows'], nonTransactional: false },
    });
  }
  const rest = followingMigrations(file, links, env, after);
  if ('error' in rest) return undefined;
  return {
    title:
      `Build ${foreignKeyIndexName(fk)} concurrently ${first.where}, then add ${fk.constraint} NOT VALID in ${rest.names[0]}` +
      (validate ? ` and VALIDATE it in ${rest.names[1]}` : ''),
    safety: 'safe',
    preferred: true,
    steps: stepsWithEol([...first.steps, ...rest.steps], eol),
  };
}

/** A child table created in this migration: a plain index right after the statement (the table is empty). */
export function indexNewChildFix(file: FileView, stmt: Statement, fk: Pick<UnindexedForeignKey, 'child' | 'childName' | 'columns'>): Fix | undefined {
  if (fk.columns.length === 0) return undefined;
  const idx = foreignKeyIndexName(fk);
  const create = `CREATE INDEX ${quoteIdent(idx)} ON ${quoteQualified(fk.child)} (${fk.columns.map(quoteIdent).join(', ')});`;
  return {
    title: `Index ${fk.child} (${fk.columns.join(', ')}) as ${idx} in this migration`,
    safety: 'safe',
    preferred: true,
    // The statement is rewritten as itself plus the index, so nothing is inserted mid-line.
    steps: [{ kind: 'edit', start: stmt.start, end: stmt.end, newText: `${stmt.text}${eolOf(file)}${create}` }],
  };
}
