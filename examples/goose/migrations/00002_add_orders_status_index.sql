-- +goose NO TRANSACTION
-- +goose Up
-- goose runs this file without BEGIN/COMMIT, so CONCURRENTLY is allowed.
CREATE INDEX CONCURRENTLY orders_status_created_at_idx ON orders (status, created_at);

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS orders_status_created_at_idx;
