-- migrate:up
-- Fires require-concurrent-index-creation: a plain CREATE INDEX holds a SHARE
-- lock on events for the whole build, so every INSERT waits behind it.
CREATE INDEX events_created_at_idx ON events (created_at);

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY IF EXISTS events_created_at_idx;
