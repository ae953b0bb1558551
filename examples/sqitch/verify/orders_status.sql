-- Verify app:orders_status on pg

BEGIN;

SELECT status FROM orders WHERE false;
SELECT 1/count(*) FROM pg_indexes WHERE indexname = 'orders_status_idx';

ROLLBACK;
