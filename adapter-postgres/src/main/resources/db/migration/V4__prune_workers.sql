-- `workers prune` removes workers gone for good; their past executions keep their results and lose the link.
ALTER TABLE execution DROP CONSTRAINT execution_worker_fkey;
ALTER TABLE execution ADD CONSTRAINT execution_worker_fkey FOREIGN KEY (worker) REFERENCES worker (id)
    ON DELETE SET NULL;
