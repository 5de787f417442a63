-- Projections: where each read model has got to in the log, and what stopped it.
-- A projection's tables live in a schema of their own, projection_<name>; a rebuild
-- fills projection_<name>_rebuild and swaps it in by renaming. See docs/projections.md.

CREATE TABLE projections (
    name                 text        PRIMARY KEY,
    -- The version of the projection's code that built the live tables.
    version              integer     NOT NULL,
    -- The checkpoint: the last event the live tables reflect. Moved in the same
    -- transaction as the rows, and only from the value the writer read (compare-and-set).
    tx_id                xid8        NOT NULL DEFAULT '0',
    global_position      bigint      NOT NULL DEFAULT 0,
    state                text        NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'failed')),
    -- Set while stopped at an event that failed to apply; cleared once it applies.
    error                text,
    failed_event_id      uuid,
    failed_at            timestamptz,
    -- A rebuild: requested (by `eventloom replay` or the API), then in progress with the
    -- version being built, the rebuild tables' own checkpoint and its progress.
    rebuild_requested_at timestamptz,
    rebuild_version      integer,
    rebuild_tx_id        xid8,
    rebuild_position     bigint,
    rebuild_started_at   timestamptz,
    rebuild_applied      bigint,
    rebuild_total        bigint,
    last_rebuilt_at      timestamptz,
    updated_at           timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Read-model rows carry their tenant, and row-level security keeps them apart: a
-- session sees the rows of the tenant in `eventloom.tenant`, all of them for '*' (the
-- system's own processes; no tenant id can be '*'), and none when it is unset.
CREATE FUNCTION eventloom_visible_tenant(row_tenant text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(current_setting('eventloom.tenant', true) IN (row_tenant, '*'), false)
$$;
