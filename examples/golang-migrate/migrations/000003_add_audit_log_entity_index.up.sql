-- golang-migrate's postgres driver sends this whole file as one query string,
-- so Postgres runs both statements in one implicit transaction and the
-- CONCURRENTLY build is rejected (ban-concurrently-in-transaction).
-- IF NOT EXISTS would also hide an invalid index left by an earlier failed
-- build (ban-concurrent-index-if-not-exists).
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_log_entity_idx ON audit_log (entity_type, entity_id);
COMMENT ON INDEX audit_log_entity_idx IS 'history page: all changes to one entity';
