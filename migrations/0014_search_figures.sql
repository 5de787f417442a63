-- What the searches of each index version did (docs/indexes.md, "Analysis"): each serving
-- process adds its counts per 10-second period every few seconds, and the rollout analysis
-- sums them across processes since the step in force began. `latency` counts the searches
-- by latency bucket (bucket i holds latencies up to 10 µs × 1.25^i; the last, the rest).
CREATE TABLE search_figures (
    tenant_id  text        NOT NULL,
    index_name text        NOT NULL,
    version    int         NOT NULL,
    period     timestamptz NOT NULL,
    process_id text        NOT NULL,
    searches   bigint      NOT NULL CHECK (searches >= 0),
    errors     bigint      NOT NULL CHECK (errors >= 0),
    latency    bigint[]    NOT NULL,
    PRIMARY KEY (tenant_id, index_name, version, period, process_id)
);

-- Client feedback on a search, once per search id (a report repeated for the same search
-- changes nothing).
CREATE TABLE search_feedback (
    tenant_id   text        NOT NULL,
    index_name  text        NOT NULL,
    search_id   text        NOT NULL,
    version     int         NOT NULL,
    positive    boolean     NOT NULL,
    reported_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, index_name, search_id)
);

CREATE INDEX search_feedback_by_version ON search_feedback (tenant_id, index_name, version, reported_at);
