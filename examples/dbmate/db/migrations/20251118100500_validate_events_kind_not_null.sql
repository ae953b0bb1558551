-- migrate:up
-- Step 2 of 2, deployed as its own migration (its own transaction).
-- VALIDATE scans events under SHARE UPDATE EXCLUSIVE: reads and writes go on.
-- SET NOT NULL then finds the valid CHECK and skips its own scan, and the
-- helper constraint is dropped because the column now carries the real thing.
SET LOCAL lock_timeout = '5s';
ALTER TABLE events VALIDATE CONSTRAINT events_kind_not_null;
ALTER TABLE events ALTER COLUMN kind SET NOT NULL;
ALTER TABLE events DROP CONSTRAINT events_kind_not_null;

-- migrate:down
ALTER TABLE events ALTER COLUMN kind DROP NOT NULL;
