/**
 * Entry of the VS Code suite (`extensionTestsPath`), the same under code-server (CI, see
 * ../run-code-server.mjs) and under @vscode/test-electron with desktop VS Code (../run-test-electron.mjs).
 * The extension under test is this checkout (`extensionDevelopmentPath`).
 */
import { defineDevScenarios } from './dev-scenarios';
import { runMocha } from './run-mocha';

export function run(): Promise<void> {
  return runMocha(defineDevScenarios);
}
