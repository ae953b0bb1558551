/**
 * The checklist's per-file state (checkboxes, measured timing and rows), kept in the workspace
 * state so it survives reloads. Keyed by document URI.
 */
import { type ChecklistItemId, type ChecklistState, sanitizeState } from './page-messages';

/** The part of vscode.Memento used here (workspaceState implements it). */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const PREFIX = 'pgMigrationGuard.checklist:';

export class ChecklistStateStore {
  constructor(private readonly store: StateStore) {}

  get(uri: string): ChecklistState {
    return sanitizeState(this.store.get<unknown>(PREFIX + uri));
  }

  setChecked(uri: string, item: ChecklistItemId, checked: boolean): Thenable<void> {
    const s = this.get(uri);
    s.checked[item] = checked;
    return this.store.update(PREFIX + uri, s);
  }

  setMeasured(uri: string, seconds: number | null, rows: number | null): Thenable<void> {
    const s = this.get(uri);
    if (seconds === null) delete s.measuredSeconds;
    else s.measuredSeconds = seconds;
    if (rows === null) delete s.measuredRows;
    else s.measuredRows = rows;
    return this.store.update(PREFIX + uri, s);
  }
}
