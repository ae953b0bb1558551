-- migrate:up
-- Fires require-validated-check-for-set-not-null: ACCESS EXCLUSIVE on events
-- while Postgres scans all 1.15M rows looking for a NULL.
ALTER TABLE events ALTER COLUMN user_id SET NOT NULL;

-- migrate:down
ALTER TABLE events ALTER COLUMN user_id DROP NOT NULL;
