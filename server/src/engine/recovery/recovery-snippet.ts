/**
 * The recovery snippet: the manual recipe an operator runs when this migration failed in
 * production (typically on statement_timeout / lock_timeout), built from the file itself.
 *
 * - Transactional migrations (the runner's transaction, or one query string = one implicit
 *   transaction) are replayed in ONE `BEGIN … COMMIT` with the timeouts lifted by `SET LOCAL`,
 *   the runner's ledger write included, so the recipe is all-or-nothing like the migration.
 * - Non-transactional migrations (dbmate `transaction:false`, diesel `run_in_transaction = false`,
 *   goose `NO TRANSACTION`, atlas `txmode none`, plain/sqitch files without BEGIN, any
 *   CONCURRENTLY / no-transaction-block statement) are replayed one statement at a time with
 *   session-level timeouts lifted; after every concurrent index build, the index's `indisvalid`
 *   is shown and a guard stops the script before the ledger write when the build left an INVALID
 *   index (the `DROP INDEX CONCURRENTLY` to run first is given as a comment).
 *
 * A preamble of read-only queries shows the runner's ledger and, for each object the migration
 * creates, whether it already exists, so a partly applied migration can be finished by hand.
 * Pure: no IO. Statements are copied verbatim from the file.
 */
import type { FileView } from '../lint/rule';
import type { Statement } from '../model/statement';
import { transactionKind } from '../model/transactions';
import { flag, list, nodeOfKind, obj, relationOf, str } from '../parse/ast';
import { columnDefFacts, constraintFacts } from '../effects/ddl-facts';
import { quoteIdent, quoteQualified } from '../text/sql-text';

export interface RecoveryOptions {
  /** The runner's ledger table when it is not the default (dbmate `--migrations-table`, goose `-table`, …), optionally schema-qualified. */
  ledgerTable?: string;
}

export interface RecoverySnippet {
  text: string;
  mode: 'transactional' | 'non-transactional';
  warnings: string[];
}

export type RecoveryInput = Pick<FileView, 'path' | 'runner' | 'sections' | 'statements'>;

const DEFAULT_LEDGER: Record<string, string | undefined> = {
  dbmate: 'schema_migrations',
  goose: 'goose_db_version',
  'golang-migrate': 'schema_migrations',
  diesel: '__diesel_schema_migrations',
  flyway: 'flyway_schema_history',
  prisma: '_prisma_migrations',
  atlas: 'atlas_schema_revisions.atlas_schema_revisions',
  sqitch: 'sqitch.changes',
};

/** Runners whose "no transaction" option still records the version outside the DDL (separate autocommit). */
const OPT_OUT_RUNNERS = new Set(['dbmate', 'diesel']);

/** An object the migration creates, and the query telling whether it exists. */
interface Created {
  label: string;
  exists: string;
}

/** A concurrent index build to verify afterwards. */
interface ConcurrentIndex {
  /** Schema-qualified as written (index lives in its table's schema), unquoted parts. */
  parts: string[];
  /** REINDEX … CONCURRENTLY of an existing index (the leftover of a failed run is `<name>_ccnew`). */
  reindex: boolean;
}

