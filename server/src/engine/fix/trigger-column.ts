/**
 * A column kept filled by a BEFORE trigger: the function that sets `NEW.<column>` from the row and
 * the trigger that calls it on INSERT and on UPDATE of the columns the value reads. Used where a
 * stored generated column or a converted copy of a column would otherwise need a table rewrite.
 */
import type { RunnerId } from '../model/runner';
import { derivedName, quoteIdent, quoteQualified } from '../text/sql-text';
import { dollarTag } from './sql-source';

export interface TriggerColumnSpec {
  table: string;
  column: string;
  /** SQL computing the value, its column references written `NEW.<column>`. */
  value: string;
  /** Columns whose UPDATE recomputes the value (INSERT always does). */
  reads: readonly string[];
  /** `compute`, `sync`: the suffix of the function and trigger names. */
  suffix: string;
  pgVersion: number;
}

export interface TriggerColumnSql {
  /** Qualified function name, for DROP FUNCTION. */
  functionName: string;
  triggerName: string;
  createFunction: string;
  createTrigger: string;
  dropTrigger: string;
  dropFunction: string;
}

/** `<table>_<column>_<suffix>`, in the table's schema. */
export function triggerColumnSql(spec: TriggerColumnSpec): TriggerColumnSql {
  const parts = spec.table.split('.');
  const tableName = parts.pop() ?? spec.table;
  const name = derivedName(tableName, spec.column, spec.suffix);
  const fn = [...parts.map(quoteIdent), quoteIdent(name)].join('.');
  const body = `BEGIN\n  NEW.${quoteIdent(spec.column)} := ${spec.value};\n  RETURN NEW;\nEND\n`;
  const tag = dollarTag('fn', body);
  const events = spec.reads.length > 0 ? `INSERT OR UPDATE OF ${spec.reads.map(quoteIdent).join(', ')}` : 'INSERT';
  // EXECUTE FUNCTION is the PostgreSQL 11+ spelling; EXECUTE PROCEDURE still works everywhere.
  const execute = spec.pgVersion >= 11 ? 'EXECUTE FUNCTION' : 'EXECUTE PROCEDURE';
  const t = quoteQualified(spec.table);
  return {
    functionName: fn,
    triggerName: name,
    createFunction: `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger\nLANGUAGE plpgsql AS ${tag}\n${body}${tag};`,
    createTrigger: `CREATE TRIGGER ${quoteIdent(name)}\nBEFORE ${events} ON ${t}\nFOR EACH ROW ${execute} ${fn}();`,
    dropTrigger: `DROP TRIGGER IF EXISTS ${quoteIdent(name)} ON ${t};`,
    dropFunction: `DROP FUNCTION IF EXISTS ${fn}();`,
  };
}

/**
 * A statement whose body holds semicolons, as the runner must see it: goose splits at every line
 * ending in `;` unless the statement sits between StatementBegin and StatementEnd.
 */
export function wholeStatement(runner: RunnerId, sql: string): string {
  return runner === 'goose' ? `-- +goose StatementBegin\n${sql}\n-- +goose StatementEnd` : sql;
}
