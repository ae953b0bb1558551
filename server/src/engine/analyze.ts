/**
 * The pipeline: text → split → parse → migration model (runner, sections, transactions) →
 * effects → rules → findings. Pure: no IO, no editor types, never throws on input.
 */
import { type GuardConfig, type Severity, tableSize } from './config';
import { FileState } from './effects/file-state';
import { recordStatement } from './effects/record-state';
import { statementEffects } from './effects/statement-effects';
import { isSuppressed, parseIgnores, type IgnoreDirective } from './lint/ignores';
import type { FileView, Report, Rule, RuleContext } from './lint/rule';
import { detectRunner, type RunnerInfo, type Sidecars } from './model/runner';
import { sectionsFor, type Section } from './model/sections';
import type { Statement } from './model/statement';
import { assignTransactions } from './model/transactions';
import { ParseCache, type ParsedPiece, piecesFromChunk } from './parse/pieces';
import { splitSql, type SqlComment } from './parse/split';
import type { SchemaModel } from './schema/schema-model';
import type { Fix } from './fix/fix';
import type { FixEnvironment } from './fix/placement';
import { byteToCharOffset, LineIndex } from './text/line-index';

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  help?: string;
  /** UTF-16 document offsets. */
  start: number;
  end: number;
  statementIndex: number;
}

export interface Analysis extends FileView {
  readonly findings: Finding[];
  readonly comments: readonly SqlComment[];
  readonly ignores: readonly IgnoreDirective[];
  /** The fixes of one of `findings`, built now by its rule (reports carry them as functions). */
  readonly fixesFor: (f: Finding) => readonly Fix[];
  /**
   * Set only by `reanalyze`: statements edits broke, in file order. Each is reported as invalid,
   * while the rest of the file keeps the findings it had when they last parsed (see incremental.ts).
   * A whole-file `analyze` never holds a statement.
   */
  readonly held?: readonly HeldStatement[];
}

/** A statement the parser now rejects, whose last valid meaning the rest of the file was analysed with. */
export interface HeldStatement {
  readonly index: number;
  /** Its text when it last parsed: the rest of the analysis is that of the file with this text in its place. */
  readonly validText: string;
  readonly meaning: StatementMeaning;
}

/** What other statements see of a statement (what `analyze` derived from its text). */
export type StatementMeaning = Pick<Statement, 'kind' | 'node' | 'noTransactionBlock' | 'concurrently' | 'effects' | 'actions' | 'cost'>;

export interface AnalyzeOptions {
  path?: string;
  config: GuardConfig;
  rules: readonly Rule[];
  sidecars?: Sidecars;
  /** Reuse parse results across analyses of the same document (the language server keeps one per document). */
  cache?: ParseCache;
  /** The schema before this file, replayed from earlier migrations (see `buildBaseline`). */
  baseline?: SchemaModel;
  /** Lets fixes create following migrations (the names already on disk). */
  fixEnv?: FixEnvironment;
}

/** Ids of findings the engine reports itself (documented in rules/ like any rule). */
export const SYNTAX_ERROR = 'syntax-error';
export const UNUSED_IGNORE = 'unused-ignore';

