import type { FileResult } from '../../node/lint-file';

/**
 * An output format, fed one file at a time so the CLI can drop each analysis once it is written
 * (linting a thousand files keeps one in memory). `file` and `end` return text to print.
 */
export interface Reporter {
  file(result: FileResult): string;
  end(): string;
}
