-- One-off maintenance windows set through the API (recurring ones belong
-- in the plan). `monitors` is a JSON array of ids; empty = every monitor.
CREATE TABLE maintenance_window (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   TEXT NOT NULL REFERENCES tenant (id),
    monitors    TEXT NOT NULL,
    start_ms    INTEGER NOT NULL,
    end_ms      INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_ms  INTEGER NOT NULL
);
CREATE INDEX maintenance_window_by_end ON maintenance_window (tenant_id, end_ms);
