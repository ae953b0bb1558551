/** Rules of catalogue group C (see rules/index.ts): transaction and timeout policy. */
import type { Rule } from '../server/src/engine';
import { banUnbatchedDataChange } from './ban-unbatched-data-change';
import { requireLockTimeout } from './require-lock-timeout';
import { requireStatementTimeout } from './require-statement-timeout';
import { reviewAccessExclusiveLockWindow } from './review-access-exclusive-lock-window';
import { reviewTransactionControl } from './review-transaction-control';

export const groupC: readonly Rule[] = [
  banUnbatchedDataChange,
  requireLockTimeout,
  requireStatementTimeout,
  reviewAccessExclusiveLockWindow,
  reviewTransactionControl,
];
