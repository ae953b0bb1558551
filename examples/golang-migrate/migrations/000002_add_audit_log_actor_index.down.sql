DROP INDEX CONCURRENTLY IF EXISTS audit_log_actor_id_idx;
