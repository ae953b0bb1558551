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
    const picked: Finding[] = [];
    for (const severity of ORDER) {
      for (const f of all) {
        if (picked.length >= maxProblems) break;
        if (f.severity === severity) picked.push(f);
      }
    }
    picked.sort((a, b) => a.start - b.start || a.end - b.end);
    shown = picked;
  }
  const diagnostics = shown.map((f) => toDiagnostic(analysis, f));
  if (shown.length < all.length) {
    diagnostics.unshift({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Information,
      source: DIAGNOSTIC_SOURCE,
      code: 'too-many-problems',
      message: `Showing ${shown.length.toLocaleString('en-US')} of ${all.length.toLocaleString('en-US')} problems (pgMigrationGuard.maxNumberOfProblems): errors first, then warnings, then information. \`pg-migration-guard lint\` lists them all.`,
    });
  }
  for (const e of result.configErrors) {
    diagnostics.push({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Warning,
      source: DIAGNOSTIC_SOURCE,
      code: 'invalid-config',
      message: `${result.configPath ?? CONFIG_FILE}: ${e.key}: ${e.message}`,
    });
  }
  return diagnostics;
}
