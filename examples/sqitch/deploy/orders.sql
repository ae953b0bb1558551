-- Deploy app:orders to pg

BEGIN;

CREATE TABLE orders (
    id           bigserial PRIMARY KEY,
    account_id   bigint      NOT NULL,
    total_cents  bigint      NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now()
);

COMMIT;
