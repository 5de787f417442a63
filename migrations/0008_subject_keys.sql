-- The key of each data subject (a user or end customer of a tenant) whose personal data
-- the log holds encrypted (docs/erasure.md). A key is stored wrapped by the master key,
-- which comes from configuration and never from here: a copy of the database alone opens
-- nothing. Erasing the subject destroys the wrapped key (the row stays, as the record
-- that the subject was erased, so that no later write makes a new key for it).

CREATE TABLE subject_keys (
    tenant_id     text        NOT NULL,
    subject_id    text        NOT NULL,
    -- AES-256-GCM of the 32-byte key under the master key; NULL once erased.
    wrapped_key   bytea,
    -- Which master key wrapped it (an id derived from the key, not the key).
    master_key_id text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    erased_at     timestamptz,
    PRIMARY KEY (tenant_id, subject_id),
    CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
);
