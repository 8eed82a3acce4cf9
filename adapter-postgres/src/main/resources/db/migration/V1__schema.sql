-- The schema of the Attune worker registry, executions and users: the single source of truth.
-- jOOQ generates its classes from this file at build time (DDLDatabase simulates it in H2), so statements that
-- only PostgreSQL understands (storage parameters, GIN and partial indexes) sit between [jooq ignore] markers.

-- Workers: one row per unique name; the id survives re-registration.
-- `running` is the capacity reserved on the worker by scheduled and running executions; a scheduler takes a slot
-- with a single conditional UPDATE, so many schedulers never exceed `max_concurrent_executions`.
-- `last_heartbeat` is in no index: a heartbeat is then a HOT update that writes no index entry.
CREATE TABLE worker (
  id                          bigserial    NOT NULL,
  name                        varchar(200) NOT NULL,
  worker_type                 varchar(16)  NOT NULL,
  status                      varchar(16)  NOT NULL,
  cordoned                    boolean      NOT NULL DEFAULT false,
  host                        varchar(255) NOT NULL DEFAULT '',
  capabilities                jsonb        NOT NULL,
  heartbeat_interval_seconds  integer      NOT NULL,
  last_heartbeat              timestamp with time zone,
  running                     integer      NOT NULL DEFAULT 0,
  created                     timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated                     timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT worker_pkey PRIMARY KEY (id),
  CONSTRAINT worker_name_key UNIQUE (name),
  CONSTRAINT worker_type_check CHECK (worker_type IN ('local', 'container', 'remote')),
  CONSTRAINT worker_status_check CHECK (status IN ('active', 'inactive')),
  CONSTRAINT worker_interval_check CHECK (heartbeat_interval_seconds > 0),
  CONSTRAINT worker_running_check CHECK (running >= 0)
);

-- [jooq ignore start]
-- room on each page for the new row versions of heartbeats, so they stay on the page (HOT)
ALTER TABLE worker SET (fillfactor = 75);
-- "which workers offer python?" among thousands: capabilities->'runtimes' @> '["python"]'
CREATE INDEX worker_runtimes_idx ON worker USING gin ((capabilities -> 'runtimes') jsonb_path_ops);
-- [jooq ignore stop]

-- Executions: one row per run of an action. Every change is a compare-and-set on (id, attempt, status).
-- A result is present when `message` is not null; `result` holds its structured part.
CREATE TABLE execution (
  id            bigserial     NOT NULL,
  action_ref    varchar(400)  NOT NULL,
  requirements  jsonb         NOT NULL,
  parameters    jsonb         NOT NULL,
  status        varchar(16)   NOT NULL,
  worker        bigint,
  attempt       integer       NOT NULL DEFAULT 0,
  result        jsonb,
  exit_code     integer,
  stdout        text,
  stderr        text,
  message       text,
  requested_at  timestamp with time zone NOT NULL,
  started_at    timestamp with time zone,
  ended_at      timestamp with time zone,
  updated       timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT execution_pkey PRIMARY KEY (id),
  CONSTRAINT execution_worker_fkey FOREIGN KEY (worker) REFERENCES worker (id),
  CONSTRAINT execution_status_check CHECK (status IN ('requested', 'scheduled', 'running', 'succeeded', 'failed',
      'timed_out', 'cancelled', 'abandoned', 'unschedulable')),
  CONSTRAINT execution_attempt_check CHECK (attempt >= 0)
);

-- [jooq ignore start]
-- what a worker holds (scheduled or running): small, because finished executions leave it
CREATE INDEX execution_held_idx ON execution (worker, status) WHERE status IN ('scheduled', 'running');
-- the queue of executions waiting for a worker, oldest first
CREATE INDEX execution_waiting_idx ON execution (requested_at, id) WHERE status = 'requested';
-- [jooq ignore stop]

-- Users of the Attune system; the password only as a hash.
CREATE TABLE identity (
  id             bigserial     NOT NULL,
  login          varchar(255)  NOT NULL,
  display_name   varchar(255)  NOT NULL,
  password_hash  varchar(512)  NOT NULL,
  attributes     jsonb         NOT NULL DEFAULT '{}',
  created        timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT identity_pkey PRIMARY KEY (id),
  CONSTRAINT identity_login_key UNIQUE (login)
);
