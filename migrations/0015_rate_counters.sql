-- Rate-limit counters shared by every serving process (docs/rate-limits.md). They are not
-- facts for the audit trail, so they live here rather than in the log.

-- Requests and tokens taken in the current one-minute window of a scope ("key:<id>",
-- "user:<id>", "model:<name>", "channel:<id>" with ":rpm" or ":tpm"). A process takes a block
-- of the window's allowance at a time and admits from it in memory; a row counts what every
-- process took in its window, never more than the limit.
CREATE TABLE rate_windows (
    tenant_id    text        NOT NULL,
    scope        text        NOT NULL,
    window_start timestamptz NOT NULL,
    taken        bigint      NOT NULL CHECK (taken >= 0),
    PRIMARY KEY (tenant_id, scope)
);

-- Takes up to `wanted` of the allowance `maximum` of the scope's window starting at `window`
-- and returns how much it took (0 when the window is spent). A row of an older window starts
-- over; when the row holds a later window (this process's clock is behind), the take counts
-- against that later one.
CREATE FUNCTION eventloom_rate_take(tenant text, scope_name text, window_at timestamptz, wanted bigint, maximum bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    current_window timestamptz;
    already bigint;
    granted bigint;
BEGIN
    INSERT INTO rate_windows (tenant_id, scope, window_start, taken) VALUES (tenant, scope_name, window_at, 0)
        ON CONFLICT (tenant_id, scope) DO NOTHING;
    SELECT window_start, taken INTO current_window, already FROM rate_windows
     WHERE tenant_id = tenant AND scope = scope_name FOR UPDATE;
    IF current_window < window_at THEN
        current_window := window_at;
        already := 0;
    END IF;
    granted := LEAST(wanted, GREATEST(maximum - already, 0));
    UPDATE rate_windows SET window_start = current_window, taken = already + granted
     WHERE tenant_id = tenant AND scope = scope_name;
    RETURN granted;
END
$$;

-- One row per request in flight and scope with a limit on requests at once: the lease a
-- route takes, released by the outcome reported for the request, or by its expiry when the
-- gateway never reports.
CREATE TABLE rate_leases (
    tenant_id  text        NOT NULL,
    scope      text        NOT NULL,
    request_id text        NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, scope, request_id)
);

CREATE INDEX rate_leases_by_request ON rate_leases (tenant_id, request_id);

-- Leases request `request` in every scope of `scope_names` (sorted by the caller, so that
-- concurrent leases lock in one order) unless one of them already has its `maximums` of live
-- leases of other requests. Returns 0 when leased, else the 1-based position of the first
-- scope that is full (nothing is leased then). A scope's count is taken under a transaction
-- advisory lock on the scope, so that two processes cannot both take its last place.
CREATE FUNCTION eventloom_rate_lease(tenant text, request text, scope_names text[], maximums bigint[],
                                     now_at timestamptz, expires timestamptz)
RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    position int;
    live bigint;
BEGIN
    FOR position IN 1 .. coalesce(array_length(scope_names, 1), 0) LOOP
        PERFORM pg_advisory_xact_lock(1163283538, hashtext(tenant || ' ' || scope_names[position]));
    END LOOP;
    FOR position IN 1 .. coalesce(array_length(scope_names, 1), 0) LOOP
        DELETE FROM rate_leases WHERE tenant_id = tenant AND scope = scope_names[position] AND expires_at <= now_at;
        SELECT count(*) INTO live FROM rate_leases
         WHERE tenant_id = tenant AND scope = scope_names[position] AND request_id <> request;
        IF live >= maximums[position] THEN
            RETURN position;
        END IF;
    END LOOP;
    INSERT INTO rate_leases (tenant_id, scope, request_id, expires_at)
        SELECT tenant, s, request, expires FROM unnest(scope_names) AS s
        ON CONFLICT (tenant_id, scope, request_id) DO UPDATE SET expires_at = excluded.expires_at;
    RETURN 0;
END
$$;
