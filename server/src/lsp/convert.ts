/** The only place engine results become LSP types (positions are already UTF-16 in the engine). */
import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver/node';
import { DIAGNOSTIC_SOURCE } from '../../../protocol/protocol';
import type { Analysis, Finding, Severity } from '../engine';
import { ruleDocUrl } from '../node/package-root';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export interface DiagnosticData {
  statementIndex: number;
  help?: string;
}

export function toDiagnostic(analysis: Analysis, f: Finding): Diagnostic {
  const data: DiagnosticData = { statementIndex: f.statementIndex };
  if (f.help !== undefined) data.help = f.help;
  return {
    range: analysis.lines.rangeOf(f.start, f.end),
    severity: SEVERITY[f.severity],
    code: f.rule,
    codeDescription: { href: ruleDocUrl(f.rule) },
    source: DIAGNOSTIC_SOURCE,
    message: f.help ? `${f.message}\n${f.help}` : f.message,
    data,
  };
}
