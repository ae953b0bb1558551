/**
 * Cuts a file into the sections its runner executes separately (up / down), and says for each how
 * the runner sends it: inside its own transaction or not, as one query string or statement by
 * statement. Facts per runner (read from their sources):
 * - dbmate: BEGIN; the whole section in one Exec; ledger insert; COMMIT. `transaction:false`
 *   still sends the section as one string, so Postgres runs it as one implicit transaction.
 * - goose: one Exec per statement, inside a transaction unless `-- +goose NO TRANSACTION`.
 * - golang-migrate: the whole file in one Exec, no runner transaction (implicit transaction).
 * - Flyway: one JDBC statement at a time in a transaction; `executeInTransaction=false` in the
 *   script's `.sql.conf`, or a script made only of non-transactional statements, runs without one.
 * - Prisma: the whole script as one query (implicit transaction); newer engines split it.
 * - diesel: BEGIN; the whole file in one batch; COMMIT. `run_in_transaction = false` still one batch.
 * - Atlas: statement by statement, in a transaction per file unless `-- atlas:txmode none`.
 * - sqitch and plain files: psql -f, each statement autocommits unless the file says BEGIN.
 */
import type { SqlComment } from '../parse/split';
import type { RunnerId, Sidecars } from './runner';

export type SectionKind = 'up' | 'down';

export interface Section {
  kind: SectionKind;
  /** UTF-16 offset range covered by the section. */
  start: number;
  end: number;
  /** The runner wraps the section in its own transaction. */
  wrapped: boolean;
  /** The runner sends the section as one query string (implicit transaction when > 1 statement). */
  oneString: boolean;
  /** Where the directive that opened the section is, if any. */
  directive?: { start: number; end: number; text: string };
}

const DBMATE = /^--\s*migrate:(up|down)\b(.*)$/i;
const GOOSE_SECTION = /^--\s*\+goose\s+(up|down)\b/i;
const GOOSE_NO_TX = /^--\s*\+goose\s+NO\s+TRANSACTION\b/i;
const ATLAS_TXMODE = /^--\s*atlas:txmode\s+(\w+)/i;

export function sectionsFor(runner: RunnerId, path: string | undefined, text: string, comments: readonly SqlComment[], sidecars: Sidecars): Section[] {
  const whole = (kind: SectionKind, wrapped: boolean, oneString: boolean): Section[] => [{ kind, start: 0, end: text.length, wrapped, oneString }];
  const file = (path ?? '').split(/[\\/]/).pop() ?? '';
  switch (runner) {
    case 'dbmate':
      return markerSections(text, comments, DBMATE, (m) => ({ wrapped: !/\btransaction:\s*false\b/i.test(m[2] ?? ''), oneString: true }));
    case 'goose': {
      const noTx = comments.some((c) => c.kind === 'line' && GOOSE_NO_TX.test(c.text));
      return markerSections(text, comments, GOOSE_SECTION, () => ({ wrapped: !noTx, oneString: false }));
    }
    case 'golang-migrate':
      return whole(/\.down\.sql$/i.test(file) ? 'down' : 'up', false, true);
    case 'flyway': {
      const conf = sidecars.flywayConf ?? '';
      const inTx = !/^\s*executeInTransaction\s*=\s*false\s*$/im.test(conf);
      return whole(/^U/.test(file) ? 'down' : 'up', inTx, false);
    }
    case 'prisma':
      return whole('up', false, true);
    case 'diesel': {
      const meta = sidecars.dieselMetadata ?? '';
      const inTx = !/^\s*run_in_transaction\s*=\s*false\s*$/m.test(meta);
      return whole(file === 'down.sql' ? 'down' : 'up', inTx, true);
    }
    case 'atlas': {
      const mode = comments.map((c) => ATLAS_TXMODE.exec(c.text)?.[1]?.toLowerCase()).find((m) => m !== undefined);
      return whole('up', mode !== 'none', false);
    }
    case 'sqitch':
      return whole(/[\\/]revert[\\/]/.test(path ?? '') ? 'down' : 'up', false, false);
    case 'plain':
      return whole('up', false, false);
  }
}

/** Sections opened by marker comments (dbmate, goose). Text before the first marker counts as `up`. */
function markerSections(
  text: string,
  comments: readonly SqlComment[],
  marker: RegExp,
  options: (m: RegExpExecArray) => { wrapped: boolean; oneString: boolean },
): Section[] {
  const sections: Section[] = [];
  for (const c of comments) {
    if (c.kind !== 'line' || !c.ownLine) continue;
    const m = marker.exec(c.text);
    if (!m) continue;
    const kind: SectionKind = (m[1] ?? '').toLowerCase() === 'down' ? 'down' : 'up';
    const prev = sections[sections.length - 1];
    if (prev) prev.end = c.start;
    sections.push({ kind, start: c.start, end: text.length, ...options(m), directive: { start: c.start, end: c.end, text: c.text } });
  }
  if (sections.length === 0) return [{ kind: 'up', start: 0, end: text.length, ...options(/()()/.exec('') as RegExpExecArray) }];
  const first = sections[0];
  if (first && first.start > 0) first.start = 0;
  return sections;
}
