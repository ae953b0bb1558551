-- migrate:up
-- Fires review-cascading-foreign-key: deleting one of the ~1,200 accounts now
-- deletes all of its events inside that single DELETE, and events.account_id
-- has no index, so every account delete also scans the 1.15M-row table.
-- Adding the constraint this way also validates it with a full scan of events
-- while holding SHARE ROW EXCLUSIVE on both tables.
ALTER TABLE events
    ADD CONSTRAINT events_account_id_fkey
    FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE;

-- migrate:down
ALTER TABLE events DROP CONSTRAINT IF EXISTS events_account_id_fkey;
