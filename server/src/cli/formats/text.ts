/** Human output: `path:line:col: severity [rule] message`, then the help, then a summary. */
import type { FileResult } from '../../node/lint-file';

export function formatText(results: readonly FileResult[], displayPath: (p: string) => string, color: boolean): string {
  const paint = (code: string, s: string): string => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const r of results) {
    for (const f of r.analysis.findings) {
      const pos = r.analysis.lines.positionAt(f.start);
      const sev = f.severity === 'error' ? paint('31', 'error') : f.severity === 'warning' ? paint('33', 'warning') : paint('36', 'info');
      if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
      else infos++;
      lines.push(`${displayPath(r.path)}:${pos.line + 1}:${pos.character + 1}: ${sev} [${f.rule}] ${f.message}`);
      if (f.help) lines.push(`  ${paint('2', 'help:')} ${f.help}`);
    }
  }
  const files = results.length;
  lines.push(
    `${files} file${files === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${infos} info.`,
  );
  return lines.join('\n');
}
