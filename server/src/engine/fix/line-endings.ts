/** Fix text is written with `\n`; a CRLF file gets CRLF in its edits and in the files created beside it. */
import type { FixStep } from './fix';

export function withEol(text: string, eol: '\r\n' | '\n'): string {
  return eol === '\n' ? text.replace(/\r\n/g, '\n') : text.replace(/\r?\n/g, '\r\n');
}

/** `steps` with every inserted text and created file in the line ending `eol`. */
export function stepsWithEol(steps: readonly FixStep[], eol: '\r\n' | '\n'): FixStep[] {
  return steps.map((s) => (s.kind === 'edit' ? { ...s, newText: withEol(s.newText, eol) } : { ...s, content: withEol(s.content, eol) }));
}
