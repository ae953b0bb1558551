-- Runs outside Flyway's transaction because of V3__add_users_email_index.sql.conf.
CREATE INDEX CONCURRENTLY users_email_idx ON users (lower(email));
