-- Following an execution: every placement as an attempt (its worker, when it was scheduled, started and ended, and
-- how it ended), and an operator's cancel of a running execution, which its worker carries out.
--
-- `attempts` is a JSON array in the core's shape (AttemptTree), oldest first. It is written by the statements that
-- already change the execution (placing, starting, ending), so following an execution costs no statement more.
-- Executions stored before this version start with an empty list; their current attempt is simply not listed.
ALTER TABLE execution ADD COLUMN attempts jsonb NOT NULL DEFAULT '[]';

-- When a cancel of the running execution was requested; null when none was. Every compare-and-set of the execution
-- checks it too, so a change decided without the request in view (a requeue, say) cannot overwrite it.
ALTER TABLE execution ADD COLUMN cancel_requested_at timestamp with time zone;