export function recoverySnippet(analysis: RecoveryInput, options: RecoveryOptions = {}): RecoverySnippet {
  const warnings: string[] = [];
  const runner = analysis.runner;
  const up = analysis.statements.filter((s) => s.section === 'up');
  const body = up;
  const upSectionIndexes = new Set(up.map((s) => s.sectionIndex));
  const upSections = analysis.sections.filter((_, i) => upSectionIndexes.has(i));
  if (upSections.length === 0 && analysis.sections[0]) upSections.push(analysis.sections[0]);

  for (const s of body)
    if (s.parseError)
      warnings.push(`statement ${s.index + 1} does not parse (${s.parseError.message}); it is copied as is, fix it before running the snippet.`);
  if (body.length === 0) warnings.push('the up section has no statements: there is nothing to replay.');
  if (analysis.sections.filter((s) => s.kind === 'up').length > 1) {
    warnings.push('the file has several up sections; the snippet replays them in order as one recipe and records the version once.');
  }

  const work = body.filter((s) => transactionKind(s) === undefined);
  // Transactional when everything would run in one transaction: the runner's, one written in the
  // file, or the implicit one of a single query string. dbmate/diesel's opt-out is honoured as
  // written: the author asked for no transaction and the runner records the version separately.
  const nonTx =
    work.some((s) => s.noTransactionBlock || s.concurrently) ||
    upSections.some((sec) => !sec.wrapped && OPT_OUT_RUNNERS.has(runner.id)) ||
    work.some((s) => s.transaction === 'none' && !analysis.sections[s.sectionIndex]?.oneString);
  const mode: RecoverySnippet['mode'] = nonTx ? 'non-transactional' : 'transactional';

  const ledgerTable = options.ledgerTable ?? DEFAULT_LEDGER[runner.id];
  const ledger = ledgerTable ? quoteQualified(ledgerTable) : undefined;
  const version = runner.version;
  const label = analysis.path ? analysis.path.split(/[\\/]/).pop() : undefined;

  const out: string[] = [];
  const line = (s = ''): void => void out.push(s);

  line(`-- Recovery snippet for ${label ?? 'this migration'} (runner: ${runner.id}${version !== undefined ? `, version ${version}` : ''}).`);
  line(`-- Mode: ${mode}. Run with: psql -v ON_ERROR_STOP=1 -f <this file>`);
  line('-- Generated by pg-migration-guard from the migration file: statements are copied verbatim.');
  line();

  // ---- preamble: diagnostics --------------------------------------------------------------------
  line('-- ===== 1. Diagnose (read-only) =====');
  const ledgerQuery = ledger ? ledgerStateQuery(runner.id, ledger) : undefined;
  if (ledgerQuery) {
    line(`-- What the ${runner.id} ledger says now.`);
    line(ledgerQuery);
  } else {
    line(`-- ${runner.id}: no ledger table to inspect.`);
  }
  const created: Created[] = [];
  for (const s of work) collectCreated(s, created, warnings);
  if (created.length > 0) {
    line('-- Which objects of this migration already exist (present = t means that part was applied).');
    line(
      created
        .map(
          (c, i) => `${i === 0 ? 'SELECT' : 'UNION ALL SELECT'} ${literal(c.label)}${i === 0 ? ' AS object' : ''}, ${c.exists}${i === 0 ? ' AS present' : ''}`,
        )
        .join('\n') + ';',
    );
  }
  if (mode === 'transactional') {
    line(`-- The failed run rolled back as a whole, so every object above should be absent (present = f).`);
    line('-- If some are present, the migration was partly applied by hand: remove those statements below first.');
  } else {
    line('-- Statements before the failing one may have committed: for every object present = t, skip its statement');
    line('-- below unless it is marked re-runnable. An index that is present but not valid must be dropped first (see step 2).');
  }
  line();

  // ---- replay -------------------------------------------------------------------------------------
  line('-- ===== 2. Replay the migration =====');
  const insert = ledgerInsert(runner.id, ledger ?? '', version, label, warnings);
  const ledgerSql = insert?.sql;
  if (mode === 'transactional') {
    line('BEGIN;');
    line('SET LOCAL statement_timeout = 0;');
    line('SET LOCAL lock_timeout = 0;');
    const dropped = body.filter((s) => transactionKind(s) !== undefined);
    if (dropped.length > 0) {
      warnings.push(
        `the file's own transaction statements (${dropped.map((s) => s.text.trim()).join(' ')}) are left out: the snippet runs everything in one BEGIN … COMMIT.`,
      );
    }
    for (const s of work) {
      line(rerunComment(s));
      line(s.text.trim());
    }
    line();
    if (ledgerSql) {
      line(`-- Record the migration as ${runner.id} does after a successful run.`);
      line(ledgerSql);
    }
    line('COMMIT;');
  } else {
    line('-- No surrounding transaction: each statement commits on its own, as the runner runs it.');
    line('SET statement_timeout = 0;');
    line('SET lock_timeout = 0;');
    let inExplicit = false;
    for (const s of body) {
      const t = transactionKind(s);
      if (t === 'open') inExplicit = true;
      if (t === 'close') inExplicit = false;
      line();
      if (t === undefined) line(rerunComment(s));
      if (inExplicit && (s.concurrently || s.noTransactionBlock)) {
        warnings.push(`statement ${s.index + 1} needs to run outside a transaction block but the file opens one around it; it will fail there too.`);
      }
      line(s.text.trim());
      const idx = s.concurrently ? concurrentIndexOf(s) : undefined;
      // Only builds leave INVALID leftovers: DROP INDEX / DETACH … CONCURRENTLY have nothing to check.
      const builds = s.kind === 'IndexStmt' || s.kind === 'ReindexStmt';
      if (s.concurrently && builds && !idx) {
        const table = s.kind === 'IndexStmt' ? relationOf(s.node?.['relation']) : undefined;
        warnings.push(`statement ${s.index + 1} builds an index concurrently without a name the snippet can check; name the index in the migration.`);
        if (table) {
          line('-- Check for INVALID indexes this build may have left on the table:');
          line(`SELECT indexrelid::regclass, indisvalid FROM pg_index WHERE indrelid = ${literal(qualify(relParts(table)))}::regclass AND NOT indisvalid;`);
        }
      }
      if (idx?.reindex) {
        const name = qualify(idx.parts);
        const leftover = qualify([...idx.parts.slice(0, -1), `${idx.parts[idx.parts.length - 1] ?? ''}_ccnew`]);
        line('-- Check the rebuilt index: indisvalid must be t.');
        line(`SELECT indexrelid::regclass, indisvalid FROM pg_index WHERE indexrelid = ${literal(name)}::regclass;`);
        line(`-- An interrupted REINDEX CONCURRENTLY leaves an INVALID copy named ${leftover}; drop it before re-running:`);
        line(`--   DROP INDEX CONCURRENTLY IF EXISTS ${leftover};`);
      } else if (idx) {
        const name = qualify(idx.parts);
        line(`-- Check the concurrent build: indisvalid must be t.`);
        line(`SELECT indexrelid::regclass, indisvalid FROM pg_index WHERE indexrelid = ${literal(name)}::regclass;`);
        line(`-- If indisvalid is f, the build failed and left an INVALID index (it still slows writes). Run`);
        line(`--   DROP INDEX CONCURRENTLY IF EXISTS ${name};`);
        line('-- then run this snippet again from the top. The guard below stops here, before the ledger write.');
        line(
          `DO $recovery$ BEGIN IF NOT (SELECT indisvalid FROM pg_index WHERE indexrelid = ${literal(name)}::regclass) THEN RAISE EXCEPTION ${literal(
            `index ${name} is INVALID: run DROP INDEX CONCURRENTLY IF EXISTS ${name}; then re-run this snippet`,
          )}; END IF; END $recovery$;`,
        );
      }
    }
    line();
    if (ledgerSql) {
      line(`-- Record the migration as ${runner.id} does after a successful run, in its own small transaction.`);
      line('BEGIN;');
      line(ledgerSql);
      line('COMMIT;');
    }
  }

  // ---- runners whose history must not be written by hand ----------------------------------------
  if (insert?.comment) {
    line();
    for (const c of insert.comment) line(`-- ${c}`.trimEnd());
  }
  return { text: out.join('\n') + '\n', mode, warnings };
}

