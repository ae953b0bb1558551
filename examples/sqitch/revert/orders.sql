-- Revert app:orders from pg

BEGIN;

DROP TABLE orders;

COMMIT;
