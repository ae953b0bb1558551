-- migrate:up
-- Step 1 of 2 for making events.kind NOT NULL without a long lock.
-- NOT VALID: existing rows are not checked, so the ACCESS EXCLUSIVE lock is
-- only held for a catalog update. New and updated rows are checked from now on.
SET LOCAL lock_timeout = '5s';
ALTER TABLE events
    ADD CONSTRAINT events_kind_not_null CHECK (kind IS NOT NULL) NOT VALID;

-- migrate:down
ALTER TABLE events DROP CONSTRAINT IF EXISTS events_kind_not_null;
