-- migrate:up transaction:false
-- Looks safe, but is not: dbmate sends this whole section to the server as a
-- single query string, and Postgres runs a multi-statement string as one
-- implicit transaction. Both statements below fail with
-- "... cannot run inside a transaction block" (ban-concurrently-in-transaction).
-- Fix: one CONCURRENTLY statement per transaction:false migration.
DROP INDEX CONCURRENTLY IF EXISTS events_kind_idx;
CREATE INDEX CONCURRENTLY events_kind_created_at_idx ON events (kind, created_at);

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY IF EXISTS events_kind_created_at_idx;
