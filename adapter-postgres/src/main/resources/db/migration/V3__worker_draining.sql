-- A worker that shuts down first becomes `draining`: no new work is placed on it while what it runs finishes.
ALTER TABLE worker DROP CONSTRAINT worker_status_check;
ALTER TABLE worker ADD CONSTRAINT worker_status_check CHECK (status IN ('active', 'draining', 'inactive'));
