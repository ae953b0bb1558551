-- A nullable column without a default is a catalog-only change: no rewrite,
-- no scan, only a short ACCESS EXCLUSIVE lock. Nothing fires.
ALTER TABLE users ADD COLUMN last_login_at timestamptz;
