CREATE TABLE audit_log (
    id           bigserial PRIMARY KEY,
    actor_id     bigint,
    action       text        NOT NULL,
    entity_type  text        NOT NULL,
    entity_id    bigint      NOT NULL,
    changes      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX audit_log_created_at_idx ON audit_log (created_at);
