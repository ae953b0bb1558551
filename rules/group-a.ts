/** Rules of catalogue group A (see rules/index.ts). */
import type { Rule } from '../server/src/engine';
import { banAddSerialColumn } from './ban-add-serial-column';
import { banColumnTypeRewrite } from './ban-column-type-rewrite';
import { banDropColumn } from './ban-drop-column';
import { banDropDatabase } from './ban-drop-database';
import { banDropNotNull } from './ban-drop-not-null';
import { banDropSchema } from './ban-drop-schema';
import { banDropTable } from './ban-drop-table';
import { banSetLoggedUnlogged } from './ban-set-logged-unlogged';
import { banVolatileDefault } from './ban-volatile-default';
import { preferBigint } from './prefer-bigint';
import { preferIdentity } from './prefer-identity';
import { preferJsonb } from './prefer-jsonb';
import { preferTextOverVarchar } from './prefer-text-over-varchar';
import { preferTimestamptz } from './prefer-timestamptz';
import { requireDefaultForNotNullColumn } from './require-default-for-not-null-column';
import { reviewEnumChange } from './review-enum-change';

export const groupA: readonly Rule[] = [
  banAddSerialColumn,
  banColumnTypeRewrite,
  banDropColumn,
  banDropDatabase,
  banDropNotNull,
  banDropSchema,
  banDropTable,
  banSetLoggedUnlogged,
  banVolatileDefault,
  preferBigint,
  preferIdentity,
  preferJsonb,
  preferTextOverVarchar,
  preferTimestamptz,
  requireDefaultForNotNullColumn,
  reviewEnumChange,
];
