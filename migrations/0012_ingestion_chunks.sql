-- Chunks of ingestion tasks (docs/indexes.md, "Chunks"): kept beside the log, one row a
-- chunk, its vector in half precision (2 bytes a component). A worker's parts are staged
-- under its fencing token and are never searchable there; the task's success event and
-- the move of the holder's staged rows into ingestion_chunks commit in one transaction,
-- and the event carries the SHA-256 of what was moved (IngestionChunkDigest).
--
-- `scope` is '' when a shared document has the content, else the subject id of the owner
-- of the private documents that do: erasing that subject deletes the scope's rows.
CREATE TABLE ingestion_staged_chunks (
    tenant_id    text   NOT NULL,
    task_id      text   NOT NULL,
    token        bigint NOT NULL CHECK (token > 0),
    ordinal      int    NOT NULL CHECK (ordinal >= 0),
    part         int    NOT NULL CHECK (part >= 0),
    start_offset bigint NOT NULL CHECK (start_offset >= 0),
    end_offset   bigint NOT NULL CHECK (end_offset >= start_offset),
    text         text   NOT NULL,
    metadata     text   NOT NULL,
    vector       bytea  NOT NULL,
    staged_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, task_id, token, ordinal)
);

CREATE TABLE ingestion_chunks (
    tenant_id    text   NOT NULL,
    task_id      text   NOT NULL,
    ordinal      int    NOT NULL CHECK (ordinal >= 0),
    scope        text   NOT NULL,
    start_offset bigint NOT NULL,
    end_offset   bigint NOT NULL,
    text         text   NOT NULL,
    metadata     text   NOT NULL,
    vector       bytea  NOT NULL,
    PRIMARY KEY (tenant_id, task_id, ordinal)
);

CREATE INDEX ingestion_chunks_scope ON ingestion_chunks (tenant_id, scope) WHERE scope <> '';

-- A chunk's SHA-256 over everything stored of it; a task's digest is the SHA-256 of its
-- chunks' in ordinal order.
CREATE FUNCTION ingestion_chunk_sha256(ordinal int, start_offset bigint, end_offset bigint, text text, metadata text,
                                       vector bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN sha256(int8send(ordinal::int8) || int8send(start_offset) || int8send(end_offset)
              || convert_to(text, 'UTF8') || convert_to(metadata, 'UTF8') || vector);
