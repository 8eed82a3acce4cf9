-- Workers as a feed of changes, so that a scheduler keeps its copy of the fleet in step by reading only the workers
-- that changed since its last look (WorkerChanges, read by PostgresWorkerChanges).
--
-- Every insert or update of a worker, by whatever process or statement (registration, heartbeat, reservation,
-- release, cordon, status), stamps the row with the id of the writing transaction; every delete (prune) leaves a
-- removal with the same stamp. A reader remembers the oldest transaction still running when it last read
-- (pg_snapshot_xmin of its snapshot) and next asks for the rows stamped by that transaction or a later one. Stamps
-- are the transaction ids, not a sequence, because transactions commit out of order: a sequence value taken by a
-- transaction that commits late would be lower than values the reader already saw, and the change would be missed.
-- A transaction below the reader's xmin had ended before its last read, so its changes were in it; anything else is
-- read again. The price is an overlap: rows written since the oldest transaction running at the last read are read
-- again (few, unless a transaction stays open for long).
--
-- change_xid is deliberately in no index: an indexed column changed by every heartbeat would end HOT updates
-- (see V1). The changes are found by a sequential scan of the worker table, a few milliseconds for 10,000 rows, once
-- per catch-up of a scheduler rather than once per decision.
ALTER TABLE worker ADD COLUMN change_xid bigint NOT NULL DEFAULT 0;

-- Workers removed, kept for a day so that readers learn of the removal; older ones are forgotten, and a reader whose
-- last read is older than the newest forgotten removal loads every worker again.
CREATE TABLE worker_removal (
  worker_id   bigint NOT NULL,
  change_xid  bigint NOT NULL,
  removed_at  timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- One row: the stamp of the newest removal forgotten.
CREATE TABLE worker_removal_horizon (
  id                 integer NOT NULL,
  forgotten_through  bigint  NOT NULL,
  CONSTRAINT worker_removal_horizon_pkey PRIMARY KEY (id),
  CONSTRAINT worker_removal_horizon_one_row CHECK (id = 1)
);

-- [jooq ignore start]
INSERT INTO worker_removal_horizon (id, forgotten_through) VALUES (1, 0);
CREATE INDEX worker_removal_change_idx ON worker_removal (change_xid);

CREATE FUNCTION worker_stamp_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.change_xid := pg_current_xact_id()::text::bigint;
  RETURN NEW;
END
$$;
CREATE TRIGGER worker_stamp_change BEFORE INSERT OR UPDATE ON worker
  FOR EACH ROW EXECUTE FUNCTION worker_stamp_change();

CREATE FUNCTION worker_record_removal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO worker_removal (worker_id, change_xid) VALUES (OLD.id, pg_current_xact_id()::text::bigint);
  RETURN OLD;
END
$$;
CREATE TRIGGER worker_record_removal AFTER DELETE ON worker
  FOR EACH ROW EXECUTE FUNCTION worker_record_removal();

-- prunes are rare: each one forgets the removals older than a day
CREATE FUNCTION worker_forget_old_removals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH forgotten AS (DELETE FROM worker_removal WHERE removed_at < now() - interval '1 day' RETURNING change_xid)
  UPDATE worker_removal_horizon
     SET forgotten_through = greatest(forgotten_through, (SELECT max(change_xid) FROM forgotten))
   WHERE id = 1 AND EXISTS (SELECT FROM forgotten);
  RETURN NULL;
END
$$;
CREATE TRIGGER worker_forget_old_removals AFTER DELETE ON worker
  FOR EACH STATEMENT EXECUTE FUNCTION worker_forget_old_removals();

UPDATE worker SET change_xid = pg_current_xact_id()::text::bigint;

GRANT SELECT, INSERT, DELETE ON worker_removal TO attune_app;
GRANT SELECT, UPDATE ON worker_removal_horizon TO attune_app;
-- [jooq ignore stop]
