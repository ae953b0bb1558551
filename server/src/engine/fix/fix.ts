/**
 * A fix rewrites unsafe DDL into its safe shape. It is data: edits to the current file (UTF-16
 * offsets of the analysed text) and new files (a following migration, a backfill script), so the
 * language server, the CLI and tests apply the very same change.
 */

export interface EditStep {
  kind: 'edit';
  start: number;
  end: number;
  newText: string;
}

export interface CreateStep {
  kind: 'create';
  /** Path of the new file, next to the current migration (absolute when the current path is). */
  path: string;
  content: string;
  /** A migration the runner will pick up, or a script the operator runs by hand. */
  role: 'migration' | 'script';
}

export type FixStep = EditStep | CreateStep;

export interface Fix {
  /** Imperative and specific: "Build events_kind_idx concurrently in a new migration". */
  title: string;
  /** `safe`: same schema, weaker locks; `review`: changes behaviour or needs data work. */
  safety: 'safe' | 'review';
  steps: FixStep[];
  preferred?: boolean;
}

/** Applies a fix's edits to `text` (back to front, so offsets stay valid). */
export function applyEdits(text: string, steps: readonly FixStep[]): string {
  const edits = steps.filter((s): s is EditStep => s.kind === 'edit').sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** `[fix]`, or no fixes when a recipe does not apply. */
export function fixesOf(...fixes: Array<Fix | undefined>): Fix[] {
  return fixes.filter((f): f is Fix => f !== undefined);
}
