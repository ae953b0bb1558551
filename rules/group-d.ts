/** Rules of catalogue group D (see rules/index.ts): renames, domain constraints, statement shape, identifiers. */
import type { Rule } from '../server/src/engine';
import { banDomainConstraint } from './ban-domain-constraint';
import { banLongIdentifier } from './ban-long-identifier';
import { banRenameColumn } from './ban-rename-column';
import { banRenameSchema } from './ban-rename-schema';
import { banRenameTable } from './ban-rename-table';
import { preferIdempotentDdl } from './prefer-idempotent-ddl';
import { preferSingleAlterTable } from './prefer-single-alter-table';
import { reviewConcurrentIndexOnPg14 } from './review-concurrent-index-on-pg14';
import { reviewWideIndex } from './review-wide-index';

export const groupD: readonly Rule[] = [
  banDomainConstraint,
  banLongIdentifier,
  banRenameColumn,
  banRenameSchema,
  banRenameTable,
  preferIdempotentDdl,
  preferSingleAlterTable,
  reviewConcurrentIndexOnPg14,
  reviewWideIndex,
];
