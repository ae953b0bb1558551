/**
 * What the server publishes for one analysed document: its findings as diagnostics, capped at
 * pgMigrationGuard.maxNumberOfProblems (errors first, then warnings, then information, each in
 * file order) plus one notice naming how many were left out, and configuration errors.
 */
import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver/node';
import { DIAGNOSTIC_SOURCE } from '../../../protocol/protocol';
import type { Finding, Severity } from '../engine';
import { CONFIG_FILE } from '../node/config-loader';
import type { DocumentAnalysis } from './analyses';
import { toDiagnostic } from './convert';

const ORDER: readonly Severity[] = ['error', 'warning', 'info'];

export function diagnosticsFor(result: DocumentAnalysis, maxProblems: number): Diagnostic[] {
  const { analysis } = result;
  const all = analysis.findings;
  let shown: readonly Finding[] = all;
  if (all.length > maxProblems) {
    const kept = new Set<Finding>();
    for (const severity of ORDER) {
      for (const f of all) {
        if (kept.size >= maxProblems) break;
        if (f.severity === severity) kept.add(f);
      }
    }
    shown = all.filter((f) => kept.has(f)); // the analysis's own order
  }
  const diagnostics = shown.map((f) => toDiagnostic(analysis, f));
  if (shown.length < all.length) {
    diagnostics.unshift(
      fileNotice(
        'too-many-problems',
        DiagnosticSeverity.Information,
        `Showing ${shown.length.toLocaleString('en-US')} of ${all.length.toLocaleString('en-US')} problems (pgMigrationGuard.maxNumberOfProblems): errors first, then warnings, then information. \`pg-migration-guard lint\` lists them all.`,
      ),
    );
  }
  for (const e of result.configErrors)
    diagnostics.push(fileNotice('invalid-config', DiagnosticSeverity.Warning, `${result.configPath ?? CONFIG_FILE}: ${e.key}: ${e.message}`));
  return diagnostics;
}

/** A diagnostic about the whole file, shown at its first character. */
export function fileNotice(code: string, severity: DiagnosticSeverity, message: string): Diagnostic {
  return { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity, source: DIAGNOSTIC_SOURCE, code, message };
}
