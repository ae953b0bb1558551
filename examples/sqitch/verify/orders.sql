-- Verify app:orders on pg

BEGIN;

SELECT id, account_id, total_cents, created_at
  FROM orders
 WHERE false;

ROLLBACK;
