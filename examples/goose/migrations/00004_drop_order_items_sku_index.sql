-- +goose Up
-- Fires require-concurrent-index-deletion: a plain DROP INDEX takes ACCESS
-- EXCLUSIVE on order_items, so even SELECTs queue behind it (and behind any
-- long query it is itself waiting for).
DROP INDEX order_items_sku_idx;

-- +goose Down
-- The way back is a plain CREATE INDEX on an existing table, which fires
-- require-concurrent-index-creation: down sections are checked too.
CREATE INDEX order_items_sku_idx ON order_items (sku);
