/**
 * Where a fixed statement can run the way it must: in place when the runner already sends it alone
 * outside a transaction; by switching its section to non-transactional when it is the only
 * statement there; otherwise in a new migration ordered right after the current one, named in the
 * runner's convention. The engine does no IO: the caller says which file names already exist.
 */
import type { FileView } from '../lint/rule';
import type { Statement } from '../model/statement';
import type { CreateStep, EditStep, FixStep } from './fix';
import { baseName, dirOf, joinPath } from '../text/file-path';

/** What the fix needs to know about the disk, supplied by the CLI or the language server. */
export interface FixEnvironment {
  /** Names of the entries in a directory (empty when it does not exist). */
  listDir(dir: string): string[];
}

export interface MigrationBody {
  /** Statements for the up direction, each with its terminating `;`. */
  up: string[];
  down: string[];
  /** The new migration must run outside a transaction (CONCURRENTLY). */
  nonTransactional: boolean;
}

export type Placement = { steps: FixStep[]; where: string } | { error: string };

/** The next version after `v`: a 14-digit timestamp advances by one second; other numbers by one, keeping their width. */
export function nextVersion(v: string): string {
  if (/^\d{14}$/.test(v)) {
    const t = Date.UTC(+v.slice(0, 4), +v.slice(4, 6) - 1, +v.slice(6, 8), +v.slice(8, 10), +v.slice(10, 12), +v.slice(12, 14)) + 1000;
    const d = new Date(t);
    const p = (n: number, w = 2): string => String(n).padStart(w, '0');
    return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
  }
  const n = (BigInt(v) + 1n).toString();
  return n.padStart(v.length, '0');
}

/** A free version right after `version` among the names in `taken` (names start with `<version>_`). */
function freeVersion(version: string, taken: readonly string[], prefix = ''): string {
  let v = nextVersion(version);
  for (let i = 0; i < 1000 && taken.some((n) => n.startsWith(`${prefix}${v}_`)); i++) v = nextVersion(v);
  return v;
}

export function slugify(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 60) || 'migration'
  );
}

/** An edit that removes a statement and the line break after it. */
export function removeStatement(file: FileView, stmt: Statement): EditStep {
  let end = stmt.end;
  if (file.text.startsWith('\r\n', end)) end += 2;
  else if (file.text.charAt(end) === '\n') end += 1;
  let start = stmt.start;
  while (start > 0 && (file.text.charAt(start - 1) === ' ' || file.text.charAt(start - 1) === '\t')) start--;
  return { kind: 'edit', start, end, newText: '' };
}

/** The statements of a section other than transaction control and SETs. */
function workIn(file: FileView, sectionIndex: number): Statement[] {
  return file.statements.filter((s) => s.sectionIndex === sectionIndex && s.kind !== 'TransactionStmt' && s.kind !== 'VariableSetStmt');
}

/**
 * For a statement that must run outside a transaction: `inPlace` when it already does, a directive
 * edit when it is alone in a section the runner can switch, else a new migration.
 */
export function placeOutsideTransaction(
  file: FileView,
  stmt: Statement,
  rewritten: string,
  body: MigrationBody,
  slug: string,
  env: FixEnvironment | undefined,
): Placement {
  const replace: EditStep = { kind: 'edit', start: stmt.start, end: stmt.end, newText: rewritten };
  if (stmt.transaction === 'none') return { steps: [replace], where: 'in place' };
  const section = file.sections[stmt.sectionIndex];
  const alone = workIn(file, stmt.sectionIndex).length === 1;
  if (alone && section?.directive && file.runner.id === 'dbmate' && stmt.transaction === 'runner') {
    const d = section.directive;
    const text = d.text.includes('transaction:') ? d.text.replace(/transaction:\s*\S+/, 'transaction:false') : `${d.text.trimEnd()} transaction:false`;
    return { steps: [{ kind: 'edit', start: d.start, end: d.end, newText: text }, replace], where: 'in this section, now `transaction:false`' };
  }
  // A down section undoes this migration: moving its statement into a later migration's up would change meaning.
  if (stmt.section === 'down') return { error: 'a statement of a down section can only be fixed where it is' };
  if (!env || !file.path) return { error: 'no file system to create the following migration in' };
  const created = followingMigration(file, body, slug, env);
  if ('error' in created) return created;
  return { steps: [removeStatement(file, stmt), ...created.steps], where: `in a new migration ${created.name}` };
}

