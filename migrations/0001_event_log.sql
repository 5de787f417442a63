-- The event log: events, streams, checkpoints, the append-only guard, the hash
-- chain and the append function. Contract: docs/event-log.md and
-- ../shared/design/event-log.md. Hashed byte layout: docs/hash-chain.md.

DO $$
BEGIN
    IF current_setting('server_encoding') <> 'UTF8' THEN
        RAISE EXCEPTION 'Eventloom needs a UTF8 database, this one is %',
            current_setting('server_encoding');
    END IF;
END
$$;

-- One row per stream: its head (version and hash of its last event).
CREATE TABLE streams (
    tenant_id   text        NOT NULL,
    stream_id   text        NOT NULL,
    category    text        NOT NULL,
    version     bigint      NOT NULL CHECK (version >= 0),
    last_hash   bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
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
    data jsonb, metadata jsonb, recorded_at timestamptz
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
    || eventloom_hash_field((extract(epoch FROM recorded_at) * 1000000)::bigint::text)
);

-- Appends events to one or several streams of a tenant, all or nothing, in one
-- statement. p_streams must be distinct and sorted (the lock order); events come
-- grouped by stream, p_counts[i] of them for p_streams[i].
-- p_expected[i]: n >= 0 the stream's version must be n (0: the stream must not
-- exist), -1 any, -2 the stream must exist.
-- Raises EL001 (detail: JSON with stream, expected, actual) on a version mismatch.
CREATE FUNCTION eventloom_append(
    p_tenant          text,
    p_streams         text[],
    p_categories      text[],
    p_expected        bigint[],
    p_counts          integer[],
    p_event_ids       uuid[],
    p_types           text[],
    p_schema_versions integer[],
    p_data            jsonb[],
    p_metadata        jsonb[]
) RETURNS TABLE (event_id uuid, stream_version bigint, global_position bigint, tx_id text)
LANGUAGE plpgsql AS $$
DECLARE
    genesis     constant bytea := decode(repeat('00', 32), 'hex');
    v_now       timestamptz := clock_timestamp();
    v_versions  bigint[] := '{}';
    v_hashes    bytea[] := '{}';
    v_stream_of text[] := '{}';
    v_cat_of    text[] := '{}';
    v_version   bigint;
    v_hash      bytea;
    v_exists    boolean;
    e           integer := 0;
BEGIN
    FOR i IN 1 .. cardinality(p_streams) LOOP
        SELECT s.version, s.last_hash INTO v_version, v_hash
          FROM streams s
         WHERE s.tenant_id = p_tenant AND s.stream_id = p_streams[i]
           FOR UPDATE;
        v_exists := FOUND;
        IF NOT v_exists THEN
            v_version := 0;
            v_hash := genesis;
        END IF;
        IF (p_expected[i] >= 0 AND v_version <> p_expected[i])
           OR (p_expected[i] = -2 AND v_version = 0) THEN
            RAISE EXCEPTION 'wrong expected version'
                USING ERRCODE = 'EL001',
                      DETAIL = json_build_object('stream', p_streams[i],
                          'expected', p_expected[i], 'actual', v_version)::text;
        END IF;
        FOR j IN 1 .. p_counts[i] LOOP
            e := e + 1;
            v_version := v_version + 1;
            v_hash := eventloom_event_hash(v_hash, p_event_ids[e], p_tenant, p_streams[i],
                v_version, p_types[e], p_schema_versions[e], p_data[e], p_metadata[e], v_now);
            v_versions[e] := v_version;
            v_hashes[e] := v_hash;
            v_stream_of[e] := p_streams[i];
            v_cat_of[e] := p_categories[i];
        END LOOP;
        IF v_exists THEN
            UPDATE streams s SET version = v_version, last_hash = v_hash, updated_at = v_now
             WHERE s.tenant_id = p_tenant AND s.stream_id = p_streams[i];
        ELSE
            -- A concurrent creator makes this fail with unique_violation on
            -- streams_pkey; the caller retries, and then sees the stream.
            INSERT INTO streams (tenant_id, stream_id, category, version, last_hash, created_at, updated_at)
            VALUES (p_tenant, p_streams[i], p_categories[i], v_version, v_hash, v_now, v_now);
        END IF;
    END LOOP;

    RETURN QUERY
    INSERT INTO events AS ev (event_id, tenant_id, stream_id, category, stream_version, type,
                              schema_version, data, metadata, recorded_at, hash)
    SELECT u.event_id, p_tenant, u.stream_id, u.category, u.stream_version, u.type,
           u.schema_version, u.data, u.metadata, v_now, u.hash
      FROM unnest(p_event_ids, v_stream_of, v_cat_of, v_versions, p_types,
                  p_schema_versions, p_data, p_metadata, v_hashes)
           AS u(event_id, stream_id, category, stream_version, type,
                schema_version, data, metadata, hash)
    RETURNING ev.event_id, ev.stream_version, ev.global_position, ev.tx_id::text;
END
$$;
