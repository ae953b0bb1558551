-- metadata.toml sets run_in_transaction = false, so diesel does not wrap this
-- file in a transaction. Diesel still sends the file as one query string, so
-- keep exactly one statement here.
CREATE INDEX CONCURRENTLY posts_published_at_idx ON posts (published_at) WHERE published_at IS NOT NULL;
