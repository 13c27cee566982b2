-- The notification outbox: every notification is written here before it
-- is sent, so a restart or a crash loses none. A row is due (due_ms set)
-- until it is sent or given up; a sender holds it with a lease while it
-- tries. One row per (tenant, channel, dedup_key): the same message is
-- never queued twice for the same receiver.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id    TEXT NOT NULL REFERENCES tenant (id),
    channel      TEXT NOT NULL,
    dedup_key    TEXT NOT NULL,
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_ms   INTEGER NOT NULL,
    due_ms       INTEGER,
    attempts     INTEGER NOT NULL DEFAULT 0,
    lease_owner  TEXT,
    lease_until  INTEGER,
    sent_ms      INTEGER,
    gave_up_ms   INTEGER,
    last_error   TEXT
);
CREATE UNIQUE INDEX outbox_dedup ON outbox (tenant_id, channel, dedup_key);
CREATE INDEX outbox_due ON outbox (due_ms);
