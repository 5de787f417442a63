-- Secrets the server generates for itself, once, and keeps: today the key that derives
-- the id and secret of an API key issued with an Idempotency-Key (docs/api.md). No read
-- model, route or log event exposes them.

CREATE TABLE server_secrets (
    name       text        PRIMARY KEY,
    secret     bytea       NOT NULL CHECK (octet_length(secret) >= 32),
    created_at timestamptz NOT NULL DEFAULT now()
);
