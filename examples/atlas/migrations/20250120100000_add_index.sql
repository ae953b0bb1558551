-- atlas:txmode none

-- Create index "events_account_id_created_at_idx" to table: "events"
CREATE INDEX CONCURRENTLY events_account_id_created_at_idx ON events (account_id, created_at);
