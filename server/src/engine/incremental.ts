/**
 * Incremental analysis for the language server. After an edit, the file is re-split around the edit
 * only and the statements it touched are re-parsed. When they mean to the rest of the file what they
 * meant before (same kinds, syntax trees equal apart from positions, or still rejected by the parser),
 * only the statements whose text changed are checked again; every other finding is carried over,
 * moved by the edit's length.
 *
 * An edit that breaks a statement (the parser rejects what it accepted) is taken the same way: the
 * statement is reported as invalid, and the rest of the file keeps the findings it had when the
 * statement last parsed: `held` records that text and meaning, and rules checking other statements
 * later see the held statement with it. Typing through a keyword passes through such states on
 * every keystroke, and re-checking the whole file for each would make the findings of other
 * statements flicker for the length of a word. Once a held statement parses to the same tree again
 * it gets its meaning back. The language server analyses the whole file when typing pauses with
 * statements held.
 *
 * Anything else returns undefined and the caller analyses the whole file: a directive or ignore
 * comment in the edited stretch, a statement that appeared, vanished or changed meaning, a quote or
 * comment left open, a line break typed or deleted (messages quote line numbers of other statements).
 * The result is what `analyze` returns for the new text, or with statements held, for the text with
 * their valid text in their place (the held statements themselves: their syntax errors);
 * test/unit/incremental.test.ts checks both on random edits.
 */
import { type Analysis, type AnalyzeOptions, byPosition, type Finding, type HeldStatement, statementChecker, type StatementMeaning } from './analyze';
import type { IgnoreDirective } from './lint/ignores';
import type { FileView } from './lint/rule';
import type { Section } from './model/sections';
import type { Statement } from './model/statement';
import type { AstObject } from './parse/ast';
import { ParseCache, type ParsedPiece, piecesFromChunk } from './parse/pieces';
import { splitSql, type SqlComment } from './parse/split';
import { ownCopy } from './text/own-copy';

/** Comments whose text can change sections, transactions, suppressions or runner detection. */
const MEANINGFUL_COMMENT = /migrate|goose|atlas|pg-migration-guard|transaction|statement(begin|end)|flyway|sqitch|squawk/i;

/** Where an edit turned `before` into `after`: [from, oldTo) in `before` became [from, newTo) in `after`. */
export interface TextChange {
  from: number;
  oldTo: number;
  newTo: number;
}

/** `hint` (from the editor's change event) describes `before` → `after`, as far as lengths can tell. */
function fits(hint: TextChange, before: string, after: string): boolean {
  return 0 <= hint.from && hint.from <= hint.oldTo && hint.oldTo <= before.length && hint.newTo - hint.oldTo === after.length - before.length;
}

/** The hinted change without the characters it replaced by themselves (some clients resend whole lines). */
function narrowed(hint: TextChange, before: string, after: string): TextChange {
  let { from, oldTo, newTo } = hint;
  while (from < oldTo && from < newTo && before.charCodeAt(from) === after.charCodeAt(from)) from++;
  while (oldTo > from && newTo > from && before.charCodeAt(oldTo - 1) === after.charCodeAt(newTo - 1)) {
    oldTo--;
    newTo--;
  }
  return { from, oldTo, newTo };
}

