-- attune_app: what workers and schedulers need and nothing more. They read and write workers and executions and
-- check the schema version; they create, alter and drop nothing, and never see the users' password hashes.
-- `attune-worker migrate` with ATTUNE_APP_DATABASE_USER creates a login role in it (see docs/operations.md).
-- Roles belong to the whole cluster: the role is created once and granted again in each database.

-- [jooq ignore start]
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'attune_app') THEN
    CREATE ROLE attune_app NOLOGIN;
  END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO attune_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON worker, execution TO attune_app;
GRANT USAGE, SELECT ON SEQUENCE worker_id_seq, execution_id_seq TO attune_app;
GRANT SELECT ON flyway_schema_history TO attune_app;
-- [jooq ignore stop]
