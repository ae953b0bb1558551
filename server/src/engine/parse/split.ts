/**
 * A psql-like lexical splitter. No PostgreSQL parser recovers from an error mid-file, so we cut the
 * file into statements ourselves, parse each alone, and resync after a broken one.
 *
 * It understands: `--` and nested `/* *\/` comments, '…' / E'…' strings, "…" identifiers,
 * $tag$…$tag$ bodies, parentheses (so `CREATE RULE … DO (a; b)` stays whole), `BEGIN ATOMIC … END`
 * function bodies, psql backslash meta-commands, migration directives that end a statement
 * (`-- migrate:down`, `-- +goose Down`), and goose `StatementBegin`/`StatementEnd` blocks.
 */

export interface LexError {
  message: string;
  /** UTF-16 offset of the construct that was never closed. */
  offset: number;
}

export interface SqlChunk {
  /** UTF-16 offset of the first character of the statement (after leading comments/space). */
  start: number;
  /** Exclusive end, including the terminating `;` when there is one. */
  end: number;
  terminated: boolean;
  /** Set when the chunk was cut at a resync point because a quote, comment or `(` never closed. */
  lexError?: LexError;
  /** A goose `StatementBegin … StatementEnd` block: the runner sends it as one string. */
  block?: boolean;
}

export interface SqlComment {
  start: number;
  end: number;
  text: string;
  /** The comment is the first thing on its line. */
  ownLine: boolean;
  kind: 'line' | 'block';
}

export interface MetaCommand {
  start: number;
  end: number;
  text: string;
}

export interface SplitResult {
  chunks: SqlChunk[];
  comments: SqlComment[];
  metaCommands: MetaCommand[];
}

/** Line comments that end the statement before them (runner section markers). */
const BOUNDARY_COMMENT = /^--\s*(?:migrate:|\+goose\s|\+migrate\s|atlas:)/i;
const GOOSE_BEGIN = /^--\s*\+goose\s+StatementBegin\b/i;
const GOOSE_END = /^--\s*\+goose\s+StatementEnd\b/i;

/**
 * How many lines starting with a statement keyword an open `(` or BEGIN ATOMIC may contain before we
 * treat it as never closed. Valid SQL rarely has any (a parenthesised CREATE RULE action list does).
 */
const MAX_SWALLOWED_STATEMENTS = 16;

/** A line that starts (column 0) with one of these words is where we resync after a broken statement. */
const RESYNC_LINE =
  /^(?:CREATE|ALTER|DROP|INSERT|UPDATE|DELETE|SELECT|WITH|GRANT|REVOKE|COMMENT|TRUNCATE|REINDEX|VACUUM|ANALYZE|CLUSTER|REFRESH|SET|RESET|BEGIN|COMMIT|ROLLBACK|START|END|DO|LOCK|COPY|CALL|MERGE|SAVEPOINT|RELEASE|--\s*(?:migrate:|\+goose\s|\+migrate\s|atlas:))(?![A-Za-z0-9_])/i;

const ASCII_LEAD = /^[ \t\n\r\f\v]+/;
const ASCII_TRAIL = /[ \t\n\r\f\v]+$/;

/** Trims the whitespace the lexer skips (ASCII only: U+00A0 and friends are token characters to PostgreSQL). */
function asciiTrim(s: string): string {
  return s.replace(ASCII_LEAD, '').replace(ASCII_TRAIL, '');
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
}

function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/** Finds the first column-0 line after `from` that looks like the start of a statement. */
function findResyncPoint(text: string, from: number): number {
  let i = text.indexOf('\n', from);
  while (i !== -1 && i < text.length) {
    const lineStart = i + 1;
    RESYNC_LINE.lastIndex = 0;
    if (RESYNC_LINE.test(text.slice(lineStart, lineStart + 40))) return lineStart;
    i = text.indexOf('\n', lineStart);
  }
  return -1;
}

