-- The log's horizon, held only by transactions that can still add events.
-- Rule and proof: docs/event-log.md, "The horizon". Contract: ../shared/design/event-log.md.
--
-- A transaction appends only after it has declared itself a log writer: it takes the
-- shared transaction-level advisory lock (EVLM, 2) while it has no transaction id yet,
-- and keeps it until it ends. A transaction that already holds an id (it wrote
-- elsewhere first) can never declare, so it can never append.

-- Declares the current transaction a log writer. Idempotent within a transaction.
-- Fails with EL003 when the transaction already holds an id without having declared.
CREATE FUNCTION eventloom_declare_log_writer() RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    -- Names this backend's current transaction: a setting carried over from elsewhere
    -- (SET, ALTER ROLE … SET) never matches it.
    mark constant text := pg_backend_pid() || ':' || transaction_timestamp();
BEGIN
    IF current_setting('eventloom.log_writer', true) = mark THEN
        RETURN;
    END IF;
    -- The lock first, then the check: an id assigned after this point is covered by it.
    PERFORM pg_advisory_xact_lock_shared(1163283533, 2);   -- 0x45564C4D ("EVLM"), 2
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
        RAISE EXCEPTION 'an append must be the first write of its transaction'
            USING ERRCODE = 'EL003',
                  HINT = 'append before writing other tables in the same transaction, or append in a transaction of its own';
    END IF;
    PERFORM set_config('eventloom.log_writer', mark, true);
END
$$;

-- Every statement that inserts into the log declares first (or fails): an INSERT that
-- does not come through the store's append is held to the same rule.
CREATE FUNCTION eventloom_require_log_writer() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM public.eventloom_declare_log_writer();
    RETURN NULL;
END
$$;

CREATE TRIGGER events_log_writer
    BEFORE INSERT ON events
    FOR EACH STATEMENT EXECUTE FUNCTION eventloom_require_log_writer();

-- The horizon: log readers read only rows with tx_id below it. It is the oldest
-- transaction of the reader's snapshot that is not proven unable to append, or the
-- snapshot's xmax when there is none. A transaction is proven unable to append when
--   1. one read of pg_locks shows it holding its own transaction id without the writer
--      lock (it has an id and has not declared, so it never can), and
--   2. it is still running after that read: its locks were then not being released
--      (a transaction leaves the running set before it releases its locks, one lock
--      partition at a time, so a view of a transaction that is ending may show its id's
--      lock without its writer lock).
-- Any other transaction of the snapshot (ended meanwhile, just taking its id, a writer)
-- holds the horizon. STABLE: it reads the caller's snapshot, the one the caller's query
-- reads the log with. Proof: docs/event-log.md.
CREATE FUNCTION eventloom_log_horizon() RETURNS xid8
LANGUAGE plpgsql STABLE AS $$
DECLARE
    snapshot constant pg_snapshot := pg_current_snapshot();
    undeclared xid[];
    horizon xid8;
BEGIN
    IF pg_snapshot_xmin(snapshot) = pg_snapshot_xmax(snapshot) THEN
        RETURN pg_snapshot_xmax(snapshot);   -- nothing runs below xmax
    END IF;
    -- 1. One read of pg_locks: one consistent view of the main lock table.
    WITH locks AS MATERIALIZED (
        SELECT l.locktype, l.virtualtransaction, l.transactionid, l.database, l.classid, l.objid,
               l.objsubid, l.mode, l.granted
          FROM pg_locks l
         WHERE l.locktype IN ('transactionid', 'advisory')
    )
    SELECT array_agg(t.transactionid) INTO undeclared
      FROM locks t
     WHERE t.locktype = 'transactionid' AND t.mode = 'ExclusiveLock' AND t.granted
       AND NOT EXISTS (
           SELECT 1 FROM locks w
            WHERE w.locktype = 'advisory' AND w.virtualtransaction = t.virtualtransaction
              AND w.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
              AND w.classid = 1163283533 AND w.objid = 2 AND w.objsubid = 2);
    IF undeclared IS NULL THEN
        RETURN pg_snapshot_xmin(snapshot);
    END IF;
    -- 2. After that read: which of them still run. A prepared transaction is never proven:
    -- preparing moves its locks one partition at a time.
    SELECT min(x) INTO horizon
      FROM pg_snapshot_xip(snapshot) AS x
     WHERE NOT (xid(x) = ANY (undeclared) AND pg_xact_status(x) = 'in progress'
                AND NOT EXISTS (SELECT 1 FROM pg_prepared_xacts p WHERE p.transaction = xid(x)));
    RETURN coalesce(horizon, pg_snapshot_xmax(snapshot));
END
$$;
