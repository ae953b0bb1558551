/** The analysis core's public API. Imports nothing from vscode, LSP libraries or node:fs. */
export { analyze, byPosition, SYNTAX_ERROR, UNUSED_IGNORE, type Analysis, type AnalyzeOptions, type Finding, type HeldStatement } from './analyze';
export { changeBetween, reanalyze, type TextChange } from './incremental';
export {
  defaultConfig,
  tableSize,
  mergeConfig,
  withDatabaseFacts,
  type DatabaseFacts,
  validateConfig,
  DEFAULT_MIGRATION_GLOBS,
  type ConfigError,
  type GuardConfig,
  type RuleSetting,
  type Severity,
  type TableSize,
} from './config';
export { describeBlocking, blocking, lockStrength, strongest, LOCK_MODES, type LockMode } from './effects/locks';
export type { Action, CostClass, Effect } from './effects/effect';
export { defineRule, type FileView, type Report, type Rule, type RuleContext, type RuleMeta } from './lint/rule';
export { detectRunner, isRunnerId, RUNNER_IDS, type RunnerId, type RunnerInfo, type Sidecars } from './model/runner';
export type { Section, SectionKind } from './model/sections';
export type { Statement, TransactionContext } from './model/statement';
export { loadParser, isParserReady } from './parse/parser';
export { ParseCache } from './parse/pieces';
export { splitSql } from './parse/split';
export { LineIndex, byteToCharOffset, type Position, type Range } from './text/line-index';
export * as ast from './parse/ast';
export * as ddl from './effects/ddl-facts';
export {
  existingTableEffect,
  formatRows,
  IDENT_TOKEN,
  keywordRange,
  lineOf,
  lineRangeFrom,
  namedMatchRange,
  namesIdentifier,
  severityForSize,
  sizeNote,
} from './lint/helpers';
export { outsideTransactionAdvice, transactionReason } from './model/runner-advice';
export { transactionKind } from './model/transactions';
export { derivedName, quoteIdent, quoteQualified } from './text/sql-text';
export { buildBaseline, runnerOf, type MigrationText } from './schema/baseline';
export { SchemaModel, type KnownColumn, type KnownIndexDef, type KnownTable } from './schema/schema-model';
export { canonicalType, describeType, typeChangeVerdict, type TypeChangeVerdict } from './effects/type-change';
export type { TypeRef, RelationRef, AstObject } from './parse/ast';
export { compareVersions } from './schema/versions';
export { recoverySnippet, type RecoveryInput, type RecoveryOptions, type RecoverySnippet } from './recovery/recovery-snippet';
export { applyEdits, fixesOf, type CreateStep, type EditStep, type Fix, type FixStep } from './fix/fix';
export { followingMigration, nextVersion, placeOutsideTransaction, removeStatement, slugify, type FixEnvironment, type MigrationBody } from './fix/placement';
export {
  concurrentCreateIndex,
  concurrentDropIndex,
  concurrentDropIndexFix,
  concurrentIndexFix,
  notValidThenValidateFix,
  runAloneFix,
  setNotNullFix,
  splitAcrossMigrationsFix,
} from './fix/recipes';
export {
  addedConstraints,
  addedForeignKeys,
  fileIndexesColumns,
  foreignKeyColumnsIndexed,
  type AddedConstraint,
  type AddedForeignKey,
} from './lint/added-constraints';
export { checklistData, DEFAULT_STATEMENT_TIMEOUT, type ChecklistOptions } from './checklist/checklist-data';
export { costCommentEdit, costCommentText, findCostComment, isCostMeasurement, type CostMeasurement, type ParsedCostComment } from './checklist/cost-comment';
export { createdObjects, referencesTo, type CreatedObject } from './checklist/dependencies';
export { formatDuration, parseDurationMs } from './checklist/durations';
export { followingMigrations, type ChainLink } from './fix/placement';
export { generatedColumnFix } from './fix/generated-column';
export { volatileDefaultFix } from './fix/volatile-default';
export { expandContractFix } from './fix/expand-contract';
export { foreignKeyIndexName, indexBeforeForeignKeyFix, indexNewChildFix, type UnindexedForeignKey } from './fix/index-before-fk';
export { placeRecipe, runsStatementByStatement, type RecipeStep } from './fix/chain';
export { keyUsingIndexFix } from './fix/unique-using-index';
export { concurrentDetachFix, concurrentRefreshFix, concurrentReindexFix } from './fix/concurrent-forms';
export { DEFAULT_LOCK_TIMEOUT, lockTimeoutFix } from './fix/lock-timeout';
export { guardedBefore, guardedConcurrentIndexFix } from './fix/guarded-concurrent-index';
export { fixAll, type FixAllEvent, type FixAllOptions, type FixAllResult } from './fix/fix-all';