/** Reads a dollar-quote tag starting at `i` (text[i] === '$'); returns the tag incl. both `$`, or ''. */
function readDollarTag(text: string, i: number): string {
  let j = i + 1;
  if (j < text.length && text.charCodeAt(j) === 36) return '$$';
  if (j >= text.length || !isIdentStart(text.charCodeAt(j))) return '';
  j++;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === 36) return text.slice(i, j + 1);
    if (!(isIdentStart(c) || (c >= 48 && c <= 57))) return '';
    j++;
  }
  return '';
}

export function splitSql(text: string): SplitResult {
  const chunks: SqlChunk[] = [];
  const comments: SqlComment[] = [];
  const metaCommands: MetaCommand[] = [];
  const n = text.length;

  let i = 0;
  let stmtStart = -1; // -1: no statement pending
  let lastTokenEnd = -1; // end of the last non-trivia character of the pending statement
  let depth = 0;
  let firstParenOpen = -1;
  // BEGIN ATOMIC … END bodies (SQL-standard function bodies contain `;`)
  let routine = false; // statement so far is CREATE [OR REPLACE] FUNCTION/PROCEDURE
  let prevWord = '';
  let atomicDepth = 0;
  let wordCount = 0;
  // Statement-start lines seen while a `(` or BEGIN ATOMIC is open (see MAX_SWALLOWED_STATEMENTS).
  let swallowed = 0;

  // "Is there any closer after here?" answered once per file, so an unclosed construct is known at
  // once instead of after a scan to the end of the file (which made resync quadratic).
  const lastCommentClose = text.lastIndexOf('*/');
  const lastTagIndex = new Map<string, number>();
  const lastOf = (s: string): number => {
    let v = lastTagIndex.get(s);
    if (v === undefined) {
      v = text.lastIndexOf(s);
      lastTagIndex.set(s, v);
    }
    return v;
  };

  const resetStatement = (): void => {
    stmtStart = -1;
    lastTokenEnd = -1;
    depth = 0;
    firstParenOpen = -1;
    routine = false;
    prevWord = '';
    atomicDepth = 0;
    wordCount = 0;
    swallowed = 0;
  };

  const flush = (end: number, terminated: boolean): void => {
    if (stmtStart >= 0) chunks.push({ start: stmtStart, end, terminated });
    resetStatement();
  };

  const markToken = (start: number, end: number): void => {
    if (stmtStart < 0) stmtStart = start;
    lastTokenEnd = end;
  };

  /**
   * A construct opened at `openAt` never closed before EOF. Cut the pending statement (or the
   * construct itself) at the next resync line and continue lexing from there.
   */
  const recover = (openAt: number, message: string): number => {
    const start = stmtStart >= 0 ? stmtStart : openAt;
    const resync = findResyncPoint(text, openAt);
    const end = resync === -1 ? n : resync;
    let trimmedEnd = end;
    while (trimmedEnd > start && isSpace(text.charCodeAt(trimmedEnd - 1))) trimmedEnd--;
    chunks.push({ start, end: trimmedEnd, terminated: false, lexError: { message, offset: openAt } });
    resetStatement();
    // What lies after the resync point is lexed again: forget what the first pass recorded there.
    while (comments.length > 0 && (comments[comments.length - 1]?.start ?? 0) >= end) comments.pop();
    while (metaCommands.length > 0 && (metaCommands[metaCommands.length - 1]?.start ?? 0) >= end) metaCommands.pop();
    return end;
  };

  for (;;) {
    while (i < n) {
      const c = text.charCodeAt(i);

      if (isSpace(c)) {
        // An open `(` or BEGIN ATOMIC that runs over many lines starting with statement keywords is

        // almost surely never closed: resync now rather than lexing to the end of the file.

        if (c === 10 && stmtStart >= 0 && (depth > 0 || atomicDepth > 0) && RESYNC_LINE.test(text.slice(i + 1, i + 41))) {
          if (++swallowed > MAX_SWALLOWED_STATEMENTS) {
            i = depth > 0 ? recover(firstParenOpen, 'unclosed parenthesis') : recover(stmtStart, 'unterminated BEGIN ATOMIC body');

            continue;
          }
        }

        i++;

        continue;
      }

      // -- line comment
      if (c === 45 && text.charCodeAt(i + 1) === 45) {
        let j = text.indexOf('\n', i);
        if (j === -1) j = n;
        let end = j;
        if (end > i && text.charCodeAt(end - 1) === 13) end--;
        const lineStart = i === 0 || text.charCodeAt(i - 1) === 10 || text.charCodeAt(i - 1) === 13;
        const ownLine = lineStart || /^[ \t]*$/.test(text.slice(text.lastIndexOf('\n', i - 1) + 1, i));
        const body = text.slice(i, end);
        comments.push({ start: i, end, text: body, ownLine, kind: 'line' });
        if (ownLine && GOOSE_BEGIN.test(body)) {
          flush(lastTokenEnd, false);
          i = readGooseBlock(j);
          continue;
        }
        if (ownLine && BOUNDARY_COMMENT.test(body)) flush(lastTokenEnd, false);
        i = j;
        continue;
      }

      // /* block comment */ (nested)
      if (c === 47 && text.charCodeAt(i + 1) === 42) {
        if (lastCommentClose < i + 2) {
          i = recover(i, 'unterminated /* comment');
          continue;
        }
        let level = 1;
        let j = i + 2;
        while (j < n && level > 0) {
          const d = text.charCodeAt(j);
          if (d === 47 && text.charCodeAt(j + 1) === 42) {
            level++;
            j += 2;
          } else if (d === 42 && text.charCodeAt(j + 1) === 47) {
            level--;
            j += 2;
          } else j++;
        }
        if (level > 0) {
          i = recover(i, 'unterminated /* comment');
          continue;
        }
        const ownLine = /^[ \t]*$/.test(text.slice(text.lastIndexOf('\n', i - 1) + 1, i));
        comments.push({ start: i, end: j, text: text.slice(i, j), ownLine, kind: 'block' });
        i = j;
        continue;
      }

      // psql meta-command: backslash outside any construct runs to end of line
      if (c === 92) {
        let j = text.indexOf('\n', i);
        if (j === -1) j = n;
        let end = j;
        if (end > i && text.charCodeAt(end - 1) === 13) end--;
        if (stmtStart >= 0) flush(lastTokenEnd, true); // \g, \gexec … send the buffer
        metaCommands.push({ start: i, end, text: text.slice(i, end) });
        i = j;
        continue;
      }

      // 'string', E'string', "identifier"
      if (c === 39 || c === 34) {
        const escapes = c === 39 && i > 0 && (text.charCodeAt(i - 1) | 32) === 101 /* e */ && !(i > 1 && isIdentChar(text.charCodeAt(i - 2)));
        let j = i + 1;
        let closed = false;
        if (lastOf(c === 39 ? "'" : '"') <= i) j = n; // no closing quote anywhere after this one
        while (j < n) {
          const d = text.charCodeAt(j);
          if (escapes && d === 92) {
            j += 2;
            continue;
          }
          if (d === c) {
            if (text.charCodeAt(j + 1) === c) {
              j += 2;
              continue;
            }
            closed = true;
            j++;
            break;
          }
          j++;
        }
        if (!closed) {
          if (stmtStart < 0) stmtStart = i;
          i = recover(i, c === 39 ? 'unterminated quoted string' : 'unterminated quoted identifier');
          continue;
        }
        markToken(i, j);
        i = j;
        continue;
      }

      // $tag$ … $tag$
      if (c === 36 && !(i > 0 && isIdentChar(text.charCodeAt(i - 1)))) {
        const tag = readDollarTag(text, i);
        if (tag) {
          const close = lastOf(tag) < i + tag.length ? -1 : text.indexOf(tag, i + tag.length);
          if (close === -1) {
            if (stmtStart < 0) stmtStart = i;
            i = recover(i, `unterminated dollar-quoted string ${tag}`);
            continue;
          }
          markToken(i, close + tag.length);
          i = close + tag.length;
          continue;
        }
      }

      if (c === 40 /* ( */) {
        if (depth === 0) firstParenOpen = i;
        depth++;
        markToken(i, i + 1);
        i++;
        continue;
      }
      if (c === 41 /* ) */) {
        if (depth > 0) depth--;
        markToken(i, i + 1);
        i++;
        continue;
      }

      if (c === 59 /* ; */) {
        if (depth === 0 && atomicDepth === 0) {
          if (stmtStart >= 0) flush(i + 1, true);
          i++;
          continue;
        }
        markToken(i, i + 1);
        i++;
        continue;
      }

      if (isIdentStart(c)) {
        let j = i + 1;
        while (j < n && isIdentChar(text.charCodeAt(j))) j++;
        markToken(i, j);
        if (j - i <= 9 && depth === 0) {
          const word = text.slice(i, j).toUpperCase();
          wordCount++;
          if (wordCount <= 4 && (word === 'FUNCTION' || word === 'PROCEDURE')) routine = true;
          if (routine) {
            if (word === 'ATOMIC' && prevWord === 'BEGIN') atomicDepth = atomicDepth === 0 ? 1 : atomicDepth;
            else if (atomicDepth > 0 && word === 'CASE') atomicDepth++;
            else if (atomicDepth > 0 && word === 'END') atomicDepth--;
          }
          prevWord = word;
        } else {
          wordCount++;
          prevWord = '';
        }
        i = j;
        continue;
      }

      // any other character (operators, digits, punctuation)
      markToken(i, i + 1);
      i++;
    }

    // EOF with a `(` or BEGIN ATOMIC still open: cut at the next resync line and lex again from there.
    if (stmtStart >= 0 && ((depth > 0 && firstParenOpen >= 0) || atomicDepth > 0)) {
      const resume = depth > 0 ? recover(firstParenOpen, 'unclosed parenthesis') : recover(stmtStart, 'unterminated BEGIN ATOMIC body');
      i = resume;
      if (i < n) continue;
    }
    flush(lastTokenEnd, false);
    break;
  }

  return { chunks, comments, metaCommands };

  /** Reads a goose StatementBegin block from `from` (end of the Begin line); returns where to resume. */
  function readGooseBlock(from: number): number {
    let lineStart = from + 1;
    let contentStart = -1;
    let contentEnd = -1;
    while (lineStart <= n) {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd === -1) lineEnd = n;
      const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
      const trimmed = asciiTrim(line);
      if (GOOSE_END.test(trimmed)) {
        const markerStart = lineStart + line.indexOf('-');
        comments.push({ start: markerStart, end: markerStart + trimmed.length, text: trimmed, ownLine: true, kind: 'line' });
        if (contentStart >= 0) chunks.push({ start: contentStart, end: contentEnd, terminated: true, block: true });
        return lineEnd;
      }
      if (trimmed.length > 0) {
        const lead = line.length - line.replace(ASCII_LEAD, '').length;
        if (contentStart < 0) contentStart = lineStart + lead;
        contentEnd = lineStart + line.replace(ASCII_TRAIL, '').length;
      }
      if (lineEnd >= n) break;
      lineStart = lineEnd + 1;
    }
    // no StatementEnd: goose fails on this file; keep the text as one broken chunk
    if (contentStart >= 0) {
      chunks.push({
        start: contentStart,
        end: contentEnd,
        terminated: false,
        block: true,
        lexError: { message: 'goose StatementBegin without a matching -- +goose StatementEnd', offset: contentStart },
      });
    }
    return n;
  }
}
