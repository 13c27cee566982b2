-- Heartbeat monitors: jobs (backups, cron scripts) ping Rempart at
-- /ping/{token}, Healthchecks-style. One token per monitor.
CREATE TABLE heartbeat (
    token          TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenant (id),
    monitor        TEXT NOT NULL,
    created_ms     INTEGER NOT NULL,
    last_ping_ms   INTEGER,
    last_start_ms  INTEGER,
    last_fail_ms   INTEGER,
    last_exit      INTEGER,
    pings          INTEGER NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, monitor)
);
