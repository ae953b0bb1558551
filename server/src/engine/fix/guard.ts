/**
 * A check at the top of a migration that must not run before the operator's backfill finished: it
 * fails the migration (and so the deploy) instead of letting a swap or a NOT NULL meet empty rows.
 */
import { quoteQualified } from '../text/sql-text';
import { dollarTag } from './sql-source';

/** `DO` block raising when a row of `table` still matches `pending`. */
export function backfillGuard(table: string, pending: string, message: string): string {
  const body = [
    'BEGIN',
    `  IF EXISTS (SELECT 1 FROM ${quoteQualified(table)} WHERE ${pending}) THEN`,
    `    RAISE EXCEPTION '${message.replace(/'/g, "''")}';`,
    '  END IF;',
    'END',
  ].join('\n');
  const tag = dollarTag('guard', body);
  return `DO ${tag}\n${body}\n${tag};`;
}
