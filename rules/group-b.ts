/** Rules of catalogue group B (see rules/index.ts). */
import type { Rule } from '../server/src/engine';
import { banCluster } from './ban-cluster';
import { banTruncate } from './ban-truncate';
import { banVacuumFull } from './ban-vacuum-full';
import { banValidateInSameTransaction } from './ban-validate-in-same-transaction';
import { preferPrimaryKeyUsingIndex } from './prefer-primary-key-using-index';
import { preferUniqueConstraintUsingIndex } from './prefer-unique-constraint-using-index';
import { requireConcurrentMaterializedViewRefresh } from './require-concurrent-materialized-view-refresh';
import { requireConcurrentPartitionDetach } from './require-concurrent-partition-detach';
import { requireConcurrentReindex } from './require-concurrent-reindex';
import { requireIndexOnForeignKey } from './require-index-on-foreign-key';
import { requireNotValidCheck } from './require-not-valid-check';
import { requireNotValidForeignKey } from './require-not-valid-foreign-key';
import { reviewAttachPartition } from './review-attach-partition';
import { reviewExclusionConstraint } from './review-exclusion-constraint';
import { reviewTriggerChange } from './review-trigger-change';

export const groupB: readonly Rule[] = [
  banCluster,
  banTruncate,
  banVacuumFull,
  banValidateInSameTransaction,
  preferPrimaryKeyUsingIndex,
  preferUniqueConstraintUsingIndex,
  requireConcurrentMaterializedViewRefresh,
  requireConcurrentPartitionDetach,
  requireConcurrentReindex,
  requireIndexOnForeignKey,
  requireNotValidCheck,
  requireNotValidForeignKey,
  reviewAttachPartition,
  reviewExclusionConstraint,
  reviewTriggerChange,
];
