-- Create "events" table
CREATE TABLE events (
    id          bigserial   NOT NULL,
    account_id  bigint      NOT NULL,
    kind        text        NOT NULL,
    payload     jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id)
);
