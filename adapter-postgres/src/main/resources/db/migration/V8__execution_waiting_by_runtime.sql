-- "the oldest executions waiting for python": what the scheduler reads once a result has freed a python slot, while
-- executions of other runtimes may be queued ahead of them. Only waiting rows are indexed. (An expression index on
-- JSONB is PostgreSQL's own: jOOQ's code generator skips it.)
-- [jooq ignore start]
CREATE INDEX execution_waiting_runtime_idx ON execution ((requirements ->> 'runtime'), requested_at, id)
  WHERE status = 'requested';
-- [jooq ignore stop]
