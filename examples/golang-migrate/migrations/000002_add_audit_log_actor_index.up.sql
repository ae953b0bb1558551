CREATE INDEX CONCURRENTLY audit_log_actor_id_idx ON audit_log (actor_id);
