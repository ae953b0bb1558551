-- The schema every rule's documentation examples run against in the real-PostgreSQL tests
-- (PostgreSQL 15 and 18). Each example block runs on a fresh copy of this database.
-- Keep it valid on both majors. Tables have rows so that scans and rewrites are observable.

CREATE TYPE event_state AS ENUM ('created', 'updated', 'deleted');
CREATE DOMAIN email_address AS text;

CREATE TABLE accounts (
  id bigint PRIMARY KEY,
  name text NOT NULL,
  plan text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id bigint PRIMARY KEY,
  account_id bigint REFERENCES accounts (id),
  email varchar(255),
  name text,
  created_at timestamp,
  deleted_at timestamptz
);

CREATE TABLE events (
  id bigserial PRIMARY KEY,
  account_id bigint,
  user_id bigint,
  kind text,
  state event_state,
  title text,
  body text,
  payload json,
  amount integer,
  status varchar(20),
  code char(8),
  created_at timestamptz NOT NULL DEFAULT now(),
  archived_at timestamptz,
  legacy_flag boolean
);
CREATE INDEX events_kind_idx ON events (kind);

CREATE TABLE orders (
  id bigint PRIMARY KEY,
  user_id bigint REFERENCES users (id),
  status text,
  total numeric(10, 2),
  created_at timestamp
);
CREATE INDEX orders_status_idx ON orders (status);

CREATE TABLE order_items (
  id bigint PRIMARY KEY,
  order_id bigint REFERENCES orders (id) ON DELETE CASCADE,
  sku text,
  qty integer
);
CREATE INDEX order_items_sku_idx ON order_items (sku);

CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor text,
  action text,
  entity text,
  at timestamptz DEFAULT now()
);

CREATE TABLE measurements (
  id bigint,
  city text,
  logdate date NOT NULL,
  value numeric
) PARTITION BY RANGE (logdate);
CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- A standalone table with the same shape, ready to be attached.
CREATE TABLE measurements_2026 (id bigint, city text, logdate date NOT NULL, value numeric);

CREATE MATERIALIZED VIEW events_daily AS
  SELECT date_trunc('day', created_at) AS day, count(*) AS n FROM events GROUP BY 1;
CREATE UNIQUE INDEX events_daily_day_idx ON events_daily (day);

CREATE FUNCTION noop_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER orders_noop BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION noop_trigger();

INSERT INTO accounts (id, name, plan) SELECT g, 'account ' || g, CASE WHEN g % 3 = 0 THEN 'pro' END FROM generate_series(1, 1000) g;
INSERT INTO users (id, account_id, email, name, created_at) SELECT g, 1 + g % 1000, 'user' || g || '@example.com', 'user ' || g, now() FROM generate_series(1, 5000) g;
INSERT INTO events (account_id, user_id, kind, state, title, body, payload, amount, status, code, created_at)
  SELECT 1 + g % 1000, 1 + g % 5000, 'kind' || (g % 7), 'created', 'title ' || g, 'body ' || g, '{"a": 1}', g % 100, 'open', 'C' || lpad((g % 1000)::text, 7, '0'), now() - (g || ' minutes')::interval
  FROM generate_series(1, 20000) g;
INSERT INTO orders (id, user_id, status, total, created_at) SELECT g, 1 + g % 5000, 'paid', g % 500, now() FROM generate_series(1, 5000) g;
INSERT INTO order_items (id, order_id, sku, qty) SELECT g, 1 + g % 5000, 'sku' || (g % 300), 1 + g % 4 FROM generate_series(1, 10000) g;
INSERT INTO audit_log (actor, action, entity) SELECT 'actor' || (g % 20), 'update', 'events' FROM generate_series(1, 1000) g;
INSERT INTO measurements (id, city, logdate, value) SELECT g, 'city' || (g % 10), date '2025-01-01' + (g % 365), g FROM generate_series(1, 1000) g;
INSERT INTO measurements_2026 (id, city, logdate, value) SELECT g, 'city' || (g % 10), date '2026-01-01' + (g % 365), g FROM generate_series(1, 500) g;
REFRESH MATERIALIZED VIEW events_daily;
ANALYZE;
