-- What executions reserve of their worker, by resource kind (issue 23): a new limit on what a worker takes at once
-- is a new kind in the core (ResourceKinds), not a new column and new statements.
--
-- `worker.reserved` counts what the worker's scheduled and running executions reserve of every kind but the slots,
-- by counter: the kind's name ("gpus"), or for a kind counted per key, the kind's name, ':' and the key
-- ("per_pack:core"). Only positive counts are kept. The slots stay in `running`, the slots kind's storage, which
-- every statement and tool reads.
--
-- `execution.reserves` is what the execution reserves of its worker while it holds one, by the same counters
-- ({"slots": 1, "gpus": 2}), written when it is created from its requirements. The statements that place an
-- execution take exactly that, only while every counter has room on the locked worker row, and every statement that
-- gives the slot back gives all of it back in the same UPDATE; so giving back needs no knowledge of any kind.
ALTER TABLE worker ADD COLUMN reserved jsonb NOT NULL DEFAULT '{}';
ALTER TABLE execution ADD COLUMN reserves jsonb NOT NULL DEFAULT '{"slots": 1}';

-- [jooq ignore start]
UPDATE worker SET reserved = jsonb_build_object('gpus', gpus_in_use) WHERE gpus_in_use > 0;
UPDATE execution SET reserves = reserves || jsonb_build_object('gpus', (requirements -> 'gpu' ->> 'count')::int)
 WHERE coalesce((requirements -> 'gpu' ->> 'count')::int, 0) > 0;
-- a writer must say what an execution reserves: a forgotten value would reserve less than the execution holds
ALTER TABLE execution ALTER COLUMN reserves DROP DEFAULT;
ALTER TABLE worker ADD CONSTRAINT worker_reserved_object CHECK (jsonb_typeof(reserved) = 'object');
-- [jooq ignore stop]

ALTER TABLE worker DROP COLUMN gpus_in_use;
