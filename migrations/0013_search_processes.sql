-- The processes that serve searches (docs/indexes.md, "Readiness"): each one beats every
-- few seconds with the log position its search read model has applied, and removes its row
-- when it stops. A version's readiness gate counts the processes seen lately and how many
-- of them have applied the version's last committed chunks.
CREATE TABLE search_processes (
    process_id text        PRIMARY KEY,
    host       text        NOT NULL,
    pid        int         NOT NULL,
    checkpoint text        NOT NULL,   -- the log cursor "<tx>-<pos>" its read model applied
    started_at timestamptz NOT NULL,
    seen_at    timestamptz NOT NULL
);
