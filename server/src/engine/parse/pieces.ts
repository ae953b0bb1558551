/**
 * Turns the splitter's chunks into parsed statements ("pieces"). A chunk normally holds one
 * statement; a goose StatementBegin block may hold several. When the parser rejects a chunk we
 * resync at column-0 statement keywords inside it, so a half-typed statement (`ALTER TABLE a ADD
 * COLUMN` with no `;`) does not swallow the statement after it.
 */
import type { AstObject } from './ast';
import { parseSql, type ParseOutcome } from './parser';
import type { SqlChunk } from './split';
import { byteToCharOffset } from '../text/line-index';
import { ownCopy } from '../text/own-copy';

export interface ParsedPiece {
  start: number;
  end: number;
  kind: string;
  node: AstObject | undefined;
  parsedText: string;
  parsedOffset: number;
  parseError?: { message: string; offset: number; lexical?: true };
  /** Index of the chunk it came from (statements the runner sends as one string share a chunk in goose blocks). */
  chunk: number;
  block: boolean;
  /** The last piece of a chunk that ended at a `;` with nothing left open. */
  boundary: boolean;
}

/** Parse results by statement text. Re-analysing an edited document re-parses only changed statements. */
export class ParseCache {
  private map = new Map<string, ParseOutcome>();
  private previous = new Map<string, ParseOutcome>();

  private limit: number;

  constructor(private readonly minimum = 50_000) {
    this.limit = minimum;
  }

  /**
   * Keeps room for every statement of a document of `statements` statements: a generation smaller
   * than the document would be dropped on every whole-file analysis, copying each key again.
   */
  fitTo(statements: number): void {
    this.limit = Math.max(this.minimum, 2 * statements);
  }

  parse(text: string): ParseOutcome {
    let hit = this.map.get(text);
    if (hit) return hit;
    hit = this.previous.get(text);
    if (!hit) hit = parseSql(text);
    // The key outlives the document version it was sliced from.
    this.map.set(ownCopy(text), hit);
    // Two generations: entries unused for a whole generation are dropped (bounded memory, no LRU bookkeeping).
    if (this.map.size > this.limit) {
      this.previous = this.map;
      this.map = new Map();
    }
    return hit;
  }

  get size(): number {
    return this.map.size + this.previous.size;
  }
}

const RESYNC =
  /\n(?=(?:CREATE|ALTER|DROP|INSERT|UPDATE|DELETE|SELECT|WITH|GRANT|REVOKE|COMMENT|TRUNCATE|REINDEX|VACUUM|ANALYZE|CLUSTER|REFRESH|SET|RESET|BEGIN|COMMIT|ROLLBACK|DO|LOCK|COPY|CALL)(?![A-Za-z0-9_]))/gi;

let chunkCounter = 0;

export function piecesFromChunk(doc: string, chunk: SqlChunk, cache: ParseCache): ParsedPiece[] {
  const id = chunkCounter++;
  const block = chunk.block === true;
  const chunkText = doc.slice(chunk.start, chunk.end);
  if (chunk.lexError) {
    const piece = invalid(chunk.start, chunk.end, chunkText, chunk.lexError.message, chunk.lexError.offset, id, block);
    // The splitter resynced after an unterminated quote or comment: where, depends on the text after it.
    (piece.parseError as NonNullable<ParsedPiece['parseError']>).lexical = true;
    return [piece];
  }
  const outcome = cache.parse(chunkText);
  if (outcome.ok) return markBoundary(fromOutcome(chunkText, chunk.start, outcome, id, block), chunk);

  // Resync: cut the chunk at column-0 statement keywords and parse each part alone.
  const cuts = [0];
  RESYNC.lastIndex = 0;
  for (let m = RESYNC.exec(chunkText); m; m = RESYNC.exec(chunkText)) cuts.push(m.index + 1);
  if (cuts.length === 1) return markBoundary([errorPiece(chunkText, chunk.start, outcome, id, block)], chunk);
  const out: ParsedPiece[] = [];
  for (let i = 0; i < cuts.length; i++) {
    const from = cuts[i] as number;
    let to = i + 1 < cuts.length ? (cuts[i + 1] as number) : chunkText.length;
    while (to > from && /\s/.test(chunkText.charAt(to - 1))) to--;
    if (to <= from) continue;
    const partText = chunkText.slice(from, to);
    const partOutcome = cache.parse(partText);
    if (partOutcome.ok) out.push(...fromOutcome(partText, chunk.start + from, partOutcome, id, block));
    else out.push(errorPiece(partText, chunk.start + from, partOutcome, id, block));
  }
  return markBoundary(out, chunk);
}

function markBoundary(pieces: ParsedPiece[], chunk: SqlChunk): ParsedPiece[] {
  const last = pieces[pieces.length - 1];
  if (last && chunk.terminated && !chunk.lexError && last.end === chunk.end) last.boundary = true;
  return pieces;
}

function fromOutcome(text: string, offset: number, outcome: ParseOutcome & { ok: true }, chunk: number, block: boolean): ParsedPiece[] {
  if (outcome.statements.length === 0) return [];
  if (outcome.statements.length === 1) {
    const s = outcome.statements[0];
    if (!s) return [];
    return [{ start: offset, end: offset + text.length, kind: s.kind, node: s.node, parsedText: text, parsedOffset: offset, chunk, block, boundary: false }];
  }
  return outcome.statements.map((s) => {
    let start = byteToCharOffset(text, s.byteStart);
    start = skipTrivia(text, start);
    let end = s.byteLength !== undefined ? byteToCharOffset(text, s.byteStart + s.byteLength) : text.length;
    if (text.charAt(end) === ';') end++;
    return { start: offset + start, end: offset + end, kind: s.kind, node: s.node, parsedText: text, parsedOffset: offset, chunk, block, boundary: false };
  });
}

function errorPiece(text: string, offset: number, outcome: ParseOutcome & { ok: false }, chunk: number, block: boolean): ParsedPiece {
  const at = outcome.byteOffset !== undefined ? byteToCharOffset(text, outcome.byteOffset) : 0;
  return invalid(offset, offset + text.length, text, outcome.message, offset + at, chunk, block);
}

function invalid(start: number, end: number, text: string, message: string, at: number, chunk: number, block: boolean): ParsedPiece {
  return {
    start,
    end,
    kind: 'Invalid',
    node: undefined,
    parsedText: text,
    parsedOffset: start,
    parseError: { message, offset: at },
    chunk,
    block,
    boundary: false,
  };
}

/** Skips whitespace and comments (libpg-query's stmt_location starts right after the previous `;`). */
function skipTrivia(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /\s/.test(text.charAt(i))) i++;
    if (text.startsWith('--', i)) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl + 1;
    } else if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      i = close === -1 ? text.length : close + 2;
    } else return i;
  }
}
