/** A position as LSP counts it: 0-based line, 0-based UTF-16 code unit within the line. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/**
 * Maps UTF-16 offsets of one document to line/character positions and back.
 * Lines end at "\n", "\r\n" or a lone "\r", as editors count them.
 */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(
    private readonly text: string,
    lineStarts?: number[],
  ) {
    if (lineStarts) {
      this.lineStarts = lineStarts;
      return;
    }
    const starts = [0];
    collectLineStarts(text, 0, text.length, starts);
    this.lineStarts = starts;
  }

  /**
   * The index of `text`, which is this index's text with [from, to) replaced: line starts before
   * the edit are kept, those after it move, only the edited stretch is scanned.
   */
  withEdit(text: string, from: number, to: number): LineIndex {
    const delta = text.length - this.text.length;
    // Re-scan from the start of the line holding `from` (a "\r" just before it may pair with a new "\n").
    const first = this.positionAt(Math.max(0, from - 1)).line;
    const scanFrom = this.lineStarts[first] ?? 0;
    const starts = this.lineStarts.slice(0, first + 1);
    let k = first + 1;
    while (k < this.lineStarts.length && (this.lineStarts[k] ?? 0) <= to) k++;
    // Scan the edited stretch plus one character, so a "\r\n" split or joined by the edit is seen.
    const scanTo = Math.min(text.length, to + delta + 1);
    collectLineStarts(text, scanFrom, scanTo, starts);
    const last = starts[starts.length - 1] as number;
    while (k < this.lineStarts.length && (this.lineStarts[k] as number) + delta <= last) k++;
    const tail = this.lineStarts.slice(k);
    for (let i = 0; i < tail.length; i++) tail[i] = (tail[i] as number) + delta;
    return new LineIndex(text, starts.concat(tail));
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Offset of the first character of `line` (clamped). */
  lineStart(line: number): number {
    const l = Math.max(0, Math.min(line, this.lineStarts.length - 1));
    return this.lineStarts[l] ?? 0;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(Number.isFinite(offset) ? offset : 0, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - (this.lineStarts[lo] ?? 0) };
  }

  offsetAt(pos: Position): number {
    if (pos.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStart(pos.line);
    const next = pos.line + 1 < this.lineStarts.length ? (this.lineStarts[pos.line + 1] ?? this.text.length) : this.text.length;
    return Math.max(start, Math.min(start + Math.max(0, pos.character), next));
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}

/** Pushes the start of every line that begins in (from, to] of `text`. */
function collectLineStarts(text: string, from: number, to: number, starts: number[]): void {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * libpg-query reports UTF-8 byte offsets; JavaScript strings index UTF-16 code units.
 * Converts a byte offset within `text` to a UTF-16 offset (ASCII text maps 1:1).
 */
export function byteToCharOffset(text: string, byteOffset: number): number {
  if (byteOffset <= 0) return 0;
  if (!NON_ASCII.test(text)) return Math.min(byteOffset, text.length);
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    if (bytes >= byteOffset) return i;
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
        continue;
      }
      bytes += 3; // lone surrogate: encoded as U+FFFD (3 bytes)
    } else bytes += 3;
  }
  return text.length;
}
