/**
 * Per diagnostic: the rule's fixes, "Ignore <rule> for this statement" (then the `reason`
 * placeholder is selected) and "Show documentation for <rule>". Per file, on request: the source
 * action "Fix all safe rewrites in this file", the engine's fixAll as `pg-migration-guard fix` runs it.
 */
import { existsSync } from 'node:fs';
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
import { allRules } from '../../../../rules';
import { analyze, type Analysis, type CreateStep, type EditStep, type Fix, fixAll, type Range } from '../../engine';
import { readSidecars } from '../../node/sidecars';
import { listingOnce } from '../../node/fix-environment';
import { filePath } from '../analyses';
import type { DiagnosticData } from '../convert';

/** The source action kind of "Fix all safe rewrites in this file". */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.pg-migration-guard`;

function isOurs(d: Diagnostic): d is Diagnostic & { code: string } {
  return d.source === DIAGNOSTIC_SOURCE && typeof d.code === 'string';
}

export interface EditCapabilities {
  /** The client applies `documentChanges` (versioned edits). */
  documentChanges: boolean;
  /** The client can create files inside a WorkspaceEdit. */
  createFiles: boolean;
  /** The client supports window/showDocument (with a selection). */
  showDocument?: boolean;
}

/** Whether a request's `only` filter admits `kind` (no filter admits everything). */
function admits(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
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
  const only = params.context.only;
  // Source actions only when asked for by kind (the editor's "Source Action…" menu, or on save).
  if (only?.some((o) => admits([o], FIX_ALL_KIND))) {
    const all = fixAllAction(analysis, uri, version, caps);
    if (all) actions.push(all);
  }
  if (!admits(only, CodeActionKind.QuickFix)) return actions;
  for (const d of params.context.diagnostics.filter(isOurs)) {
    const rule = d.code;
    const data = d.data as DiagnosticData | undefined;
    const stmt = data ? analysis.statements[data.statementIndex] : undefined;
    const finding = data ? analysis.findings.find((f) => f.rule === rule && f.statementIndex === data.statementIndex) : undefined;
    for (const fix of finding ? analysis.fixesFor(finding) : []) {
      const edit = workspaceEditFor(analysis, fix, uri, version, caps);
      if (edit) actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: fix.preferred === true, edit });
    }
    if (stmt && rule !== 'unused-ignore') {
      const pos = analysis.lines.positionAt(stmt.start);
      const lineStart = analysis.lines.offsetAt({ line: pos.line, character: 0 });
      const indent = analysis.text.slice(lineStart, stmt.start).match(/^[ \t]*/)?.[0] ?? '';
      const eol = /\r\n/.test(analysis.text) ? '\r\n' : '\n';
      const comment = `-- pg-migration-guard-ignore ${rule}: `;
      const edit: TextEdit = {
        range: { start: { line: pos.line, character: 0 }, end: { line: pos.line, character: 0 } },
        newText: `${indent}${comment}${PLACEHOLDER}${eol}`,
      };
      const action: CodeAction = {
        title: `Ignore ${rule} for this statement`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        edit: { changes: { [uri]: [edit] } },
      };
      if (caps.showDocument) {
        // After the edit, the inserted comment is on the statement's old line: select its placeholder to type over it.
        const character = indent.length + comment.length;
        const placeholder: Range = { start: { line: pos.line, character }, end: { line: pos.line, character: character + PLACEHOLDER.length } };
        action.command = { title: 'Select the reason', command: Commands.selectRange, arguments: [uri, placeholder] };
      }
      actions.push(action);
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

/** The text the ignore comment leaves for its reason. */
const PLACEHOLDER = 'reason';

/**
 * Every preferred `safe` fix of the file in one WorkspaceEdit: the document's new text (one edit
 * over the part that changed) and the migrations the fixes create. Without file creation in the
 * client, fixes that need a new file are left out.
 */
export function fixAllAction(analysis: Analysis, uri: string, version: number, caps: EditCapabilities): CodeAction | undefined {
  const path = filePath(uri);
  const sidecars = path ? readSidecars(path) : {};
  const canCreate = caps.documentChanges && caps.createFiles && path !== undefined;
  const result = fixAll(
    analysis.text,
    (text, fixEnv) =>
      analyze(text, {
        config: analysis.config,
        rules: allRules,
        sidecars,
        ...(analysis.path !== undefined ? { path: analysis.path } : {}),
        ...(analysis.baseline ? { baseline: analysis.baseline } : {}),
        ...(fixEnv ? { fixEnv } : {}),
      }),
    canCreate ? listingOnce() : undefined,
    { safeOnly: true, exists: existsSync },
  );
  const applied = result.events.filter((e) => e.kind === 'applied').length;
  if (applied === 0) return undefined;
  const steps = [...result.created, ...changedSpan(analysis.text, result.text)];
  const edit = workspaceEditFor(analysis, { title: 'Fix all', safety: 'safe', steps }, uri, version, caps);
  if (!edit) return undefined;
  return { title: `Fix all safe rewrites in this file (${applied} fix${applied === 1 ? '' : 'es'})`, kind: FIX_ALL_KIND, edit };
}

/** One edit replacing only the span between the common prefix and suffix of `before` and `after`. */
function changedSpan(before: string, after: string): EditStep[] {
  if (before === after) return [];
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  // Never split a CRLF pair or a surrogate pair at either end.
  const split = (t: string, i: number): boolean => i > 0 && i < t.length && ((t[i - 1] === '\r' && t[i] === '\n') || /[\uD800-\uDBFF]/.test(t[i - 1] ?? ''));
  while (start > 0 && (split(before, start) || split(after, start))) start--;
  while (end > 0 && (split(before, before.length - end) || split(after, after.length - end))) end--;
  return [{ kind: 'edit', start, end: before.length - end, newText: after.slice(start, after.length - end) }];
}
