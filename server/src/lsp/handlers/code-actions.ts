/** Per diagnostic: "Ignore <rule> for this statement" and "Show documentation for <rule>". */
import { pathToFileURL } from 'node:url';
import {
  type CodeAction,
  CodeActionKind,
  type CodeActionParams,
  CreateFile,
  type Diagnostic,
  TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { Commands, DIAGNOSTIC_SOURCE } from '../../../../protocol/protocol';
import type { Analysis, CreateStep, EditStep, Fix } from '../../engine';
import type { DiagnosticData } from '../convert';

function isOurs(d: Diagnostic): d is Diagnostic & { code: string } {
  return d.source === DIAGNOSTIC_SOURCE && typeof d.code === 'string';
}

export interface EditCapabilities {
  /** The client applies `documentChanges` (versioned edits). */
  documentChanges: boolean;
  /** The client can create files inside a WorkspaceEdit. */
  createFiles: boolean;
}

/** A fix as a WorkspaceEdit: new files first (CreateFile + their content), then the versioned edit of this document. */
export function workspaceEditFor(analysis: Analysis, fix: Fix, uri: string, version: number, caps: EditCapabilities): WorkspaceEdit | undefined {
  const creates = fix.steps.filter((s): s is CreateStep => s.kind === 'create');
  if (creates.length > 0 && !(caps.documentChanges && caps.createFiles)) return undefined;
  const edits: TextEdit[] = fix.steps
    .filter((s): s is EditStep => s.kind === 'edit')
    .map((s) => ({ range: analysis.lines.rangeOf(s.start, s.end), newText: s.newText }));
  if (!caps.documentChanges) return { changes: { [uri]: edits } };
  const changes: Array<CreateFile | TextDocumentEdit> = [];
  for (const c of creates) {
    const target = pathToFileURL(c.path).toString();
    changes.push(CreateFile.create(target, { overwrite: false, ignoreIfExists: false }));
    changes.push(
      TextDocumentEdit.create({ uri: target, version: null }, [
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: c.content },
      ]),
    );
  }
  if (edits.length > 0) changes.push(TextDocumentEdit.create({ uri, version }, edits));
  return { documentChanges: changes };
}

export function codeActionsFor(analysis: Analysis, params: CodeActionParams, version: number, caps: EditCapabilities): CodeAction[] {
  const actions: CodeAction[] = [];
  const uri = params.textDocument.uri;
  for (const d of params.context.diagnostics.filter(isOurs)) {
    const rule = d.code;
    const data = d.data as DiagnosticData | undefined;
    const stmt = data ? analysis.statements[data.statementIndex] : undefined;
    const finding = data ? analysis.findings.find((f) => f.rule === rule && f.statementIndex === data.statementIndex) : undefined;
    for (const fix of finding?.fixes ?? []) {
      const edit = workspaceEditFor(analysis, fix, uri, version, caps);
      if (edit) actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: fix.preferred === true, edit });
    }
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