/** A new migration right after the current one, in the runner's convention. */
export function followingMigration(
  file: FileView,
  body: MigrationBody,
  slug: string,
  env: FixEnvironment,
): { steps: CreateStep[]; name: string } | { error: string } {
  const path = file.path ?? '';
  const dir = dirOf(path);
  const version = file.runner.version;
  const names = env.listDir(dir);
  const up = body.up.join('\n');
  const down = body.down.join('\n');
  const create = (p: string, content: string): CreateStep => ({ kind: 'create', path: p, content, role: 'migration' });
  switch (file.runner.id) {
    case 'dbmate': {
      if (!version) return { error: 'the file name has no dbmate version' };
      const name = `${freeVersion(version, names)}_${slug}.sql`;
      const flag = body.nonTransactional ? ' transaction:false' : '';
      return { name, steps: [create(joinPath(dir, name), `-- migrate:up${flag}\n${up}\n\n-- migrate:down${flag}\n${down}\n`)] };
    }
    case 'goose': {
      if (!version) return { error: 'the file name has no goose version' };
      const name = `${freeVersion(version, names)}_${slug}.sql`;
      const header = body.nonTransactional ? '-- +goose NO TRANSACTION\n' : '';
      return { name, steps: [create(joinPath(dir, name), `${header}-- +goose Up\n${up}\n\n-- +goose Down\n${down}\n`)] };
    }
    case 'golang-migrate': {
      if (!version) return { error: 'the file name has no golang-migrate version' };
      const v = freeVersion(version, names);
      const name = `${v}_${slug}.up.sql`;
      return { name, steps: [create(joinPath(dir, name), `${up}\n`), create(joinPath(dir, `${v}_${slug}.down.sql`), `${down}\n`)] };
    }
    case 'flyway': {
      const m = /^V([\d._]+)__/.exec(baseName(path));
      if (!m?.[1]) return { error: 'the file name has no Flyway version' };
      const base = m[1].replace(/_/g, '.');
      let minor = 1;
      while (names.some((n) => n.startsWith(`V${base}.${minor}__`) || n.startsWith(`V${base.replace(/\./g, '_')}_${minor}__`))) minor++;
      const name = `V${base}.${minor}__${slug}.sql`;
      const steps = [create(joinPath(dir, name), `${up}\n`)];
      if (body.nonTransactional) steps.push(create(joinPath(dir, `${name}.conf`), 'executeInTransaction=false\n'));
      return { name, steps };
    }
    case 'prisma':
    case 'diesel': {
      const parentDir = dirOf(dir);
      const current = baseName(dir);
      const m = /^([\d-]+)_/.exec(current);
      if (!m?.[1]) return { error: `the migration directory ${current} has no version` };
      const siblings = env.listDir(parentDir);
      if (file.runner.id === 'prisma') {
        const v = freeVersion(m[1], siblings);
        const name = `${v}_${slug}`;
        return { name, steps: [create(joinPath(joinPath(parentDir, name), 'migration.sql'), `${up}\n`)] };
      }
      const digits = m[1].replace(/-/g, '');
      let v = nextVersion(digits);
      const format = (d: string): string => (m[1]?.includes('-') ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}-${d.slice(8)}` : d);
      while (siblings.some((n) => n.startsWith(`${format(v)}_`))) v = nextVersion(v);
      const name = `${format(v)}_${slug}`;
      const steps = [create(joinPath(joinPath(parentDir, name), 'up.sql'), `${up}\n`), create(joinPath(joinPath(parentDir, name), 'down.sql'), `${down}\n`)];
      if (body.nonTransactional) steps.push(create(joinPath(joinPath(parentDir, name), 'metadata.toml'), 'run_in_transaction = false\n'));
      return { name, steps };
    }
    case 'atlas': {
      if (!version) return { error: 'the file name has no Atlas version' };
      const name = `${freeVersion(version, names)}_${slug}.sql`;
      const header = body.nonTransactional ? '-- atlas:txmode none\n\n' : '';
      return { name, steps: [create(joinPath(dir, name), `${header}${up}\n`)] };
    }
    case 'sqitch':
      return { error: 'sqitch changes are added with `sqitch add <name>`; put the statement in its deploy script' };
    case 'plain':
      return { error: 'plain SQL files have no runner order to place a following migration in' };
  }
}

/** One migration of a chain: its body and the slug of its file name. */
export interface ChainLink {
  body: MigrationBody;
  slug: string;
}

/**
 * New migrations in order after the current one, each after the one before it (work that must wait
 * for a backfill or a VALIDATE that must not share the ADD's transaction). `after` names migrations
 * this fix already creates, so the chain continues past them.
 */
export function followingMigrations(
  file: FileView,
  chain: readonly ChainLink[],
  env: FixEnvironment,
  after: readonly string[] = [],
): { steps: CreateStep[]; names: string[] } | { error: string } {
  const taken = [...after];
  const steps: CreateStep[] = [];
  const names: string[] = [];
  for (const link of chain) {
    // The names created so far count as taken in every directory the runner's naming looks at.
    const seen: FixEnvironment = { listDir: (dir) => [...env.listDir(dir), ...taken] };
    const next = followingMigration(file, link.body, slugify(link.slug), seen);
    if ('error' in next) return next;
    taken.push(next.name);
    names.push(next.name);
    steps.push(...next.steps);
  }
  return { steps, names };
}
