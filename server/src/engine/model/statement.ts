import type { Action, CostClass, Effect } from '../effects/effect';
import type { AstObject } from '../parse/ast';
import type { SectionKind } from './sections';

/**
 * The transaction a statement runs in:
 * - `runner`: the migration runner's own transaction around the section;
 * - `explicit`: a BEGIN … COMMIT written in the file;
 * - `implicit`: several statements sent as one query string, which Postgres runs as one transaction;
 * - `none`: the statement runs alone and commits by itself.
 */
export type TransactionContext = 'runner' | 'explicit' | 'implicit' | 'none';

export interface Statement {
  index: number;
  /** UTF-16 offsets in the document; `end` includes the terminating `;`. */
  start: number;
  end: number;
  text: string;
  section: SectionKind;
  sectionIndex: number;
  /** AST node kind (`AlterTableStmt`, …), or `Invalid` when the parser rejected it. */
  kind: string;
  node: AstObject | undefined;
  /** The text the parser saw and where it starts in the document: AST `location`s are UTF-8 byte offsets into it. */
  parsedText: string;
  parsedOffset: number;
  /** `lexical`: an unterminated quote or comment, after which the splitter resynced. */
  parseError?: { message: string; offset: number; lexical?: true };
  /**
   * The splitter is between statements right after this one: its chunk ends here, at a `;`, with no
   * quote, comment or parenthesis left open, and no unterminated quote or comment earlier in the
   * file (incremental re-analysis may start or stop here).
   */
  boundary: boolean;
  transaction: TransactionContext;
  noTransactionBlock: boolean;
  concurrently: boolean;
  effects: Effect[];
  /** Per-subcommand detail (ALTER TABLE), for rules and hovers. */
  actions: Action[];
  cost: CostClass;
}

export type { Action, CostClass, Effect };
