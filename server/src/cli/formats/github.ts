/** GitHub Actions workflow commands: annotations on the pull request's diff. */
import type { FileResult } from '../../node/lint-file';
import type { Reporter } from './reporter';

const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function githubReporter(displayPath: (p: string) => string): Reporter {
  return { file: (r) => githubFile(r, displayPath), end: () => '' };
}

function githubFile(r: FileResult, displayPath: (p: string) => string): string {
  const out: string[] = [];
  {
    for (const f of r.analysis.findings) {
      const range = r.analysis.lines.rangeOf(f.start, f.end);
      const level = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
      const props = [
        `file=${escapeProperty(displayPath(r.path))}`,
        `line=${range.start.line + 1}`,
        `col=${range.start.character + 1}`,
        `endLine=${range.end.line + 1}`,
        `endColumn=${range.end.character + 1}`,
        `title=${escapeProperty(`pg-migration-guard ${f.rule}`)}`,
      ].join(',');
      out.push(`::${level} ${props}::${escapeData(f.message + (f.help ? `\n${f.help}` : ''))}`);
    }
  }
  return out.length ? `${out.join('\n')}\n` : '';
}
