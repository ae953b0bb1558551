/**
 * `ADD CONSTRAINT … UNIQUE (cols)` / `PRIMARY KEY (cols)` on an existing table builds the index
 * under ACCESS EXCLUSIVE. The recipe builds it with CREATE UNIQUE INDEX CONCURRENTLY, then
 * attaches it with `ADD CONSTRAINT … USING INDEX` (a brief catalog change). A primary key also
 * needs NOT NULL key columns: columns not known to be NOT NULL are proven so first with a CHECK
 * added NOT VALID, validated in a later transaction, so SET NOT NULL skips its scan (PG 12+).
 */
import { isObj, list, nodeOfKind, str } from '../parse/ast';
import type { AddedConstraint } from '../lint/added-constraints';
import type { FileView } from '../lint/rule';
import type { Statement } from '../model/statement';
import { derivedName, quoteIdent, quoteQualified } from '../text/sql-text';
import { placeRecipe, type RecipeStep } from './chain';
import type { Fix } from './fix';
import type { FixEnvironment } from './placement';

/** Keys of a Constraint node that `CREATE UNIQUE INDEX … ; ADD CONSTRAINT … USING INDEX` reproduces exactly. */
const PLAIN_KEYS = new Set(['contype', 'conname', 'keys', 'location']);

/** The statement is `ALTER TABLE t ADD [CONSTRAINT name] UNIQUE|PRIMARY KEY (cols)` and nothing else. */
function plainKeyConstraint(stmt: Statement): boolean {
  const cmds = list(stmt.node, 'cmds');
  if (cmds.length !== 1) return false;
  const cmd = nodeOfKind(cmds[0], 'AlterTableCmd');
  if (str(cmd, 'subtype') !== 'AT_AddConstraint') return false;
  const c = nodeOfKind(cmd?.['def'], 'Constraint');
  return isObj(c) && Object.keys(c).every((k) => PLAIN_KEYS.has(k));
}

/** The default constraint name Postgres would choose, as the rules report it. */
export function keyConstraintName(c: AddedConstraint): string {
  if (c.facts.name) return c.facts.name;
  return c.facts.kind === 'primary' ? derivedName(c.tableName, 'pkey') : derivedName(c.tableName, ...c.columns, 'key');
}

export function keyUsingIndexFix(file: FileView, stmt: Statement, c: AddedConstraint, env: FixEnvironment | undefined, pgVersion: number): Fix | undefined {
  const kind = c.facts.kind;
  if ((kind !== 'unique' && kind !== 'primary') || c.facts.usingIndex !== undefined || c.column !== undefined || c.columns.length === 0) return undefined;
  if (stmt.kind !== 'AlterTableStmt' || !plainKeyConstraint(stmt)) return undefined;
  const name = keyConstraintName(c);
  const t = quoteQualified(c.table);
  const idx = quoteIdent(name);
  const schema = c.table.includes('.') ? c.table.slice(0, c.table.lastIndexOf('.')) : undefined;
  const qualifiedIdx = schema ? `${quoteQualified(schema)}.${idx}` : idx;
  const cols = c.columns.map(quoteIdent).join(', ');
  const keyword = kind === 'primary' ? 'PRIMARY KEY' : 'UNIQUE';
  // Key columns the schema model does not know to be NOT NULL: ADD PRIMARY KEY would scan for NULLs under its lock.
  const nullable = kind === 'primary' ? c.columns.filter((col) => file.baseline?.column(c.table, col)?.notNull !== true) : [];
  // Before 12, SET NOT NULL scans even with a validated CHECK.
  if (nullable.length > 0 && pgVersion < 12) return undefined;
  const checks = nullable.map((col) => ({ col: quoteIdent(col), check: quoteIdent(derivedName(c.tableName, col, 'not_null')) }));

  const recipe: RecipeStep[] = [];
  if (checks.length > 0) {
    recipe.push({
      up: checks.map(({ col, check }) => `ALTER TABLE ${t} ADD CONSTRAINT ${check} CHECK (${col} IS NOT NULL) NOT VALID;`),
      down: checks.map(({ check }) => `ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${check};`),
      nonTransactional: false,
      slug: `check_${c.tableName}_key_not_null`,
    });
  }
  recipe.push({
    up: [`CREATE UNIQUE INDEX CONCURRENTLY ${idx} ON ${t} (${cols});`],
    down: [`DROP INDEX CONCURRENTLY IF EXISTS ${qualifiedIdx};`],
    nonTransactional: true,
    slug: `build_${name}`,
  });
  recipe.push({
    up: [
      ...checks.flatMap(({ col, check }) => [
        `ALTER TABLE ${t} VALIDATE CONSTRAINT ${check};`,
        `ALTER TABLE ${t} ALTER COLUMN ${col} SET NOT NULL;`,
        `ALTER TABLE ${t} DROP CONSTRAINT ${check};`,
      ]),
      `ALTER TABLE ${t} ADD CONSTRAINT ${idx} ${keyword} USING INDEX ${idx};`,
    ],
    down: [`ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${idx};`, ...checks.map(({ col }) => `ALTER TABLE ${t} ALTER COLUMN ${col} DROP NOT NULL;`)],
    nonTransactional: false,
    slug: `attach_${name}`,
  });
  const placed = placeRecipe(file, stmt, recipe, env);
  if ('error' in placed) return undefined;
  const proven = nullable.length > 0 ? `prove ${nullable.join(', ')} NOT NULL, ` : '';
  const what = kind === 'primary' ? 'the primary key' : `the ${keyword} constraint`;
  return {
    title: `${proven.charAt(0).toUpperCase()}${proven.slice(1)}${proven ? 'b' : 'B'}uild ${name} concurrently, then attach it as ${what} (${placed.where})`,
    safety: 'safe',
    preferred: true,
    steps: placed.steps,
  };
}
