/**
 * `ALTER COLUMN c TYPE t2 [USING expr]` that rewrites → expand/contract in concrete files:
 * now, `c_new t2` kept equal to the converted `c` by a trigger; the operator's batched backfill for
 * the existing rows; a later migration that refuses to run before the backfill finished and then
 * swaps the names and drops the trigger; a last one that drops the old column.
 */
import type { FileView } from '../lint/rule';
import type { Statement } from '../model/statement';
import { nodeOfKind, obj } from '../parse/ast';
import type { SchemaModel } from '../schema/schema-model';
import { eolOf } from '../text/eol';
import { describeType } from '../effects/type-change';
import { quoteIdent, quoteQualified } from '../text/sql-text';
import { backfillStep } from './backfill';
import { batchingKey, schemaBefore } from './batch-key';
import { migrationLabel } from './column-fill';
import type { Fix, FixStep } from './fix';
import { backfillGuard } from './guard';
import { stepsWithEol } from './line-endings';
import { followingMigrations, type FixEnvironment } from './placement';
import { soleCommand } from './sole-command';
import { columnRefSpans, keywordAtDepthZero, qualifyColumnRefs, writtenType } from './sql-source';
import { triggerColumnSql, wholeStatement } from './trigger-column';

/** Names within Postgres's 63-byte limit (column names here are ASCII or short in practice). */
function suffixed(column: string, suffix: string): string {
  return `${column.slice(0, 63 - suffix.length)}${suffix}`;
}

/** What the schema model knows is attached to `table.column` and will not follow the swap. */
export function attachedToColumn(schema: SchemaModel, table: string, column: string): string[] {
  const out: string[] = [];
  const col = schema.column(table, column);
  if (col?.type) out.push(`type before the change: ${describeType(col.type)}`);
  if (col?.notNull) out.push(`NOT NULL (the new column is nullable: add it with a validated CHECK before the swap)`);
  for (const i of schema.indexesOn(table))
    if (i.columns.includes(column)) out.push(`${i.unique ? 'unique index' : 'index'} ${i.name} (${i.columns.join(', ')})`);
  for (const f of schema.foreignKeysOf(table))
    if (f.columns.includes(column)) out.push(`foreign key ${f.name} (${f.columns.join(', ')}) → ${f.referencedTable}`);
  for (const f of schema.foreignKeysTo(table)) out.push(`foreign key ${f.name} from ${f.table} (${f.columns.join(', ')}) may reference it`);
  return out;
}

export function expandContractFix(file: FileView, stmt: Statement, table: string, pgVersion: number, env: FixEnvironment | undefined): Fix | undefined {
  const cmd = soleCommand(stmt, 'AT_AlterColumnType');
  const def = nodeOfKind(cmd?.['def'], 'ColumnDef');
  const column = typeof cmd?.['name'] === 'string' ? cmd['name'] : undefined;
  if (!column || !def || obj(def, 'collClause') || pgVersion < 11) return undefined;
  if (stmt.section === 'down' || !env || !file.path) return undefined;

  const text = file.text;
  const t = quoteQualified(table);
  const c = quoteIdent(column);
  const fresh = suffixed(column, '_new');
  const old = suffixed(column, '_old');
  const n = quoteIdent(fresh);

  // USING expr runs to the end of the statement (the only subcommand); without it, assignment
  // conversion of the plain column is what ALTER TYPE does, and what SET / := do as well.
  const body = text.slice(stmt.start, stmt.end).replace(/\s*;\s*$/, '');
  const using = keywordAtDepthZero(text, /USING\b/, stmt.start, stmt.start + body.length);
  const exprStart = using === undefined ? undefined : using + (/^USING\s*/i.exec(text.slice(using))?.[0].length ?? 5);
  const exprEnd = stmt.start + body.length;
  const toType = writtenType(stmt, text, def['typeName'], [using], exprEnd);
  if (!toType) return undefined;
  const usingExpr = obj(def, 'raw_default');
  const spans = usingExpr ? columnRefSpans(stmt, text, usingExpr) : [];
  const plain = exprStart === undefined ? c : text.slice(exprStart, exprEnd).trim();
  const fromRow = exprStart === undefined ? `NEW.${c}` : qualifyColumnRefs(text, exprStart, exprEnd, spans, 'NEW').trim();
  const reads = [...new Set([column, ...spans.map((s) => s.column)])];
  const pending = exprStart === undefined ? `${n} IS NULL AND ${c} IS NOT NULL` : `${n} IS NULL AND (${plain}) IS NOT NULL`;

  const schema = schemaBefore(file, stmt);
  const sync = triggerColumnSql({ table, column: fresh, value: fromRow, reads, suffix: 'sync', pgVersion });
  const script = backfillStep(
    file,
    {
      table,
      column: fresh,
      value: plain,
      pending,
      key: batchingKey(schema, table),
      migration: migrationLabel(file),
      purpose: `copies ${column} converted to ${toType} into ${fresh} for the rows that existed before the sync trigger`,
    },
    env,
  );

  const runner = file.runner.id;
  const attached = attachedToColumn(schema, table, column);
  const header = [
    `-- Swap ${table}.${column} for ${fresh} (${toType}), filled by the sync trigger and ${script.shown}.`,
    `-- Only the column moves. Re-create on ${fresh} before this migration whatever ${column} has:`,
    ...(attached.length > 0 ? attached.map((a) => `--   ${a}`) : ['--   (nothing known from earlier migrations)']),
    `-- Never known here: defaults, CHECK constraints, views, other triggers, policies, statistics, grants, comments.`,
  ].join('\n');
  const chain = followingMigrations(
    file,
    [
      {
        slug: `swap_${table.split('.').pop() ?? table}_${column}`,
        body: {
          up: [
            header,
            wholeStatement(runner, backfillGuard(table, pending, `${table}.${fresh} is not filled yet: run ${script.shown} first, then this migration again`)),
            `ALTER TABLE ${t} RENAME COLUMN ${c} TO ${quoteIdent(old)};`,
            `ALTER TABLE ${t} RENAME COLUMN ${n} TO ${c};`,
            sync.dropTrigger,
            sync.dropFunction,
          ],
          down: [
            `ALTER TABLE ${t} RENAME COLUMN ${c} TO ${n};`,
            `ALTER TABLE ${t} RENAME COLUMN ${quoteIdent(old)} TO ${c};`,
            wholeStatement(runner, sync.createFunction),
            sync.createTrigger,
          ],
          nonTransactional: false,
        },
      },
      {
        slug: `drop_${table.split('.').pop() ?? table}_${old}`,
        body: {
          up: [`ALTER TABLE ${t} DROP COLUMN ${quoteIdent(old)};`],
          down: [`-- ${old} and its values are gone: restore them from a backup to undo this.`],
          nonTransactional: false,
        },
      },
    ],
    env,
  );
  if ('error' in chain) return undefined;
  const steps: FixStep[] = [
    {
      kind: 'edit',
      start: stmt.start,
      end: stmt.end,
      newText: [`ALTER TABLE ${t} ADD COLUMN ${n} ${toType};`, wholeStatement(runner, sync.createFunction), sync.createTrigger].join('\n'),
    },
    script.step,
    ...chain.steps,
  ];
  return {
    title: `Change ${column} to ${toType} by expand/contract: ${fresh} synced by trigger now, backfill with ${script.shown}, swap in ${chain.names[0]}, drop ${old} in ${chain.names[1]}`,
    safety: 'review',
    steps: stepsWithEol(steps, eolOf(file)),
  };
}
