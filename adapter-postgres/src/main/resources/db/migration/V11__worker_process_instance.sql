-- A worker name has one live owner (issue 22). `instance` records the process that registered the name last, in the
-- core's ProcessInstanceTree shape: {"id", "host", "boot_id", "pid_namespace", "pid", "started_at"}. A process
-- starting under a name takes it only from a holder that is gone (inactive, silent for three heartbeat intervals, or
-- no longer running on the same machine), in one statement that checks the entry is still the one it judged; and a
-- heartbeat is recorded only for the process that holds the name. Null for entries registered before this version.
ALTER TABLE worker ADD COLUMN instance jsonb;

-- `error`: alive and heartbeating, but unable to take work (its dispatch queue cannot be consumed). Takes no new work;
-- what it runs is not lost.
ALTER TABLE worker DROP CONSTRAINT worker_status_check;
ALTER TABLE worker ADD CONSTRAINT worker_status_check CHECK (status IN ('active', 'draining', 'inactive', 'error'));
