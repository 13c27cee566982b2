-- Each monitor's state between two checks (core::monitoring::Tracker as
-- JSON): confirmed health, streaks, recent results, flapping.
CREATE TABLE monitor_state (
    tenant_id   TEXT NOT NULL REFERENCES tenant (id),
    monitor     TEXT NOT NULL,
    tracker     TEXT NOT NULL,
    updated_ms  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, monitor)
);
