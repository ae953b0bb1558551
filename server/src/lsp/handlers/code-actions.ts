/** Per diagnostic: "Ignore <rule> for this statement" and "Show documentation for <rule>". */
import { type CodeAction, CodeActionKind, type CodeActionParams, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import { Commands, DIAGNOSTIC_SOURCE } from '../../../../protocol/protocol';
import type { Analysis } from '../../engine';
import type { DiagnosticData } from '../convert';

function isOurs(d: Diagnostic): d is Diagnostic & { code: string } {
  return d.source === DIAGNOSTIC_SOURCE && typeof d.code === 'string';
}

export function codeActionsFor(analysis: Analysis, params: CodeActionParams): CodeAction[] {
  const actions: CodeAction[] = [];
  const uri = params.textDocument.uri;
  for (const d of params.context.diagnostics.filter(isOurs)) {
    const rule = d.code;
    const data = d.data as DiagnosticData | undefined;
    const stmt = data ? analysis.statements[data.statementIndex] : undefined;
    if (stmt && rule !== 'unused-ignore') {
      const pos = analysis.lines.positionAt(stmt.start);
      const lineStart = analysis.lines.offsetAt({ line: pos.line, character: 0 });
      const indent = analysis.text.slice(lineStart, stmt.start).match(/^[ \t]*/)?.[0] ?? '';
      const eol = /\r\n/.test(analysis.text) ? '\r\n' : '\n';
      const edit: TextEdit = {
        range: { start: { line: pos.line, character: 0 }, end: { line: pos.line, character: 0 } },
        newText: `${indent}-- pg-migration-guard-ignore ${rule}: reason${eol}`,
      };
      actions.push({ title: `Ignore ${rule} for this statement`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { changes: { [uri]: [edit] } } });
    }
    actions.push({
      title: `Show documentation for ${rule}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      command: { title: `Show documentation for ${rule}`, command: Commands.showRuleDocumentation, arguments: [rule] },
    });
  }
  return actions;
}