// ---- ledger ---------------------------------------------------------------------------------------

function ledgerStateQuery(runner: string, ledger: string): string | undefined {
  switch (runner) {
    case 'dbmate':
      return `SELECT version FROM ${ledger} ORDER BY version DESC LIMIT 5;`;
    case 'goose':
      return `SELECT version_id, is_applied, tstamp FROM ${ledger} ORDER BY id DESC LIMIT 5;`;
    case 'golang-migrate':
      return `SELECT version, dirty FROM ${ledger};  -- one row; dirty = t means the last run failed`;
    case 'diesel':
      return `SELECT version, run_on FROM ${ledger} ORDER BY version DESC LIMIT 5;`;
    case 'flyway':
      return `SELECT installed_rank, version, description, success FROM ${ledger} ORDER BY installed_rank DESC LIMIT 5;`;
    case 'prisma':
      return `SELECT migration_name, started_at, finished_at, rolled_back_at, applied_steps_count FROM ${ledger} ORDER BY started_at DESC LIMIT 5;`;
    case 'atlas':
      return `SELECT * FROM ${ledger} ORDER BY version DESC LIMIT 5;`;
    case 'sqitch':
      return `SELECT change, committed_at FROM ${ledger} ORDER BY committed_at DESC LIMIT 5;`;
    default:
      return undefined;
  }
}

