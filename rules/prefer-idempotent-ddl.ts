import {
  ast,
  defineRule,
  IDENT_TOKEN,
  keywordRange,
  namedMatchRange,
  quoteIdent,
  quoteQualified,
  type RuleContext,
  type Statement,
} from '../server/src/engine';

const ADD_COLUMN = new RegExp(String.raw`ADD\s+(?:COLUMN\s+)?${IDENT_TOKEN}`, 'gi');
const DROP_COLUMN = new RegExp(String.raw`DROP\s+(?:COLUMN\s+)?${IDENT_TOKEN}`, 'gi');
const DROP_CONSTRAINT = new RegExp(String.raw`DROP\s+CONSTRAINT\s+${IDENT_TOKEN}`, 'gi');

/** Statements after which nothing is left to fail (settings), so they do not count as "a later statement". */
const NO_OP = new Set(['VariableSetStmt', 'VariableShowStmt', 'TransactionStmt']);

interface Finding {
  /** What is done, e.g. `CREATE TABLE t`. */
  what: string;
  /** The error a second run stops with. */
  error: string;
  /** The re-runnable form. */
  fix: string;
  range: { start: number; end: number };
}

const DROP_WORD: Record<string, string> = {
  OBJECT_TABLE: 'TABLE',
  OBJECT_INDEX: 'INDEX',
  OBJECT_VIEW: 'VIEW',
  OBJECT_MATVIEW: 'MATERIALIZED VIEW',
  OBJECT_SEQUENCE: 'SEQUENCE',
  OBJECT_SCHEMA: 'SCHEMA',
  OBJECT_TYPE: 'TYPE',
  OBJECT_DOMAIN: 'DOMAIN',
  OBJECT_FUNCTION: 'FUNCTION',
  OBJECT_TRIGGER: 'TRIGGER',
  OBJECT_EXTENSION: 'EXTENSION',
  OBJECT_FOREIGN_TABLE: 'FOREIGN TABLE',
};

function dropObjectName(o: unknown): string {
  const l = ast.nodeOfKind(o, 'List');
  return (l ? ast.names(ast.list(l, 'items')) : ast.names([o])).join('.');
}

/** A later statement of the same section that can still fail after `stmt` committed. */
function followedByMore(ctx: RuleContext, stmt: Statement): boolean {
  const all = ctx.file.statements;
  for (let i = stmt.index + 1; i < all.length && all[i]?.sectionIndex === stmt.sectionIndex; i++) {
    if (!NO_OP.has(all[i]?.kind ?? '')) return true;
  }
  return false;
}

/** DROP INDEX CONCURRENTLY IF EXISTS <name> earlier in the same section. */
function droppedFirst(ctx: RuleContext, stmt: Statement, index: string): boolean {
  return ctx.file.statements.some(
    (s) =>
      s.index < stmt.index &&
      s.sectionIndex === stmt.sectionIndex &&
      s.kind === 'DropStmt' &&
      ast.str(s.node, 'removeType') === 'OBJECT_INDEX' &&
      ast.flag(s.node, 'missing_ok') &&
      ast.list(s.node, 'objects').some((o) => dropObjectName(o).split('.').pop() === index),
  );
}

function relationText(x: unknown): string {
  const rel = ast.relationOf(x);
  return rel ? ast.qualified(rel) : '';
}

