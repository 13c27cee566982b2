-- Alerts being escalated: opened when a monitor is confirmed down, each
-- step of its escalation notified in turn until someone acknowledges it
-- or the monitor is back.
CREATE TABLE alert (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id    TEXT NOT NULL REFERENCES tenant (id),
    monitor      TEXT NOT NULL,
    escalation   TEXT NOT NULL,
    opened_ms    INTEGER NOT NULL,
    step         INTEGER NOT NULL,
    next_due_ms  INTEGER,
    acked_ms     INTEGER,
    acked_by     TEXT,
    resolved_ms  INTEGER,
    lease_owner  TEXT,
    lease_until  INTEGER
);
CREATE INDEX alert_due ON alert (next_due_ms);
CREATE INDEX alert_open ON alert (tenant_id, monitor, resolved_ms);

-- Secrets of the server itself (the key that signs acknowledgement links),
-- shared by every server on one database.
CREATE TABLE server_secret (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