/** The runner's ledger write (SQL), or comments explaining the runner's own repair command. */
function ledgerInsert(
  runner: string,
  ledger: string,
  version: string | undefined,
  label: string | undefined,
  warnings: string[],
): { sql?: string; comment?: string[] } {
  const needVersion = (): string | undefined => {
    if (version === undefined) warnings.push(`no ${runner} version could be read from the file name: the ledger write is left out; add it by hand.`);
    return version;
  };
  const numeric = (v: string): string => v.replace(/^0+(?=\d)/, '');
  switch (runner) {
    case 'dbmate': {
      const v = needVersion();
      return v === undefined ? {} : { sql: `INSERT INTO ${ledger} (version) VALUES (${literal(v)});` };
    }
    case 'goose': {
      const v = needVersion();
      return v === undefined ? {} : { sql: `INSERT INTO ${ledger} (version_id, is_applied) VALUES (${numeric(v)}, true);` };
    }
    case 'golang-migrate': {
      const v = needVersion();
      // golang-migrate keeps exactly one row; the failed run left (version, dirty = true).
      return v === undefined ? {} : { sql: `TRUNCATE ${ledger};\nINSERT INTO ${ledger} (version, dirty) VALUES (${numeric(v)}, false);` };
    }
    case 'diesel': {
      const v = needVersion();
      return v === undefined ? {} : { sql: `INSERT INTO ${ledger} (version) VALUES (${literal(v)});` };
    }
    case 'flyway':
      warnings.push('Flyway: the snippet does not write flyway_schema_history; use `flyway repair` (see the end of the snippet).');
      return {
        comment: [
          `===== 3. Flyway: do NOT write ${ledger} rows by hand =====`,
          'Its rows carry a checksum Flyway computes from the script, an installed_rank and the script name;',
          'a hand-written row makes `flyway validate` (and so `flyway migrate`) fail.',
          'After fixing the cause (or after the replay above):',
          '  flyway repair      -- removes the failed entry and realigns checksums',
          'then either let Flyway apply the migration again (`flyway migrate`, with the timeout raised),',
          'or, when the replay above applied it, record it without running it: `flyway migrate -skipExecutingMigrations=true`',
          '(Flyway Teams) with only this migration pending.',
        ],
      };
    case 'prisma': {
      const dir = version ?? label ?? '<migration directory name>';
      warnings.push('Prisma: the snippet does not write _prisma_migrations; use `prisma migrate resolve` (see the end of the snippet).');
      return {
        comment: [
          `===== 3. Prisma: do NOT write ${ledger} rows by hand =====`,
          'The failed row (finished_at and rolled_back_at NULL) blocks `prisma migrate deploy` (P3009), and a',
          'hand-written row needs the checksum Prisma computes from migration.sql. After the replay above:',
          `  prisma migrate resolve --applied ${dir}`,
          `or, to let Prisma run it again instead: prisma migrate resolve --rolled-back ${dir}`,
        ],
      };
    }
    case 'atlas':
      warnings.push('Atlas: the snippet does not write atlas_schema_revisions; use `atlas migrate set` (see the end of the snippet).');
      return {
        comment: [
          `===== 3. Atlas records state in ${ledger} =====`,
          'Its rows carry hashes of the migration directory; do not write them by hand. After the replay above:',
          `  atlas migrate set ${version ?? '<version>'} --url <database url> --dir <migration dir>`,
        ],
      };
    case 'sqitch':
      warnings.push('sqitch: the snippet does not write the sqitch registry; use `sqitch deploy --log-only` (see the end of the snippet).');
      return {
        comment: [
          '===== 3. sqitch records state in its registry (sqitch.changes, sqitch.events) =====',
          'Rows carry change ids and script hashes computed by sqitch; do not write them by hand. After the replay above:',
          '  sqitch deploy --log-only --to <this change>',
        ],
      };
    default:
      return {
        comment: [
          '===== 3. No runner ledger =====',
          'This file is run as a plain script (psql -f): no table records it. Record it wherever your deploy process does.',
        ],
      };
  }
}

