/// The tables of the sessions read model (fixed SQL, no input).
enum SessionsTables {
    static let names = ["sessions", "session_messages", "session_shares"]
    /// The tables under row-level security. `sessions` and `session_messages` are searched
    /// with full text and trigram indexes, which PostgreSQL does not use under row-level
    /// security (their operators are not leakproof, so they may not run before the policy):
    /// every search would scan the tenant. Every query of them names its tenant instead.
    static let protected = ["session_shares"]

    static let create = [
        """
        CREATE TABLE sessions (
            tenant_id         text        NOT NULL,
            session_id        text        NOT NULL,
            owner_id          text        NOT NULL,
            title             text        NOT NULL,
            config            text        NOT NULL,
            tags              text[]      NOT NULL DEFAULT '{}',
            archived          boolean     NOT NULL DEFAULT false,
            deleted           boolean     NOT NULL DEFAULT false,
            started_at        timestamptz NOT NULL,
            last_activity_at  timestamptz NOT NULL,
            message_count     integer     NOT NULL DEFAULT 0,
            token_count       bigint      NOT NULL DEFAULT 0,
            active_message_id text,
            summary_id        text,
            summary_through   text,
            summary           text,
            version           bigint      NOT NULL,
            title_words       tsvector    GENERATED ALWAYS AS (to_tsvector('english', title)) STORED,
            PRIMARY KEY (tenant_id, session_id)
        )
        """,
        """
        CREATE TABLE session_messages (
            tenant_id         text        NOT NULL,
            session_id        text        NOT NULL,
            message_id        text        NOT NULL,
            -- The session's owner and whether it is soft-deleted, copied here so a search
            -- filters its hits without a lookup of the session per hit.
            owner_id          text        NOT NULL,
            session_deleted   boolean     NOT NULL DEFAULT false,
            sequence          bigint      NOT NULL,
            parent_id         text,
            role              text        NOT NULL,
            content           text        NOT NULL,
            model             text,
            prompt_tokens     bigint      NOT NULL DEFAULT 0,
            completion_tokens bigint      NOT NULL DEFAULT 0,
            citations         text        NOT NULL DEFAULT '[]',
            edited_from       text,
            created_at        timestamptz NOT NULL,
            -- English stems, computed once per row: ranking a hit reads them, never the text.
            words             tsvector    GENERATED ALWAYS AS (to_tsvector('english', content)) STORED,
            PRIMARY KEY (tenant_id, session_id, message_id)
        )
        """,
        """
        CREATE TABLE session_shares (
            tenant_id      text        NOT NULL,
            share_id       text        NOT NULL,
            session_id     text        NOT NULL,
            mode           text        NOT NULL,
            message_id     text,
            expires_at     timestamptz,
            password_hash  text,
            shared_at      timestamptz NOT NULL,
            revoked_at     timestamptz,
            views          bigint      NOT NULL DEFAULT 0,
            last_viewed_at timestamptz,
            PRIMARY KEY (tenant_id, share_id)
        )
        """,
    ]

    /// Lists by owner and activity, a session's messages in order, shares by id, and the
    /// search indexes: English full text (stems) and trigrams (CJK and substrings).
    static let indexes = [
        "CREATE INDEX sessions_by_owner ON sessions (tenant_id, owner_id, last_activity_at DESC, session_id DESC)",
        "CREATE INDEX sessions_by_activity ON sessions (tenant_id, last_activity_at DESC, session_id DESC)",
        "CREATE INDEX session_messages_in_order ON session_messages (tenant_id, session_id, sequence)",
        // One owner's search: ANDed with a search index's bitmap, so only that owner's hits are read.
        "CREATE INDEX session_messages_by_owner ON session_messages (tenant_id, owner_id)",
        "CREATE INDEX session_shares_by_id ON session_shares (share_id)",
        "CREATE INDEX session_messages_words ON session_messages USING gin (words)",
        "CREATE INDEX session_messages_trigrams ON session_messages USING gin (content public.gin_trgm_ops)",
        "CREATE INDEX sessions_title_words ON sessions USING gin (title_words)",
        "CREATE INDEX sessions_title_trigrams ON sessions USING gin (title public.gin_trgm_ops)",
        // Statistics now, so the first searches after a rebuild are planned on the real sizes.
        "ANALYZE sessions, session_messages, session_shares",
    ]
}
