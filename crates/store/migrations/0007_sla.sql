-- SLA accounting. Each check lands in a minute bucket; buckets older than
-- 48 hours are rolled up into hours, hours older than 90 days into days,
-- kept forever. Checks in a maintenance window are counted apart.
CREATE TABLE monitor_bucket (
    tenant_id       TEXT NOT NULL REFERENCES tenant (id),
    monitor         TEXT NOT NULL,
    resolution      TEXT NOT NULL,
    start_ms        INTEGER NOT NULL,
    checks          INTEGER NOT NULL,
    up              INTEGER NOT NULL,
    maintenance     INTEGER NOT NULL,
    latency_sum_ms  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, monitor, resolution, start_ms)
);

-- Each confirmed outage: from the change to down (or unreachable) to the
-- change back up; open while it lasts.
CREATE TABLE downtime (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  TEXT NOT NULL REFERENCES tenant (id),
    monitor    TEXT NOT NULL,
    state      TEXT NOT NULL,
    start_ms   INTEGER NOT NULL,
    end_ms     INTEGER,
    cause      TEXT NOT NULL
);
CREATE INDEX downtime_by_time ON downtime (tenant_id, monitor, start_ms);
