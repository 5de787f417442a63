-- The streams that hold events about each data subject (their metadata's dataSubject),
-- recorded by the store the first time it writes such an event to a stream: what a
-- subject's export reads (docs/erasure.md). One row per subject and stream, not per event,
-- so that appends do not pay for an index of every event.
CREATE TABLE subject_streams (
    tenant_id  text NOT NULL,
    subject_id text NOT NULL,
    stream_id  text NOT NULL,
    PRIMARY KEY (tenant_id, subject_id, stream_id)
);
