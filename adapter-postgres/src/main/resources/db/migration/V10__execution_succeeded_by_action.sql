-- "the worker that last ran this action successfully": what the scheduler asks for an action with
-- placement.prefer_previous_worker. Only succeeded rows are indexed, newest end first, so the answer is one probe
-- however many times the action ran.
-- [jooq ignore start]
CREATE INDEX execution_succeeded_by_action_idx ON execution (action_ref, ended_at DESC NULLS LAST, id DESC)
  WHERE status = 'succeeded' AND worker IS NOT NULL;
-- [jooq ignore stop]
