-- Document content (docs/documents.md, "Content"): kept beside the log, addressed by its
-- SHA-256; commit events carry only the hash and size. Content is deduplicated per tenant
-- and scope: '' for shared documents, the owner's subject id for private ones (erasing
-- the owner deletes that scope's rows, and no other scope's content depends on them).
--
-- A row holds the full bytes (base IS NULL) or a delta against `base` (ContentDelta), a
-- skip-delta: version `depth` of a line of edits is stored against the version at depth
-- `depth & (depth - 1)` of the same line, so that reading any version applies at most
-- log2(depth) + 1 deltas. `previous` is the content the version was committed on, which
-- the next version's base is looked up through.
CREATE TABLE document_contents (
    tenant_id text   NOT NULL,
    scope     text   NOT NULL,
    sha256    bytea  NOT NULL CHECK (length(sha256) = 32),
    size      bigint NOT NULL CHECK (size >= 0),
    depth     int    NOT NULL CHECK (depth >= 0),
    previous  bytea,
    base      bytea,
    data      bytea  NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, scope, sha256),
    CHECK ((base IS NULL) = (depth = 0))
);
