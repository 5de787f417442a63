-- The event log: events, streams, checkpoints, the append-only guard and the hash
-- chain. Appends are one statement (Sources/EventStore/Postgres/AppendStatement.swift). Contract: docs/event-log.md and
-- ../shared/design/event-log.md. Hashed byte layout: docs/hash-chain.md.

DO $$
BEGIN
    IF current_setting('server_encoding') <> 'UTF8' THEN
        RAISE EXCEPTION 'Eventloom needs a UTF8 database, this one is %',
            current_setting('server_encoding');
    END IF;
END
$$;

-- One row per stream, written with its first event. A stream's head (version, hash)
-- is its last event: the unique (tenant_id, stream_id, stream_version) index both finds
-- it and stops two writers from appending the same version.
CREATE TABLE streams (
    tenant_id   text        NOT NULL,
    stream_id   text        NOT NULL,
    category    text        NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, stream_id)
);

-- The log. A row is never updated or deleted (see the triggers below).
-- (tx_id, global_position) is the cursor: readers only read rows whose
-- transaction is older than every running one, so a late commit is never skipped.
CREATE TABLE events (
    event_id        uuid        NOT NULL PRIMARY KEY,
    global_position bigint      NOT NULL GENERATED ALWAYS AS IDENTITY,
    tx_id           xid8        NOT NULL DEFAULT pg_current_xact_id(),
    tenant_id       text        NOT NULL,
    stream_id       text        NOT NULL,
    category        text        NOT NULL,
    stream_version  bigint      NOT NULL CHECK (stream_version >= 1),
    type            text        NOT NULL,
    schema_version  integer     NOT NULL CHECK (schema_version >= 1),
    data            jsonb       NOT NULL,
    metadata        jsonb       NOT NULL,
    recorded_at     timestamptz NOT NULL,
    hash            bytea       NOT NULL,
    CONSTRAINT events_stream_version_key UNIQUE (tenant_id, stream_id, stream_version)
);

CREATE INDEX events_cursor ON events (tx_id, global_position);

-- Where each reader (projection, relay) has got to in the log.
CREATE TABLE checkpoints (
    tenant_id       text        NOT NULL,
    name            text        NOT NULL,
    tx_id           xid8        NOT NULL,
    global_position bigint      NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (tenant_id, name)
);

-- Append-only: UPDATE, DELETE and TRUNCATE on the log fail.
CREATE FUNCTION eventloom_reject_log_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the event log is append-only: % is not allowed on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'EL002';
END
$$;

CREATE TRIGGER events_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION eventloom_reject_log_change();

-- Hash chain. A field is its UTF-8 bytes prefixed by their length (4 bytes,
-- big-endian); hash = SHA-256(previous hash || fields). See docs/hash-chain.md.
CREATE FUNCTION eventloom_hash_field(value text) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN int4send(octet_length(value)) || convert_to(value, 'UTF8');

CREATE FUNCTION eventloom_event_hash(
    previous_hash bytea, event_id uuid, tenant_id text, stream_id text,
    stream_version bigint, type text, schema_version integer,
    data jsonb, metadata jsonb, recorded_at_micros bigint
) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN sha256(
    previous_hash
    || eventloom_hash_field(event_id::text)
    || eventloom_hash_field(tenant_id)
    || eventloom_hash_field(stream_id)
    || eventloom_hash_field(stream_version::text)
    || eventloom_hash_field(type)
    || eventloom_hash_field(schema_version::text)
    || eventloom_hash_field(data::text)
    || eventloom_hash_field(metadata::text)
    || eventloom_hash_field(recorded_at_micros::text)
);
