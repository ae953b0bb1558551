-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY events_user_id_idx ON events (user_id);

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY IF EXISTS events_user_id_idx;
