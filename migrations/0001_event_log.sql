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
-- big-endian); hash = SHA-256(previous hash || nine fields). See docs/hash-chain.md.
-- plpgsql evaluates the expression once on its variables; as an SQL function it would
-- not be inlined where its arguments are array elements, and cost 25x more per event.
CREATE FUNCTION eventloom_event_hash(
    previous_hash bytea, event_id uuid, tenant_id text, stream_id text,
    stream_version bigint, type text, schema_version integer,
    data jsonb, metadata jsonb, recorded_at_micros bigint
) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    id_text   constant text := event_id::text;
    version   constant text := stream_version::text;
    schema    constant text := schema_version::text;
    data_text constant text := data::text;
    meta_text constant text := metadata::text;
    micros    constant text := recorded_at_micros::text;
BEGIN
    RETURN sha256(previous_hash
        || int4send(octet_length(id_text))   || convert_to(id_text, 'UTF8')
        || int4send(octet_length(tenant_id)) || convert_to(tenant_id, 'UTF8')
        || int4send(octet_length(stream_id)) || convert_to(stream_id, 'UTF8')
        || int4send(octet_length(version))   || convert_to(version, 'UTF8')
        || int4send(octet_length(type))      || convert_to(type, 'UTF8')
        || int4send(octet_length(schema))    || convert_to(schema, 'UTF8')
        || int4send(octet_length(data_text)) || convert_to(data_text, 'UTF8')
        || int4send(octet_length(meta_text)) || convert_to(meta_text, 'UTF8')
        || int4send(octet_length(micros))    || convert_to(micros, 'UTF8'));
END
$$;
