-- +goose Up
CREATE TABLE orders (
    id            bigserial PRIMARY KEY,
    account_id    bigint        NOT NULL,
    status        text          NOT NULL DEFAULT 'pending',
    total_cents   bigint        NOT NULL DEFAULT 0,
    currency      char(3)       NOT NULL DEFAULT 'EUR',
    created_at    timestamptz   NOT NULL DEFAULT now(),
    updated_at    timestamptz   NOT NULL DEFAULT now()
);

CREATE TABLE order_items (
    id            bigserial PRIMARY KEY,
    order_id      bigint        NOT NULL REFERENCES orders (id),
    sku           text          NOT NULL,
    quantity      integer       NOT NULL CHECK (quantity > 0),
    unit_cents    bigint        NOT NULL
);

-- Both tables are created above, so these plain index builds are fine.
CREATE INDEX orders_account_id_idx ON orders (account_id);
CREATE INDEX order_items_order_id_idx ON order_items (order_id);
CREATE INDEX order_items_sku_idx ON order_items (sku);

-- +goose Down
DROP TABLE order_items;
DROP TABLE orders;