/** The smallest single change between two texts (common prefix and suffix). */
export function changeBetween(before: string, after: string): TextChange {
  const max = Math.min(before.length, after.length);
  let from = 0;
  // Compare in blocks first: one string comparison per 4 KB instead of one per character.
  const BLOCK = 4096;
  while (from + BLOCK <= max && before.slice(from, from + BLOCK) === after.slice(from, from + BLOCK)) from += BLOCK;
  while (from < max && before.charCodeAt(from) === after.charCodeAt(from)) from++;
  let tail = 0;
  const maxTail = max - from;
  while (
    tail + BLOCK <= maxTail &&
    before.slice(before.length - tail - BLOCK, before.length - tail) === after.slice(after.length - tail - BLOCK, after.length - tail)
  )
    tail += BLOCK;
  while (tail < maxTail && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { from, oldTo: before.length - tail, newTo: after.length - tail };
}

/**
 * The analysis of `text`, derived from `previous` (the analysis of the text before the edit), or
 * undefined when only a whole-file analysis can say. On success `previous` is consumed: its
 * statements, comments and findings are reused and updated in place.
 */
export function reanalyze(previous: Analysis, text: string, options: AnalyzeOptions, hint?: TextChange): Analysis | undefined {
  if (previous.text === text) return previous;
  const old = previous.text;
  const change = hint && fits(hint, old, text) ? narrowed(hint, old, text) : changeBetween(old, text);
  const delta = text.length - old.length;
  if (touchesLineBreak(old, change.from, change.oldTo) || touchesLineBreak(text, change.from, change.newTo)) return undefined;
  if (text.length > 0 && isLowSurrogate(text.charCodeAt(change.from))) return undefined; // an edit splitting a surrogate pair

  const stmts = previous.statements;
  // Statements the edit touches (a statement ending right where the edit starts counts: typing after
  // its last character may extend it), plus the one after them: the re-split must end where the
  // lexer is known to be between statements (after that statement's `;`), not where a comment typed
  // just before it might now swallow it.
  const i0 = firstIndex(stmts, (s) => s.end >= change.from);
  const i1 = Math.min(
    stmts.length - 1,
    firstIndex(stmts, (s) => s.start > change.oldTo),
  );
  const before = i0 > 0 ? stmts[i0 - 1] : undefined;
  const toEnd = i1 === stmts.length - 1;
  if (before && !before.boundary) return undefined;
  if (!toEnd && !(stmts[i1] as Statement).boundary) return undefined;
  const regionStart = before ? before.end : 0;
  const regionEnd = toEnd ? old.length : (stmts[i1] as Statement).end; // in `old`
  const newRegionEnd = regionEnd + delta;

  if (previous.ignores.some((d) => d.scope === 'file' || (d.statementIndex >= i0 && d.statementIndex <= i1))) return undefined;
  if (previous.comments.some((c) => c.end > regionStart && c.start < regionEnd && MEANINGFUL_COMMENT.test(c.text))) return undefined;

  const split = splitSql(text.slice(regionStart, newRegionEnd));
  if (split.comments.some((c) => MEANINGFUL_COMMENT.test(c.text))) return undefined;
  const last = split.chunks[split.chunks.length - 1];
  if (split.chunks.some((c) => c.lexError || c.block)) return undefined;
  if (!toEnd && !(last && last.terminated && last.end === newRegionEnd - regionStart)) return undefined;

  const cache = options.cache ?? new ParseCache();
  const pieces: ParsedPiece[] = [];
  for (const c of split.chunks) pieces.push(...piecesFromChunk(text, { ...c, start: c.start + regionStart, end: c.end + regionStart }, cache));
  const count = i1 - i0 + 1;
  if (pieces.length !== count) return undefined;
  // Per region statement: carried (same text: its findings move), re-checked (same meaning), or the
  // one an edit broke or mended.
  const changed: boolean[] = [];
  const held = new Map((previous.held ?? []).map((h) => [h.index, h]));
  const restored: HeldStatement[] = [];
  for (let k = 0; k < count; k++) {
    const was = stmts[i0 + k] as Statement;
    const now = pieces[k] as ParsedPiece;
    const textChanged = was.text !== text.slice(now.start, now.end);
    changed.push(textChanged);
    const h = held.get(i0 + k);
    if (h) {
      if (now.node === undefined) continue; // still broken
      if (now.kind !== h.meaning.kind || !sameTree(h.meaning.node, now.node)) return undefined;
      restored.push(h);
      held.delete(h.index);
    } else if (was.node !== undefined && now.node === undefined && textChanged) {
      held.set(i0 + k, { index: i0 + k, validText: ownCopy(was.text), meaning: meaningOf(was) });
    } else {
      if (was.kind !== now.kind || (was.node === undefined) !== (now.node === undefined)) return undefined;
      if (was.node && now.node && !sameTree(was.node, now.node)) return undefined;
    }
  }

  // From here on the previous analysis is updated in place (it is consumed): statements keep their
  // identity, so what rules cached per file (which statements share a transaction, which timeout is
  // in effect) stays valid; per-statement memos check the syntax tree, which edited statements renew.
  const statements = stmts as Statement[];
  const moved: number[] = []; // how far each region statement moved
  for (let k = 0; k < count; k++) {
    const s = statements[i0 + k] as Statement;
    const now = pieces[k] as ParsedPiece;
    moved.push(now.start - s.start);
    s.start = now.start;
    s.end = now.end;
    // Own copies: a slice of `text` would keep this version of the document alive after the next edit.
    s.text = ownCopy(text.slice(now.start, now.end));
    s.node = now.node;
    s.parsedText = now.parsedText === s.text ? s.text : ownCopy(now.parsedText);
    s.parsedOffset = now.parsedOffset;
    s.boundary = now.boundary;
    if (now.parseError) s.parseError = now.parseError;
    else delete s.parseError;
    const h = held.get(s.index);
    if (h) Object.assign(s, invalidMeaning());
    const r = restored.find((x) => x.index === s.index);
    if (r) Object.assign(s, r.meaning, { node: now.node });
  }
  for (let j = i0 + count; j < statements.length; j++) {
    const s = statements[j] as Statement;
    s.start += delta;
    s.end += delta;
    s.parsedOffset += delta;
    if (s.parseError) s.parseError = { ...s.parseError, offset: s.parseError.offset + delta };
  }

  const shift = (o: number): number => (o >= change.oldTo ? o + delta : o);
  const sections: Section[] = previous.sections.map((s) => {
    // A section starting where text is inserted keeps its start (the file's first section starts at 0).
    const out: Section = { ...s, start: s.start > change.from ? shift(s.start) : s.start, end: s.end >= change.oldTo ? s.end + delta : s.end };
    if (s.directive) out.directive = { ...s.directive, start: shift(s.directive.start), end: shift(s.directive.end) };
    return out;
  });
  const comments = previous.comments as SqlComment[];
  const firstIn = firstIndex(comments, (c) => c.start >= regionStart);
  const firstAfter = firstIndex(comments, (c) => c.start >= regionEnd);
  for (let j = firstAfter; j < comments.length; j++) {
    const c = comments[j] as SqlComment;
    c.start += delta;
    c.end += delta;
  }
  comments.splice(
    firstIn,
    firstAfter - firstIn,
    ...split.comments.map((c) => ({ ...c, text: ownCopy(c.text), start: c.start + regionStart, end: c.end + regionStart })),
  );
  const ignores = previous.ignores as IgnoreDirective[];
  for (const d of ignores) {
    if (d.start < regionEnd) continue;
    d.start += delta;
    d.end += delta;
  }

  const view: FileView = {
    path: previous.path,
    text,
    runner: previous.runner,
    sections,
    statements,
    config: previous.config,
    baseline: previous.baseline,
    lines: previous.lines.withEdit(text, change.from, change.oldTo),
  };
  const fresh: Finding[] = [];
  const checker = statementChecker(view, ignores, options, fresh);
  const holding = [...held.values()].sort((a, b) => a.index - b.index);
  // Held statements are checked as they are (invalid); the others see them with their held meaning.
  for (let k = 0; k < count; k++) if (changed[k] && held.has(i0 + k)) checker.check(statements[i0 + k] as Statement);
  withHeldMeanings(statements, holding, () => {
    for (let k = 0; k < count; k++) if (changed[k] && !held.has(i0 + k)) checker.check(statements[i0 + k] as Statement);
  });
  fresh.sort(byPosition);

  const carried: Finding[] = [];
  for (const f of previous.findings) {
    const k = f.statementIndex - i0;
    let by: number;
    if (f.rule === 'unused-ignore')
      by = f.start >= regionEnd ? delta : 0; // on the ignore comment, outside the region
    else if (k < 0) by = 0;
    else if (k >= count) by = delta;
    else if (changed[k])
      continue; // checked again above
    else by = moved[k] as number;
    f.start += by;
    f.end += by;
    carried.push(f);
  }
  const result = { ...view, findings: mergeSorted(carried, fresh), comments, ignores };
  if (holding.length === 0) return { ...result, fixesFor: checker.fixesFor };
  return { ...result, held: holding, fixesFor: (f) => withHeldMeanings(statements, holding, () => checker.fixesFor(f)) };
}

/** What `analyze` derives for a statement the parser rejects. */
function invalidMeaning(): Omit<StatementMeaning, 'kind'> & { kind: 'Invalid' } {
  return { kind: 'Invalid', node: undefined, noTransactionBlock: false, concurrently: false, effects: [], actions: [], cost: 'none' };
}

/**
 * Runs `fn` (rules) with the held statements showing their held meaning and valid text, as in the
 * analysis the rest of the file keeps; everything else sees them as the invalid statements they are.
 */
function withHeldMeanings<T>(statements: Statement[], held: readonly HeldStatement[], fn: () => T): T {
  if (held.length === 0) return fn();
  const now = held.map((h) => {
    const s = statements[h.index] as Statement;
    const current = { ...meaningOf(s), text: s.text };
    Object.assign(s, h.meaning, { text: h.validText });
    return current;
  });
  try {
    return fn();
  } finally {
    held.forEach((h, i) => Object.assign(statements[h.index] as Statement, now[i]));
  }
}

function meaningOf(s: Statement): StatementMeaning {
  return {
    kind: s.kind,
    node: s.node,
    noTransactionBlock: s.noTransactionBlock,
    concurrently: s.concurrently,
    effects: s.effects,
    actions: s.actions,
    cost: s.cost,
  };
}

/** Syntax trees equal apart from `location` fields (positions move when whitespace is typed). */
function sameTree(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameTree(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as AstObject;
  const bo = b as AstObject;
  const keys = Object.keys(ao);
  if (keys.length !== Object.keys(bo).length) return false;
  for (const k of keys) {
    if (k === 'location' || k === 'stmt_location' || k === 'stmt_len') continue;
    if (!(k in bo) || !sameTree(ao[k], bo[k])) return false;
  }
  return true;
}

/** First index whose item satisfies `pred` (false then true along the file), or the length. */
function firstIndex<T>(items: readonly T[], pred: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pred(items[mid] as T)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The stretch holds a line break or borders a "\r" (line numbers, which messages quote, would move). */
function touchesLineBreak(text: string, from: number, to: number): boolean {
  if (text.charCodeAt(from - 1) === 13 || text.charCodeAt(to) === 10) return true;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return true;
  }
  return false;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

function mergeSorted(a: Finding[], b: Finding[]): Finding[] {
  if (b.length === 0) return a;
  const out: Finding[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(byPosition(a[i] as Finding, b[j] as Finding) <= 0 ? (a[i++] as Finding) : (b[j++] as Finding));
  while (i < a.length) out.push(a[i++] as Finding);
  while (j < b.length) out.push(b[j++] as Finding);
  return out;
}
