import type { FileResult } from '../../node/lint-file';

/**
 * An output format, fed one file at a time so the CLI can drop each analysis once it is written
 * (linting a thousand files keeps one in memory). `file` and `end` return text to print; `file` may
 * return it in pieces, printed as they come (one large file need not become one large string).
 */
export interface Reporter {
  file(result: FileResult): string | Iterable<string>;
  end(): string;
}
