/**
 * Restricted Mode: everything that reads the workspace's files works; everything that connects to
 * a PostgreSQL server (tracing, the configured database) waits until the user trusts the workspace,
 * since a workspace's settings and migrations could otherwise make the editor run its SQL.
 */
import { commands, window, workspace } from 'vscode';

export const RESTRICTED_MESSAGE = 'Database features are off in Restricted Mode: trust this workspace to trace migrations or read table sizes.';

/** True when database features may run; otherwise tells the user why nothing happens. */
export function databaseFeaturesAllowed(): boolean {
  if (workspace.isTrusted) return true;
  void window.showInformationMessage(RESTRICTED_MESSAGE, 'Manage Workspace Trust').then((choice) => {
    if (choice) void commands.executeCommand('workbench.trust.manage');
  });
  return false;
}
