-- Rate-limit counters shared by every serving process (docs/rate-limits.md). They are not
-- facts for the audit trail, so they live here rather than in the log. Their functions commit
-- without waiting for the WAL flush (synchronous_commit off for their transaction): a count's
-- row lock is then held for microseconds, not a disk flush, and a database crash forgets at
-- most the last fraction of a second of counts.

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
    PERFORM set_config('synchronous_commit', 'off', true);
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

-- Upstream calls in flight per scope with a limit on requests at once: one row per call (a
-- request's attempt on one channel, `call_id` naming the channel) and scope (`rate_leases`),
-- and their number (`rate_inflight`), so that admitting a call costs the same however many
-- are in flight. A lease ends when the call's outcome is reported, when the gateway releases
-- the request, or when it expires (the gateway never reported).
CREATE TABLE rate_leases (
    tenant_id  text        NOT NULL,
    scope      text        NOT NULL,
    request_id text        NOT NULL,
    call_id    text        NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, scope, request_id, call_id)
);

CREATE INDEX rate_leases_by_request ON rate_leases (tenant_id, request_id);

-- `reclaimed_at`: when the scope's expired leases were last ended.
CREATE TABLE rate_inflight (
    tenant_id    text        NOT NULL,
    scope        text        NOT NULL,
    leased       bigint      NOT NULL CHECK (leased >= 0),
    reclaimed_at timestamptz NOT NULL DEFAULT '-infinity',
    PRIMARY KEY (tenant_id, scope)
);

-- Locks the scope's count (every function here locks counts in scope order, before touching
-- the scope's leases, so that they cannot deadlock) and returns it.
CREATE FUNCTION eventloom_rate_lock(tenant text, scope_name text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    live bigint;
BEGIN
    INSERT INTO rate_inflight (tenant_id, scope, leased) VALUES (tenant, scope_name, 0) ON CONFLICT (tenant_id, scope) DO NOTHING;
    SELECT leased INTO live FROM rate_inflight WHERE tenant_id = tenant AND scope = scope_name FOR UPDATE;
    RETURN live;
END
$$;

-- Ends the scope's expired leases (its count locked by the caller, who corrects it) and
-- returns how many ended. A scan of the scope's leases: done when the scope would refuse, and
-- else at most once a second per scope, so that leases never released do not pile up.
CREATE FUNCTION eventloom_rate_reclaim(tenant text, scope_name text, now_at timestamptz)
RETURNS bigint LANGUAGE sql AS $$
    UPDATE rate_inflight SET reclaimed_at = now_at WHERE tenant_id = tenant AND scope = scope_name;
    WITH gone AS (
        DELETE FROM rate_leases WHERE tenant_id = tenant AND scope = scope_name AND expires_at <= now_at RETURNING 1
    ) SELECT count(*) FROM gone;
$$;

-- Leases each call (`requests[i]` on `calls[i]`, until `expires[i]`) in every scope of
-- `scope_names`, in turn, unless one of those scopes already has its `maximums` of live leases
-- of other calls (a call leased before keeps its place, and its expiry moves). A scope's
-- expired leases are ended when it would refuse, and otherwise at most once a second. Returns
-- per call 0 when leased afresh, -1 when it held its places already (only their expiry moved),
-- else the 1-based position of the first scope found full (nothing is leased for it then).
CREATE FUNCTION eventloom_rate_lease(tenant text, requests text[], calls text[], scope_names text[], maximums bigint[],
                                     now_at timestamptz, expires timestamptz[])
RETURNS int[] LANGUAGE plpgsql AS $$
DECLARE
    s int;
    r int;
    refused_at int;
    held boolean;
    inserted boolean;
    live bigint[] := '{}';
    reclaimed boolean[] := '{}';
    results int[] := '{}';
BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    FOR s IN SELECT i FROM generate_subscripts(scope_names, 1) AS i ORDER BY scope_names[i] COLLATE "C" LOOP
        live[s] := eventloom_rate_lock(tenant, scope_names[s]);
        reclaimed[s] := false;
        IF NOT EXISTS (SELECT 1 FROM rate_inflight WHERE tenant_id = tenant AND scope = scope_names[s]
                                                     AND reclaimed_at > now_at - interval '1 second') THEN
            live[s] := live[s] - eventloom_rate_reclaim(tenant, scope_names[s], now_at);
            reclaimed[s] := true;
        END IF;
    END LOOP;
    FOR r IN 1 .. coalesce(array_length(requests, 1), 0) LOOP
        refused_at := 0;
        FOR s IN 1 .. coalesce(array_length(scope_names, 1), 0) LOOP
            held := EXISTS (SELECT 1 FROM rate_leases WHERE tenant_id = tenant AND scope = scope_names[s]
                                                        AND request_id = requests[r] AND call_id = calls[r]);
            IF NOT held AND live[s] >= maximums[s] AND NOT reclaimed[s] THEN
                live[s] := live[s] - eventloom_rate_reclaim(tenant, scope_names[s], now_at);
                reclaimed[s] := true;
                held := EXISTS (SELECT 1 FROM rate_leases WHERE tenant_id = tenant AND scope = scope_names[s]
                                                            AND request_id = requests[r] AND call_id = calls[r]);
            END IF;
            IF NOT held AND live[s] >= maximums[s] THEN
                refused_at := s;
                EXIT;
            END IF;
        END LOOP;
        results[r] := refused_at;
        CONTINUE WHEN refused_at > 0;
        results[r] := -1;
        FOR s IN 1 .. coalesce(array_length(scope_names, 1), 0) LOOP
            INSERT INTO rate_leases AS l (tenant_id, scope, request_id, call_id, expires_at)
                VALUES (tenant, scope_names[s], requests[r], calls[r], expires[r])
                ON CONFLICT (tenant_id, scope, request_id, call_id) DO UPDATE SET expires_at = excluded.expires_at
                RETURNING (l.xmax = 0) INTO inserted;
            IF inserted THEN
                live[s] := live[s] + 1;
                results[r] := 0;
            END IF;
        END LOOP;
    END LOOP;
    FOR s IN 1 .. coalesce(array_length(scope_names, 1), 0) LOOP
        UPDATE rate_inflight SET leased = live[s] WHERE tenant_id = tenant AND scope = scope_names[s];
    END LOOP;
    RETURN results;
END
$$;

-- Ends the leases of the calls `requests[i]` on `calls[i]`, or, when `calls` is null, of every
-- call of `requests`.
CREATE FUNCTION eventloom_rate_release(tenant text, requests text[], calls text[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    scope_name text;
    ended bigint;
BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    -- (unnest pads a null `calls` with nulls: every call of the request.)
    FOR scope_name IN
        SELECT DISTINCT l.scope COLLATE "C" FROM rate_leases l JOIN unnest(requests, calls) AS e(request_id, call_id)
            ON e.request_id = l.request_id AND (e.call_id IS NULL OR e.call_id = l.call_id)
         WHERE l.tenant_id = tenant
         ORDER BY 1
    LOOP
        PERFORM eventloom_rate_lock(tenant, scope_name);
        WITH gone AS (
            DELETE FROM rate_leases l USING unnest(requests, calls) AS e(request_id, call_id)
             WHERE l.tenant_id = tenant AND l.scope = scope_name AND l.request_id = e.request_id
               AND (e.call_id IS NULL OR e.call_id = l.call_id)
            RETURNING 1
        ) SELECT count(*) INTO ended FROM gone;
        UPDATE rate_inflight SET leased = leased - ended WHERE tenant_id = tenant AND scope = scope_name;
    END LOOP;
END
$$;
