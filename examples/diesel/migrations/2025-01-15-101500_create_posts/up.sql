CREATE TABLE posts (
    id            bigserial PRIMARY KEY,
    author_id     bigint      NOT NULL,
    title         text        NOT NULL,
    body          text        NOT NULL DEFAULT '',
    published_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX posts_author_id_idx ON posts (author_id);
