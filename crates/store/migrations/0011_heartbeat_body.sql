-- What a heartbeat's pings carried: the body a job POSTs with its ping
-- (its output, Healthchecks-style), the first 10 000 bytes; the last one
-- heard, of any kind, and the last one sent with a failure.
ALTER TABLE heartbeat ADD COLUMN last_body TEXT;
ALTER TABLE heartbeat ADD COLUMN last_body_ms INTEGER;
ALTER TABLE heartbeat ADD COLUMN last_body_kind TEXT;
ALTER TABLE heartbeat ADD COLUMN last_fail_body TEXT;
