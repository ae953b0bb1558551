/**
 * The messages between the checklist page (media/checklist/checklist.js) and the extension, and
 * their validation: a message from the page is untrusted input and is checked field by field
 * before anything acts on it. No vscode import, so tests use it as is.
 */
import type { ChecklistData } from '../../../protocol/protocol';

/** The five checklist items; their checkboxes persist per file. */
export const CHECKLIST_ITEMS = ['time', 'costComment', 'timeout', 'recovery', 'bootCheck'] as const;
export type ChecklistItemId = (typeof CHECKLIST_ITEMS)[number];

/** What the page remembers per file (workspace state). */
export interface ChecklistState {
  checked: Partial<Record<ChecklistItemId, boolean>>;
  /** Measured duration of the migration, in seconds. */
  measuredSeconds?: number;
  /** Row count the measurement was made on. */
  measuredRows?: number;
}

/** Extension → page. */
export type HostMessage = { type: 'render'; data: ChecklistData; state: ChecklistState } | { type: 'notice'; text: string; level: 'info' | 'error' };

/** Page → extension. */
export type PageMessage =
  | { type: 'ready' }
  | { type: 'setChecked'; item: ChecklistItemId; checked: boolean }
  | { type: 'setMeasured'; seconds: number | null; rows: number | null }
  | { type: 'writeCostComment'; seconds: number; rows: number }
  | { type: 'copyRecoverySnippet' }
  | { type: 'insertRecoverySnippet' }
  | { type: 'revealLine'; line: number };

/** Upper bounds that keep nonsense out of workspace state and the file. */
const MAX_SECONDS = 7 * 24 * 3600;
const MAX_ROWS = 1e13;
const MAX_LINE = 10_000_000;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function hasOnlyKeys(x: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(x).every((k) => keys.includes(k));
}

const isAmount = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= max;
const isItem = (v: unknown): v is ChecklistItemId => typeof v === 'string' && (CHECKLIST_ITEMS as readonly string[]).includes(v);

export function isPageMessage(x: unknown): x is PageMessage {
  if (!isRecord(x) || typeof x['type'] !== 'string') return false;
  switch (x['type']) {
    case 'ready':
    case 'copyRecoverySnippet':
    case 'insertRecoverySnippet':
      return hasOnlyKeys(x, ['type']);
    case 'setChecked':
      return hasOnlyKeys(x, ['type', 'item', 'checked']) && isItem(x['item']) && typeof x['checked'] === 'boolean';
    case 'setMeasured':
      return (
        hasOnlyKeys(x, ['type', 'seconds', 'rows']) &&
        (x['seconds'] === null || isAmount(x['seconds'], MAX_SECONDS)) &&
        (x['rows'] === null || isAmount(x['rows'], MAX_ROWS))
      );
    case 'writeCostComment':
      return hasOnlyKeys(x, ['type', 'seconds', 'rows']) && isAmount(x['seconds'], MAX_SECONDS) && isAmount(x['rows'], MAX_ROWS);
    case 'revealLine':
      return hasOnlyKeys(x, ['type', 'line']) && Number.isInteger(x['line']) && isAmount(x['line'], MAX_LINE) && (x['line'] as number) >= 1;
    default:
      return false;
  }
}

/** A stored state, cleaned: unknown keys and bad values are dropped (workspace state may hold an older shape). */
export function sanitizeState(x: unknown): ChecklistState {
  const state: ChecklistState = { checked: {} };
  if (!isRecord(x)) return state;
  const checked = x['checked'];
  if (isRecord(checked)) for (const item of CHECKLIST_ITEMS) if (typeof checked[item] === 'boolean') state.checked[item] = checked[item];
  if (isAmount(x['measuredSeconds'], MAX_SECONDS)) state.measuredSeconds = x['measuredSeconds'];
  if (isAmount(x['measuredRows'], MAX_ROWS)) state.measuredRows = x['measuredRows'];
  return state;
}
