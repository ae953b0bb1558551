-- Deploy app:orders_status to pg
-- requires: orders

BEGIN;

-- A constant default is stored in the catalog (PostgreSQL 11+): no rewrite.
ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'pending';

-- Fires require-concurrent-index-creation: orders already exists, and this
-- build blocks every INSERT/UPDATE/DELETE on it until COMMIT. Adding
-- CONCURRENTLY here would instead fire ban-concurrently-in-transaction,
-- because of the explicit BEGIN above; the index needs its own change
-- without BEGIN/COMMIT.
CREATE INDEX orders_status_idx ON orders (status);

COMMIT;
