-- The log's horizon (0006): a prepared transaction of another database no longer holds
-- it. Such a transaction can never write this log, but 0006 never proved any prepared
-- transaction harmless, so one left prepared in any database of the cluster held every
-- log reader of every Eventloom database back until it was committed or rolled back.
-- Rule and proof: docs/event-log.md, "The horizon".

CREATE OR REPLACE FUNCTION eventloom_log_horizon() RETURNS xid8
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
    -- 2. After that read: which of them still run. A prepared transaction of this database
    -- is never proven: preparing moves its locks one partition at a time. One of another
    -- database can never write this log.
    SELECT min(x) INTO horizon
      FROM pg_snapshot_xip(snapshot) AS x
     WHERE NOT (xid(x) = ANY (undeclared) AND pg_xact_status(x) = 'in progress'
                AND NOT EXISTS (SELECT 1 FROM pg_prepared_xacts p
                                 WHERE p.transaction = xid(x) AND p.database = current_database()));
    RETURN coalesce(horizon, pg_snapshot_xmax(snapshot));
END
$$;
