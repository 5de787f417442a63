-- Snapshots: the folded state of a long stream at a version, so that loading it reads
-- the snapshot and the events after it instead of the whole stream. A snapshot is a
-- cache of the log, never a source of truth: deleting every row is always safe, and a
-- snapshot whose kind the code no longer knows is ignored. Only the latest per stream
-- is kept; writers replace a snapshot only with a later one.

CREATE TABLE snapshots (
    tenant_id  text        NOT NULL,
    stream_id  text        NOT NULL,
    -- What the state is and its encoding's version, e.g. "Budget/1".
    kind       text        NOT NULL,
    version    bigint      NOT NULL CHECK (version > 0),
    state      bytea       NOT NULL,
    taken_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, stream_id)
);
