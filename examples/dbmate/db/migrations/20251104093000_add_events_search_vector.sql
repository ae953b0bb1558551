-- migrate:up
-- The outage. A STORED generated column is computed for every existing row,
-- so Postgres rewrites the whole table under ACCESS EXCLUSIVE. On 1.15M rows
-- this ran past statement_timeout, was rolled back, and dbmate exited without
-- recording the version while the application had already moved on.
-- Fires ban-add-stored-generated-column.
ALTER TABLE events ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(title,'') || ' ' || coalesce(body,''))) STORED;

-- migrate:down
ALTER TABLE events DROP COLUMN IF EXISTS search_vector;
