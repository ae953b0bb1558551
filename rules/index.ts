/** The rule registry. Every rule here has `<id>.ts`, `<id>.md` and `<id>.test.ts`. */
import type { Rule } from '../server/src/engine';
import { banAddStoredGeneratedColumn } from './ban-add-stored-generated-column';
import { banConcurrentIndexIfNotExists } from './ban-concurrent-index-if-not-exists';
import { banConcurrentlyInTransaction } from './ban-concurrently-in-transaction';
import { requireConcurrentIndexCreation } from './require-concurrent-index-creation';
import { requireConcurrentIndexDeletion } from './require-concurrent-index-deletion';
import { requireValidatedCheckForSetNotNull } from './require-validated-check-for-set-not-null';
import { reviewCascadingForeignKey } from './review-cascading-foreign-key';
import { groupA } from './group-a';
import { groupB } from './group-b';
import { groupC } from './group-c';
import { groupD } from './group-d';

const seedRules: readonly Rule[] = [
  banAddStoredGeneratedColumn,
  banConcurrentIndexIfNotExists,
  banConcurrentlyInTransaction,
  requireConcurrentIndexCreation,
  requireConcurrentIndexDeletion,
  requireValidatedCheckForSetNotNull,
  reviewCascadingForeignKey,
];

/** Every rule, sorted by id (catalogue groups keep their own lists so they can grow independently). */
export const allRules: readonly Rule[] = [...seedRules, ...groupA, ...groupB, ...groupC, ...groupD].sort((a, b) => a.meta.id.localeCompare(b.meta.id));

/** Ids the engine reports itself; documented in rules/ like the others. */
export const engineRuleIds: readonly string[] = ['syntax-error', 'unused-ignore'];

export const ruleIds: ReadonlySet<string> = new Set([...allRules.map((r) => r.meta.id), ...engineRuleIds]);