export function analyze(text: string, options: AnalyzeOptions): Analysis {
  const { config } = options;
  const cache = options.cache ?? new ParseCache();
  const split = splitSql(text);
  const runner: RunnerInfo = detectRunner(options.path, split.comments, config.runner);
  const sections = sectionsFor(runner.id, options.path, text, split.comments, options.sidecars ?? {});

  // 1. parse every chunk (cached by text) into statements
  const pieces: ParsedPiece[] = [];
  for (const chunk of split.chunks) pieces.push(...piecesFromChunk(text, chunk, cache));

  // 2. effects, in order, with per-section knowledge of what earlier statements created
  const statements: Statement[] = [];
  // Up sections start from the baseline; a down section runs after the up section was applied.
  const states: FileState[] = [];
  let upSchema: SchemaModel | undefined;
  const stateFor = (i: number): FileState => {
    let st = states[i];
    if (!st) {
      const section = sections[i] as Section;
      st = new FileState(section.kind === 'down' && upSchema ? upSchema : options.baseline);
      if (section.kind === 'up') upSchema = st.schema;
      states[i] = st;
    }
    return st;
  };
  let sectionIndex = 0;
  // After an unterminated quote or comment the splitter resynced by looking ahead: a terminator typed
  // later in the file can close it, so no later statement end is a known boundary.
  let afterLexicalError = false;
  for (const piece of pieces) {
    while (sectionIndex < sections.length - 1 && piece.start >= (sections[sectionIndex]?.end ?? Infinity)) sectionIndex++;
    const section = sections[sectionIndex] as Section;
    const state = stateFor(sectionIndex);
    const eff = piece.node
      ? statementEffects(piece.kind, piece.node, { pgVersion: config.pgVersion, state })
      : { effects: [], actions: [], noTransactionBlock: false, concurrently: false, cost: 'none' as const };
    if (piece.node) recordStatement(piece.kind, piece.node, state);
    const stmt: Statement = {
      index: statements.length,
      start: piece.start,
      end: piece.end,
      text: text.slice(piece.start, piece.end),
      section: section.kind,
      sectionIndex,
      kind: piece.kind,
      node: piece.node,
      parsedText: piece.parsedText,
      parsedOffset: piece.parsedOffset,
      boundary: piece.boundary && !afterLexicalError,
      transaction: 'none',
      noTransactionBlock: eff.noTransactionBlock,
      concurrently: eff.concurrently,
      effects: eff.effects,
      actions: eff.actions,
      cost: eff.cost,
    };
    if (piece.parseError) stmt.parseError = piece.parseError;
    afterLexicalError ||= piece.parseError?.lexical === true;
    statements.push(stmt);
  }

  // 3. the transaction each statement runs in
  assignTransactions(runner.id, sections, statements, pieces);

  // 4. rules, ignores, engine findings
  const ignores = parseIgnores(split.comments, statements);
  const view: FileView = { path: options.path, text, runner, sections, statements, config, baseline: options.baseline, lines: new LineIndex(text) };
  const findings: Finding[] = [];
  const checker = statementChecker(view, ignores, options, findings);
  for (const stmt of statements) checker.check(stmt);
  checker.reportIgnores();
  findings.sort(byPosition);
  return { ...view, findings, comments: split.comments, ignores, fixesFor: checker.fixesFor };
}

export function byPosition(a: Finding, b: Finding): number {
  return a.start - b.start || a.end - b.end || a.rule.localeCompare(b.rule);
}

/**
 * Runs the engine's own checks (syntax errors) and the rules on statements of `view`, pushing what
 * they report into `findings`. Shared by the whole-file analysis and the incremental one
 * (`reanalyze`), which re-checks only the statements an edit touched.
 */
