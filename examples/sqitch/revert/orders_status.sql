-- Revert app:orders_status from pg

BEGIN;

-- Dropping the column also drops orders_status_idx, which depends on it.
ALTER TABLE orders DROP COLUMN IF EXISTS status;

COMMIT;
