/** Human output: `path:line:col: severity [rule] message`, then the help; a summary at the end. */
import type { FileResult } from '../../node/lint-file';
import type { Reporter } from './reporter';

export function textReporter(displayPath: (p: string) => string, color: boolean): Reporter {
  const paint = (code: string, s: string): string => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  let files = 0;
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  return {
    file(r: FileResult): string {
      files++;
      const lines: string[] = [];
      for (const f of r.analysis.findings) {
        const pos = r.analysis.lines.positionAt(f.start);
        const sev = f.severity === 'error' ? paint('31', 'error') : f.severity === 'warning' ? paint('33', 'warning') : paint('36', 'info');
        if (f.severity === 'error') errors++;
        else if (f.severity === 'warning') warnings++;
        else infos++;
        lines.push(`${displayPath(r.path)}:${pos.line + 1}:${pos.character + 1}: ${sev} [${f.rule}] ${f.message}`);
        if (f.help) lines.push(`  ${paint('2', 'help:')} ${f.help}`);
      }
      return lines.length ? `${lines.join('\n')}\n` : '';
    },
    end(): string {
      return `${files} file${files === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${infos} info.\n`;
    },
  };
}