export function statementChecker(
  view: FileView,
  ignores: readonly IgnoreDirective[],
  options: AnalyzeOptions,
  findings: Finding[],
): { check(stmt: Statement): void; reportIgnores(): void; fixesFor(f: Finding): Fix[] } {
  const { config } = options;
  const { text } = view;
  const knownRules = new Set(options.rules.map((r) => r.meta.id));
  knownRules.add(SYNTAX_ERROR);
  knownRules.add(UNUSED_IGNORE);

  const emit = (rule: string, defaultSeverity: Severity, f: Omit<Finding, 'rule' | 'severity'>): void => {
    const setting = config.rules[rule];
    if (setting === 'off') return;
    if (isSuppressed(ignores, rule, f.statementIndex)) return;
    findings.push({ rule, severity: setting ?? defaultSeverity, ...f });
  };

  const locate = (s: Statement, byteLocation: number | undefined): number =>
    byteLocation === undefined || byteLocation < 0 ? s.start : s.parsedOffset + byteToCharOffset(s.parsedText, byteLocation);
  const sizeOf = (table: string): ReturnType<typeof tableSize> => tableSize(config, table);

  function makeContext(sink: (r: Report) => void): RuleContext {
    return { file: view, pgVersion: config.pgVersion, sizeOf, locate, fixEnv: options.fixEnv, report: sink };
  }

  function toFinding(r: Report): Omit<Finding, 'rule' | 'severity'> {
    // A finding never leaves its statement, whatever offsets a rule computed.
    const lo = r.statement.start;
    const hi = r.statement.end;
    const start = Math.min(Math.max(r.start ?? lo, lo), hi);
    const f: Omit<Finding, 'rule' | 'severity'> = {
      message: r.message,
      start,
      end: Math.min(Math.max(r.end ?? hi, start), hi),
      statementIndex: r.statement.index,
    };
    if (r.help !== undefined) f.help = r.help;
    return f;
  }

  // Rules are dispatched by statement kind: each rule sees only the statements it declared.
  const contexts = new Map<Rule, RuleContext>();
  const anyKind: Rule[] = [];
  const byKind = new Map<string, Rule[]>();
  for (const rule of options.rules) {
    if (config.rules[rule.meta.id] === 'off') continue;
    contexts.set(
      rule,
      makeContext((r) => emit(rule.meta.id, r.severity ?? rule.meta.severity, toFinding(r))),
    );
    if (!rule.meta.kinds) anyKind.push(rule);
    else for (const k of rule.meta.kinds) byKind.set(k, [...(byKind.get(k) ?? []), rule]);
  }

  function check(stmt: Statement): void {
    if (stmt.parseError) {
      const at = Math.min(stmt.parseError.offset, Math.max(stmt.start, stmt.end - 1));
      emit(SYNTAX_ERROR, 'error', {
        message: `${stmt.parseError.message}. The PostgreSQL 18 parser rejects this statement; the rest of the file is still checked.`,
        start: at,
        end: tokenEnd(text, at, stmt.end),
        statementIndex: stmt.index,
      });
    }
    if (!stmt.node) return;
    const kindRules = byKind.get(stmt.kind);
    for (const rule of kindRules ? [...anyKind, ...kindRules] : anyKind) {
      try {
        rule.check(stmt, contexts.get(rule) as RuleContext);
      } catch (err) {
        // A rule bug must not take the file's other findings down with it.
        findings.push({
          rule: rule.meta.id,
          severity: 'info',
          message: `internal error in rule ${rule.meta.id}: ${err instanceof Error ? err.message : String(err)}`,
          start: stmt.start,
          end: stmt.end,
          statementIndex: stmt.index,
        });
      }
    }
  }

  /** The fixes of `f`: its rule runs again on its statement (nothing is emitted) and the matching report builds them. */
  function fixesFor(f: Finding): Fix[] {
    const rule = options.rules.find((r) => r.meta.id === f.rule);
    const stmt = view.statements[f.statementIndex];
    if (!rule || !stmt?.node) return [];
    const reports: Report[] = [];
    try {
      rule.check(
        stmt,
        makeContext((r) => reports.push(r)),
      );
    } catch {
      // reported by the analysis already
    }
    for (const r of reports) {
      const again = toFinding(r);
      if (again.message === f.message && again.start === f.start && again.end === f.end) return r.fixes?.() ?? [];
    }
    return [];
  }

  function reportIgnores(): void {
    for (const d of ignores) {
      for (const rule of d.rules) {
        if (!knownRules.has(rule)) {
          emit(UNUSED_IGNORE, 'warning', {
            message: `Unknown rule id "${rule}" in ignore comment.`,
            start: d.start,
            end: d.end,
            statementIndex: Math.max(0, d.statementIndex),
          });
        } else if (!d.used.has(rule)) {
          const where = d.scope === 'file' ? 'in this file' : d.statementIndex < 0 ? '(no statement follows it)' : 'on the next statement';
          emit(UNUSED_IGNORE, 'warning', {
            message: `This ignore for ${rule} suppresses nothing ${where}.`,
            start: d.start,
            end: d.end,
            statementIndex: Math.max(0, d.statementIndex),
          });
        }
      }
      if (d.rules.length === 0) {
        emit(UNUSED_IGNORE, 'warning', {
          message: 'Ignore comment names no rule; write `-- pg-migration-guard-ignore <rule-id>: <reason>`.',
          start: d.start,
          end: d.end,
          statementIndex: Math.max(0, d.statementIndex),
        });
      }
    }
  }

  return { check, reportIgnores, fixesFor };
}

/** End of the token at `at` (or of its line), at least one character, never past `limit`. */
function tokenEnd(text: string, at: number, limit: number): number {
  let e = at;
  while (e < limit && !/\s/.test(text.charAt(e))) e++;
  return Math.max(Math.min(e, limit), Math.min(at + 1, text.length));
}
