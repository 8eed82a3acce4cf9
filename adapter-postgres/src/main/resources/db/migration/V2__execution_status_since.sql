-- When an execution entered its current status. A requeued execution waits again from its requeue (the
-- scheduling timeout counts from here, not from requested_at), and a scheduled one whose dispatch was lost is
-- found by how long it has been scheduled.
ALTER TABLE execution ADD COLUMN status_since timestamp with time zone;

-- [jooq ignore start]
UPDATE execution SET status_since = COALESCE(ended_at, started_at, requested_at);
-- [jooq ignore stop]

ALTER TABLE execution ALTER COLUMN status_since SET NOT NULL;

-- [jooq ignore start]
-- what the reconciliation looks for: executions scheduled for a while without starting
CREATE INDEX execution_scheduled_since_idx ON execution (status_since) WHERE status = 'scheduled';
-- [jooq ignore stop]
