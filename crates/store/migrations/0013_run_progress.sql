-- What a running job is doing now (a drill: its run id and current step),
-- as JSON, for the portal's "follow a running drill".
ALTER TABLE job_run ADD COLUMN progress TEXT;
