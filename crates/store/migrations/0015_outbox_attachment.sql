-- A file sent with a notification (the monthly SLA report's PDF with its
-- e-mail), kept in the outbox with it so that a restart sends the very
-- bytes whose digest the report's evidence record holds. At most one per
-- notification; none for alerts.
ALTER TABLE outbox ADD COLUMN attachment_name TEXT;
ALTER TABLE outbox ADD COLUMN attachment_type TEXT;
ALTER TABLE outbox ADD COLUMN attachment BLOB;