// ---- what the migration creates -------------------------------------------------------------------

function collectCreated(s: Statement, out: Created[], warnings: string[]): void {
  const node = s.node;
  if (!node) return;
  switch (s.kind) {
    case 'CreateStmt': {
      const rel = relationOf(node['relation']);
      if (rel) out.push({ label: `table ${displayName(rel)}`, exists: `to_regclass(${literal(qualify(relParts(rel)))}) IS NOT NULL` });
      break;
    }
    case 'IndexStmt': {
      const rel = relationOf(node['relation']);
      const idx = str(node, 'idxname');
      if (!rel) break;
      if (!idx) {
        warnings.push(`statement ${s.index + 1} creates an index without a name (PostgreSQL derives one): the snippet cannot check it by name.`);
        break;
      }
      const parts = rel.schema !== undefined ? [rel.schema, idx] : [idx];
      out.push({
        label: `index ${qualify(parts)}`,
        exists: `EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = ${schemaExpr(rel.schema)} AND indexname = ${literal(idx)})`,
      });
      if (flag(node, 'concurrent')) {
        out.push({
          label: `index ${qualify(parts)} valid`,
          exists: `COALESCE((SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(${literal(qualify(parts))})), false)`,
        });
      }
      break;
    }
    case 'AlterTableStmt': {
      const rel = relationOf(node['relation']);
      if (!rel) break;
      for (const c of list(node, 'cmds')) {
        const cmd = nodeOfKind(c, 'AlterTableCmd');
        const sub = str(cmd, 'subtype');
        if (sub === 'AT_AddColumn') {
          const col = columnDefFacts(nodeOfKind(cmd?.['def'], 'ColumnDef'));
          if (!col) continue;
          out.push({
            label: `column ${displayName(rel)}.${col.name}`,
            exists: `EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = ${schemaExpr(rel.schema)} AND table_name = ${literal(rel.name)} AND column_name = ${literal(col.name)})`,
          });
          for (const k of col.constraints) if (k.name) out.push(constraintCheck(rel, k.name));
        } else if (sub === 'AT_AddConstraint') {
          const k = constraintFacts(cmd?.['def']);
          if (!k) continue;
          if (k.name) out.push(constraintCheck(rel, k.name));
          else
            warnings.push(`statement ${s.index + 1} adds a ${k.kind} constraint without a name (PostgreSQL derives one): the snippet cannot check it by name.`);
        }
      }
      break;
    }
    default:
      break;
  }
}

function constraintCheck(rel: { schema?: string; name: string }, name: string): Created {
  return {
    label: `constraint ${name} on ${displayName(rel)}`,
    exists: `EXISTS (SELECT 1 FROM pg_constraint WHERE conname = ${literal(name)} AND conrelid = to_regclass(${literal(qualify(relParts(rel)))}))`,
  };
}

function concurrentIndexOf(s: Statement): ConcurrentIndex | undefined {
  const node = s.node;
  if (!node) return undefined;
  if (s.kind === 'IndexStmt') {
    const rel = relationOf(node['relation']);
    const idx = str(node, 'idxname');
    if (!rel || !idx) return undefined;
    return { parts: rel.schema !== undefined ? [rel.schema, idx] : [idx], reindex: false };
  }
  if (s.kind === 'ReindexStmt' && str(node, 'kind') === 'REINDEX_OBJECT_INDEX') {
    const rel = relationOf(node['relation']);
    if (!rel) return undefined;
    // REINDEX CONCURRENTLY swaps in a new index; an interrupted run leaves `<name>_ccnew` INVALID.
    return { parts: relParts(rel), reindex: true };
  }
  return undefined;
}

