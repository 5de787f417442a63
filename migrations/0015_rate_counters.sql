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

-- Requests in flight per scope with a limit on requests at once: one row per request and
-- scope (`rate_leases`), and their number (`rate_inflight`), so that admitting a request costs
-- the same however many are in flight. A lease ends when the request's outcome is reported,
-- when the gateway releases it, or when it expires (the gateway never reported).
CREATE TABLE rate_leases (
    tenant_id  text        NOT NULL,
    scope      text        NOT NULL,
    request_id text        NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, scope, request_id)
);

CREATE INDEX rate_leases_by_request ON rate_leases (tenant_id, request_id);
CREATE INDEX rate_leases_by_expiry ON rate_leases (tenant_id, scope, expires_at);

CREATE TABLE rate_inflight (
    tenant_id text   NOT NULL,
    scope     text   NOT NULL,
    leased    bigint NOT NULL CHECK (leased >= 0),
    PRIMARY KEY (tenant_id, scope)
);

-- Locks the scope's count (every function here locks counts in scope order, before touching
-- the scope's leases, so that they cannot deadlock), ends the scope's expired leases and
-- returns how many leases are live.
CREATE FUNCTION eventloom_rate_lock(tenant text, scope_name text, now_at timestamptz)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    live bigint;
    expired bigint;
BEGIN
    INSERT INTO rate_inflight (tenant_id, scope, leased) VALUES (tenant, scope_name, 0) ON CONFLICT (tenant_id, scope) DO NOTHING;
    SELECT leased INTO live FROM rate_inflight WHERE tenant_id = tenant AND scope = scope_name FOR UPDATE;
    WITH gone AS (
        DELETE FROM rate_leases WHERE tenant_id = tenant AND scope = scope_name AND expires_at <= now_at RETURNING 1
    ) SELECT count(*) INTO expired FROM gone;
    IF expired > 0 THEN
        live := live - expired;
        UPDATE rate_inflight SET leased = live WHERE tenant_id = tenant AND scope = scope_name;
    END IF;
    RETURN live;
END
$$;

-- Leases request `request` in every scope of `scope_names` unless one of them already has its
-- `maximums` of live leases (of other requests: a request leased before keeps its place, and
-- its expiry moves). Returns 0 when leased, else the 1-based position of the first scope
-- found full (nothing is leased then).
CREATE FUNCTION eventloom_rate_lease(tenant text, request text, scope_names text[], maximums bigint[],
                                     now_at timestamptz, expires timestamptz)
RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    position int;
    live bigint;
    held boolean[] := '{}';
BEGIN
    FOR position IN
        SELECT i FROM generate_subscripts(scope_names, 1) AS i ORDER BY scope_names[i] COLLATE "C"
    LOOP
        live := eventloom_rate_lock(tenant, scope_names[position], now_at);
        held[position] := EXISTS (SELECT 1 FROM rate_leases
                                   WHERE tenant_id = tenant AND scope = scope_names[position] AND request_id = request);
        IF live >= maximums[position] AND NOT held[position] THEN
            RETURN position;
        END IF;
    END LOOP;
    FOR position IN 1 .. coalesce(array_length(scope_names, 1), 0) LOOP
        IF held[position] THEN
            UPDATE rate_leases SET expires_at = expires
             WHERE tenant_id = tenant AND scope = scope_names[position] AND request_id = request;
        ELSE
            INSERT INTO rate_leases (tenant_id, scope, request_id, expires_at) VALUES (tenant, scope_names[position], request, expires);
            UPDATE rate_inflight SET leased = leased + 1 WHERE tenant_id = tenant AND scope = scope_names[position];
        END IF;
    END LOOP;
    RETURN 0;
END
$$;

-- Ends the leases of `requests` (in `only_scopes` alone, when not null).
CREATE FUNCTION eventloom_rate_release(tenant text, requests text[], only_scopes text[], now_at timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    scope_name text;
    ended bigint;
BEGIN
    FOR scope_name IN
        SELECT DISTINCT scope COLLATE "C" FROM rate_leases
         WHERE tenant_id = tenant AND request_id = ANY (requests) AND (only_scopes IS NULL OR scope = ANY (only_scopes))
         ORDER BY 1
    LOOP
        PERFORM eventloom_rate_lock(tenant, scope_name, now_at);
        WITH gone AS (
            DELETE FROM rate_leases WHERE tenant_id = tenant AND scope = scope_name AND request_id = ANY (requests) RETURNING 1
        ) SELECT count(*) INTO ended FROM gone;
        UPDATE rate_inflight SET leased = leased - ended WHERE tenant_id = tenant AND scope = scope_name;
    END LOOP;
END
$$;
