-- The events about each data subject (their metadata's dataSubject), in cursor order:
-- what a subject's export reads (docs/erasure.md). Partial: events without a subject
-- (budgets, prices, keys of the tenant as a whole) add nothing to it.
CREATE INDEX events_by_subject ON events (tenant_id, (metadata->>'dataSubject'), tx_id, global_position)
    WHERE (metadata->>'dataSubject') IS NOT NULL;
