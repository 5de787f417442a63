/// The tables of the quotas read model (fixed SQL, no input).
enum QuotasTables {
    static let names = ["budgets", "budget_windows", "reservations", "usage"]

    static let create = [
        """
        CREATE TABLE budgets (
            tenant_id   text        NOT NULL,
            budget_id   text        NOT NULL,
            name        text        NOT NULL,
            scope_kind  text        NOT NULL,
            scope_id    text        NOT NULL,
            parent_id   text,
            definition  jsonb       NOT NULL,
            defined_at  timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, budget_id)
        )
        """,
        """
        CREATE TABLE budget_windows (
            tenant_id         text        NOT NULL,
            budget_id         text        NOT NULL,
            window_start      timestamptz NOT NULL,
            window_end        timestamptz NOT NULL,
            limit_tokens      bigint,
            limit_nano_usd    bigint,
            rollover_tokens   bigint      NOT NULL,
            rollover_nano_usd bigint      NOT NULL,
            consumed_tokens   bigint      NOT NULL DEFAULT 0,
            consumed_nano_usd bigint      NOT NULL DEFAULT 0,
            reserved_tokens   bigint      NOT NULL DEFAULT 0,
            reserved_nano_usd bigint      NOT NULL DEFAULT 0,
            crossed           bigint[]    NOT NULL DEFAULT '{}',
            exhausted         boolean     NOT NULL DEFAULT false,
            PRIMARY KEY (tenant_id, budget_id, window_start)
        )
        """,
        """
        CREATE TABLE reservations (
            tenant_id        text        NOT NULL,
            reservation_id   text        NOT NULL,
            request_id       text        NOT NULL,
            key_id           text,
            budget_id        text        NOT NULL,
            chain            text[]      NOT NULL,
            requested_model  text        NOT NULL,
            model            text        NOT NULL,
            status           text        NOT NULL,
            hold_tokens      bigint      NOT NULL,
            hold_nano_usd    bigint      NOT NULL,
            charged_tokens   bigint      NOT NULL DEFAULT 0,
            charged_nano_usd bigint      NOT NULL DEFAULT 0,
            expires_at       timestamptz NOT NULL,
            opened_at        timestamptz NOT NULL,
            closed_at        timestamptz,
            PRIMARY KEY (tenant_id, reservation_id)
        )
        """,
        """
        CREATE TABLE usage (
            tenant_id         text   NOT NULL,
            day               date   NOT NULL,
            model             text   NOT NULL,
            key_id            text   NOT NULL,
            budget_id         text   NOT NULL,
            requests          bigint NOT NULL,
            prompt_tokens     bigint NOT NULL,
            completion_tokens bigint NOT NULL,
            cached_tokens     bigint NOT NULL,
            charged_tokens    bigint NOT NULL,
            charged_nano_usd  bigint NOT NULL,
            PRIMARY KEY (tenant_id, day, model, key_id, budget_id)
        )
        """,
    ]

    static let indexes = [
        "CREATE INDEX reservations_due ON reservations (expires_at) WHERE status = 'open'",
        "CREATE INDEX budget_windows_latest ON budget_windows (tenant_id, budget_id, window_start DESC)",
    ]
}
