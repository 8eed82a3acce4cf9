-- GPUs as a capacity, like the execution slots (issue 14): `gpus_in_use` counts the GPUs that the worker's scheduled
-- and running executions need (their requirements' gpu.count). The assign statement takes them together with the
-- slot, only while count more GPUs with enough memory are free (the worker's capabilities->'gpus', counted in the
-- statement on the locked row), and every statement that gives the slot back gives them back in the same UPDATE.
-- A worker that registers again keeps them, as it keeps `running`. Rows written before this migration hold no GPU.
ALTER TABLE worker ADD COLUMN gpus_in_use integer NOT NULL DEFAULT 0;
ALTER TABLE worker ADD CONSTRAINT worker_gpus_in_use_check CHECK (gpus_in_use >= 0);