function notIdempotent(stmt: Statement): Finding | undefined {
  const node = stmt.node;
  switch (stmt.kind) {
    case 'CreateStmt': {
      if (ast.flag(node, 'if_not_exists')) return undefined;
      const t = relationText(node?.['relation']);
      return {
        what: `CREATE TABLE ${t}`,
        error: `relation "${t.split('.').pop()}" already exists`,
        fix: `CREATE TABLE IF NOT EXISTS ${quoteQualified(t)} …`,
        range: keywordRange(stmt, /CREATE\s+(?:(?:GLOBAL|LOCAL|TEMP|TEMPORARY|UNLOGGED)\s+)*TABLE/i),
      };
    }
    case 'IndexStmt': {
      const name = ast.str(node, 'idxname');
      if (ast.flag(node, 'if_not_exists') || name === undefined || ast.flag(node, 'concurrent')) return undefined;
      return {
        what: `CREATE INDEX ${name}`,
        error: `relation "${name}" already exists`,
        fix: `CREATE INDEX IF NOT EXISTS ${quoteIdent(name)} …`,
        range: keywordRange(stmt, /CREATE\s+(?:UNIQUE\s+)?INDEX/i),
      };
    }
    case 'CreateSchemaStmt': {
      const name = ast.str(node, 'schemaname');
      if (ast.flag(node, 'if_not_exists') || name === undefined) return undefined;
      return {
        what: `CREATE SCHEMA ${name}`,
        error: `schema "${name}" already exists`,
        fix: `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(name)}`,
        range: keywordRange(stmt, /CREATE\s+SCHEMA/i),
      };
    }
    case 'CreateSeqStmt': {
      if (ast.flag(node, 'if_not_exists')) return undefined;
      const s = relationText(node?.['sequence']);
      return {
        what: `CREATE SEQUENCE ${s}`,
        error: `relation "${s.split('.').pop()}" already exists`,
        fix: `CREATE SEQUENCE IF NOT EXISTS ${quoteQualified(s)} …`,
        range: keywordRange(stmt, /CREATE\s+(?:(?:TEMP|TEMPORARY|UNLOGGED)\s+)?SEQUENCE/i),
      };
    }
    case 'CreateTableAsStmt': {
      if (ast.flag(node, 'if_not_exists')) return undefined;
      const t = relationText(ast.obj(node, 'into')?.['rel']);
      const word = ast.str(node, 'objtype') === 'OBJECT_MATVIEW' ? 'MATERIALIZED VIEW' : 'TABLE';
      return {
        what: `CREATE ${word} ${t}`,
        error: `relation "${t.split('.').pop()}" already exists`,
        fix: `CREATE ${word} IF NOT EXISTS ${quoteQualified(t)} AS …`,
        range: keywordRange(stmt, /CREATE\s+(?:MATERIALIZED\s+VIEW|(?:(?:GLOBAL|LOCAL|TEMP|TEMPORARY|UNLOGGED)\s+)*TABLE)/i),
      };
    }
    case 'ViewStmt': {
      if (ast.flag(node, 'replace')) return undefined;
      const v = relationText(node?.['view']);
      return {
        what: `CREATE VIEW ${v}`,
        error: `relation "${v.split('.').pop()}" already exists`,
        fix: `CREATE OR REPLACE VIEW ${quoteQualified(v)} AS …`,
        range: keywordRange(stmt, /CREATE\s+(?:(?:TEMP|TEMPORARY|RECURSIVE)\s+)*VIEW/i),
      };
    }
    case 'CreateExtensionStmt': {
      const name = ast.str(node, 'extname');
      if (ast.flag(node, 'if_not_exists') || name === undefined) return undefined;
      return {
        what: `CREATE EXTENSION ${name}`,
        error: `extension "${name}" already exists`,
        fix: `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(name)}`,
        range: keywordRange(stmt, /CREATE\s+EXTENSION/i),
      };
    }
    case 'DropStmt': {
      const word = DROP_WORD[ast.str(node, 'removeType') ?? ''];
      if (!word || ast.flag(node, 'missing_ok')) return undefined;
      const objects = ast.list(node, 'objects').map(dropObjectName);
      const first = objects[0] ?? '';
      const concurrently = ast.flag(node, 'concurrent') ? ' CONCURRENTLY' : '';
      return {
        what: `DROP ${word}${concurrently} ${objects.join(', ')}`,
        error: `${word.toLowerCase()} "${first.split('.').pop()}" does not exist`,
        fix: `DROP ${word}${concurrently} IF EXISTS ${objects.map((o) => quoteQualified(o)).join(', ')}`,
        range: keywordRange(stmt, /DROP\s+(?:MATERIALIZED\s+VIEW|FOREIGN\s+TABLE|\w+)(?:\s+CONCURRENTLY)?/i),
      };
    }
    case 'AlterTableStmt': {
      if (ast.str(node, 'objtype') !== 'OBJECT_TABLE') return undefined;
      const t = relationText(node?.['relation']);
      for (const c of ast.list(node, 'cmds')) {
        const cmd = ast.nodeOfKind(c, 'AlterTableCmd');
        if (ast.flag(cmd, 'missing_ok')) continue;
        const subtype = ast.str(cmd, 'subtype');
        if (subtype === 'AT_AddColumn') {
          const col = ast.str(ast.nodeOfKind(cmd?.['def'], 'ColumnDef'), 'colname') ?? '';
          return {
            what: `ADD COLUMN ${col} to ${t}`,
            error: `column "${col}" of relation "${t.split('.').pop()}" already exists`,
            fix: `ALTER TABLE ${quoteQualified(t)} ADD COLUMN IF NOT EXISTS ${quoteIdent(col)} …`,
            range: namedMatchRange(stmt, ADD_COLUMN, col) ?? { start: stmt.start, end: stmt.end },
          };
        }
        if (subtype === 'AT_DropColumn' || subtype === 'AT_DropConstraint') {
          const name = ast.str(cmd, 'name') ?? '';
          const word = subtype === 'AT_DropColumn' ? 'COLUMN' : 'CONSTRAINT';
          return {
            what: `DROP ${word} ${name} from ${t}`,
            error: `${word.toLowerCase()} "${name}" of relation "${t.split('.').pop()}" does not exist`,
            fix: `ALTER TABLE ${quoteQualified(t)} DROP ${word} IF EXISTS ${quoteIdent(name)}`,
            range: namedMatchRange(stmt, word === 'COLUMN' ? DROP_COLUMN : DROP_CONSTRAINT, name) ?? { start: stmt.start, end: stmt.end },
          };
        }
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** DDL that fails when run a second time, in a section whose statements commit one by one. */
export const preferIdempotentDdl = defineRule({
  meta: {
    id: 'prefer-idempotent-ddl',
    severity: 'info',
    summary: 'Make DDL re-runnable (IF [NOT] EXISTS) where the runner commits statement by statement',
  },
  check(stmt, ctx) {
    const section = ctx.file.sections[stmt.sectionIndex];
    if (!section || section.wrapped || stmt.transaction !== 'none' || !stmt.node) return;

    // CREATE INDEX CONCURRENTLY is not atomic by itself: a failed build leaves an INVALID index.
    if (stmt.kind === 'IndexStmt' && ast.flag(stmt.node, 'concurrent')) {
      const name = ast.str(stmt.node, 'idxname');
      // IF NOT EXISTS is reported by ban-concurrent-index-if-not-exists; a section sent as one
      // query string cannot hold the DROP as well (it would become one transaction).
      if (name === undefined || ast.flag(stmt.node, 'if_not_exists') || section.oneString || droppedFirst(ctx, stmt, name)) return;
      ctx.report({
        statement: stmt,
        ...keywordRange(stmt, /CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY/i),
        message:
          `If this CREATE INDEX CONCURRENTLY fails or is cancelled part-way, it leaves an INVALID index ${name} behind, and re-running the migration ` +
          `stops with 'relation "${name}" already exists'.`,
        help: `Run DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(name)}; as its own statement right before it, so a re-run first removes the leftover.`,
      });
      return;
    }

    const f = notIdempotent(stmt);
    if (!f || !followedByMore(ctx, stmt)) return;
    ctx.report({
      statement: stmt,
      ...f.range,
      message:
        `This section is not run in a transaction: each statement commits on its own. If a later statement fails, ${f.what} stays applied, ` +
        `and re-running the migration stops here with '${f.error}'.`,
      help: `Write it so a second run is a no-op: ${f.fix}.`,
    });
  },
});
