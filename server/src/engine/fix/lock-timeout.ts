/**
 * A missing (or too long, or reset) lock_timeout: `SET lock_timeout = '…';` right before the first
 * statement that waits for a strong lock. `SET LOCAL` when that statement runs in a transaction,
 * so the setting ends with it; a plain SET when each statement commits on its own.
 */
import type { FileView } from '../lint/rule';
import type { Statement } from '../model/statement';
import { eolOf } from '../text/eol';
import { indentOf } from './chain';
import type { Fix } from './fix';

export const DEFAULT_LOCK_TIMEOUT = '5s';

export function lockTimeoutFix(file: FileView, stmt: Statement, value: string = DEFAULT_LOCK_TIMEOUT): Fix | undefined {
  const section = file.sections[stmt.sectionIndex];
  // A SET sent in the same query string would put a statement that refuses transaction blocks into an implicit one.
  if (stmt.noTransactionBlock && section?.oneString) return undefined;
  const set = `${stmt.transaction === 'none' ? 'SET' : 'SET LOCAL'} lock_timeout = '${value.replace(/'/g, "''")}';`;
  const eol = eolOf(file);
  const lineStart = file.text.lastIndexOf('\n', stmt.start - 1) + 1;
  if (!/^[ \t]*$/.test(file.text.slice(lineStart, stmt.start))) {
    // Something precedes the statement on its line: the SET goes right before it.
    return fixAt(stmt.start, `${set} `, set);
  }
  return fixAt(leadingCommentsStart(file.text, lineStart), `${indentOf(file, stmt)}${set}${eol}`, set);
}

/** Runner directives open sections; nothing may be inserted above them. */
const DIRECTIVE = /^\s*--\s*(?:migrate:|\+goose\b|atlas:)/i;

/**
 * The start of the comment lines right above a statement (an ignore comment applies to the next
 * statement, so the SET goes above the comments, not between them and their statement).
 */
function leadingCommentsStart(text: string, lineStart: number): number {
  let at = lineStart;
  while (at > 0) {
    const prevStart = text.lastIndexOf('\n', at - 2) + 1;
    const line = text.slice(prevStart, at).replace(/\r?\n$/, '');
    if (!/^\s*--/.test(line) || DIRECTIVE.test(line)) break;
    at = prevStart;
  }
  return at;
}

function fixAt(offset: number, newText: string, set: string): Fix {
  return {
    title: `Insert \`${set}\` before this statement`,
    safety: 'safe',
    preferred: true,
    steps: [{ kind: 'edit', start: offset, end: offset, newText }],
  };
}
