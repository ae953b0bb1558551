/**
 * The rule contract. A rule is data (meta) plus a check that reads the engine's model of one
 * statement and reports. Effects quoted in messages come from the engine, never from the rule.
 */
import type { GuardConfig, Severity, TableSize } from '../config';
import type { LockMode } from '../effects/locks';
import type { RunnerInfo } from '../model/runner';
import type { Section } from '../model/sections';
import type { Statement } from '../model/statement';
import type { SchemaModel } from '../schema/schema-model';
import type { Fix } from '../fix/fix';
import type { LineIndex } from '../text/line-index';
import type { FixEnvironment } from '../fix/placement';

export interface RuleMeta {
  /** kebab-case; also the file name, the diagnostic code, the ignore token and the config key. */
  id: string;
  severity: Severity;
  /** One line, imperative: what the rule asks for. */
  summary: string;
  /** The lock (and work) the flagged statement takes, as documented; tests check it against the engine. */
  claims?: { lock: LockMode; rewrite?: boolean; scan?: boolean; indexBuild?: boolean };
  /** Opinion rather than locking (type style): shown as info by default. */
  style?: boolean;
  /**
   * The statement kinds `check` can report on (e.g. `AlterTableStmt`). The engine calls the rule
   * only for those; omit it for rules that look at every statement.
   */
  kinds?: readonly string[];
}

export interface Report {
  statement: Statement;
  message: string;
  /** What to do instead, one or two sentences. */
  help?: string;
  /** Overrides the rule's default severity for this finding (configuration still wins). */
  severity?: Severity;
  /** UTF-16 document offsets; defaults to the statement. */
  start?: number;
  end?: number;
  /**
   * Rewrites into the safe shape, the preferred one first. A function: fixes are built only when
   * asked for (a code action, `fix`), not for every finding of every analysis.
   */
  fixes?: () => Fix[];
}

/** Read-only view of the file for rules that look beyond one statement. */
export interface FileView {
  readonly path: string | undefined;
  readonly text: string;
  readonly runner: RunnerInfo;
  readonly sections: readonly Section[];
  readonly statements: readonly Statement[];
  readonly config: GuardConfig;
  /** The schema before this file, from earlier migrations of the folder (undefined when none were read). */
  readonly baseline: SchemaModel | undefined;
  /** Line positions of `text` (1-based line of an offset: `lines.positionAt(o).line + 1`). */
  readonly lines: LineIndex;
}

export interface RuleContext {
  readonly file: FileView;
  readonly pgVersion: number;
  report(r: Report): void;
  /** Known size of a table from configuration, if any. */
  sizeOf(table: string): TableSize | undefined;
  /** Document offset of an AST byte `location` inside a statement. */
  locate(statement: Statement, byteLocation: number | undefined): number;
  /** What fixes may know of the disk (existing migration names); undefined where files cannot be created. */
  readonly fixEnv: FixEnvironment | undefined;
}

export interface Rule {
  meta: RuleMeta;
  check(statement: Statement, ctx: RuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
