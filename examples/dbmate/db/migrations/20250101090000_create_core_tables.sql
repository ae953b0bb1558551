-- migrate:up
CREATE TABLE accounts (
    id          bigserial PRIMARY KEY,
    name        text        NOT NULL,
    plan        text        NOT NULL DEFAULT 'free',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id          bigserial PRIMARY KEY,
    account_id  bigint      NOT NULL REFERENCES accounts (id),
    email       text        NOT NULL,
    full_name   text,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_account_id_idx ON users (account_id);

-- events is the hot table: every page view, webhook and job writes here.
-- account_id gets its foreign key later (see 20250902110000).
CREATE TABLE events (
    id          bigserial PRIMARY KEY,
    account_id  bigint      NOT NULL,
    user_id     bigint,
    kind        text,
    title       text,
    body        text,
    payload     jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Created together with its table, so building it is instant and nothing fires.
CREATE INDEX events_kind_idx ON events (kind);

-- migrate:down
DROP TABLE IF EXISTS events;
DROP TABLE IF EXISTS users;
DROP TABLE IF EXISTS accounts;