// ---- re-run safety --------------------------------------------------------------------------------

function rerunComment(s: Statement): string {
  const node = s.node;
  if (!node) return '-- [not parsed] check by hand before re-running.';
  switch (s.kind) {
    case 'CreateStmt':
    case 'CreateSeqStmt':
    case 'CreateSchemaStmt':
    case 'CreateExtensionStmt':
    case 'CreateTableAsStmt':
      return flag(node, 'if_not_exists') || flag(obj(node, 'into') ?? {}, 'if_not_exists')
        ? '-- [re-runnable] IF NOT EXISTS: skipped when the object is present.'
        : '-- [NOT re-runnable] fails if the object already exists: skip it when the preamble shows it present.';
    case 'IndexStmt':
      if (flag(node, 'if_not_exists')) {
        return flag(node, 'concurrent')
          ? '-- [re-runnable] IF NOT EXISTS, but an INVALID leftover index also counts as existing: check indisvalid below.'
          : '-- [re-runnable] IF NOT EXISTS: skipped when the index is present.';
      }
      return flag(node, 'concurrent')
        ? '-- [NOT re-runnable] fails if the index exists (even INVALID): drop a leftover first (DROP INDEX CONCURRENTLY IF EXISTS).'
        : '-- [NOT re-runnable] fails if the index already exists: skip it when the preamble shows it present.';
    case 'AlterTableStmt': {
      const cmds = list(node, 'cmds').map((c) => nodeOfKind(c, 'AlterTableCmd'));
      const safe = cmds.every((cmd) => {
        const sub = str(cmd, 'subtype');
        if (sub === 'AT_AddColumn' || sub === 'AT_DropColumn' || sub === 'AT_DropConstraint') return flag(cmd, 'missing_ok');
        return sub === 'AT_SetNotNull' || sub === 'AT_DropNotNull' || sub === 'AT_ColumnDefault' || sub === 'AT_ValidateConstraint';
      });
      return safe
        ? '-- [re-runnable] every subcommand is idempotent (IF [NOT] EXISTS, SET/DROP NOT NULL, DEFAULT, VALIDATE).'
        : '-- [NOT re-runnable] fails if already applied (e.g. column or constraint exists): skip it when the preamble shows it present.';
    }
    case 'DropStmt':
      return flag(node, 'missing_ok') ? '-- [re-runnable] IF EXISTS.' : '-- [NOT re-runnable] fails if the object is already gone.';
    case 'CreateFunctionStmt':
    case 'ViewStmt':
    case 'CreateTrigStmt':
      return flag(node, 'replace') ? '-- [re-runnable] OR REPLACE.' : '-- [NOT re-runnable] fails if it already exists.';
    case 'ReindexStmt':
    case 'VacuumStmt':
    case 'VariableSetStmt':
    case 'SelectStmt':
      return '-- [re-runnable]';
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
      return '-- [check] re-running repeats the data change: make sure it is idempotent or was rolled back.';
    default:
      return '-- [check] not known to be idempotent: verify before re-running.';
  }
}

// ---- helpers --------------------------------------------------------------------------------------

function relParts(rel: { schema?: string; name: string }): string[] {
  return rel.schema !== undefined ? [rel.schema, rel.name] : [rel.name];
}

/** Name parts as SQL: each part quoted when Postgres would fold or reject it. */
function qualify(parts: string[]): string {
  return parts.map(quoteIdent).join('.');
}

function displayName(rel: { schema?: string; name: string }): string {
  return relParts(rel).map(quoteIdent).join('.');
}

function schemaExpr(schema: string | undefined): string {
  return schema !== undefined ? literal(schema) : 'current_schema()';
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
