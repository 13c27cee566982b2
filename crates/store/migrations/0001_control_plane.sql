-- Tenants, plan versions, the evidence log and the job queue.
-- Times are milliseconds since the Unix epoch (UTC).

CREATE TABLE tenant (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_ms  INTEGER NOT NULL
);

-- Every accepted plan version; the active plan is the highest version.
CREATE TABLE plan_version (
    tenant_id    TEXT NOT NULL REFERENCES tenant (id),
    version      INTEGER NOT NULL,
    source       TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    accepted_by  TEXT NOT NULL,
    accepted_ms  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, version)
);

-- The last record written to each tenant's evidence log: serialises
-- appends and detects removal of the newest records.
CREATE TABLE evidence_head (
    tenant_id   TEXT PRIMARY KEY REFERENCES tenant (id),
    seq         INTEGER NOT NULL,
    hash        TEXT NOT NULL,
    -- Where the log starts after retention: the last removed record.
    start_seq   INTEGER NOT NULL,
    start_hash  TEXT NOT NULL
);

CREATE TABLE evidence (
    tenant_id     TEXT NOT NULL REFERENCES tenant (id),
    seq           INTEGER NOT NULL,
    recorded_ms   INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    subject       TEXT NOT NULL,
    started_ms    INTEGER NOT NULL,
    finished_ms   INTEGER NOT NULL,
    outcome       TEXT NOT NULL,
    measurements  TEXT NOT NULL,
    message       TEXT NOT NULL,
    job_run       INTEGER,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX evidence_by_kind ON evidence (tenant_id, kind, started_ms);
CREATE INDEX evidence_by_subject ON evidence (tenant_id, subject, started_ms);

-- Explicit removals of old evidence (retention), themselves kept.
CREATE TABLE evidence_retention (
    tenant_id   TEXT NOT NULL REFERENCES tenant (id),
    up_to_seq   INTEGER NOT NULL,
    up_to_hash  TEXT NOT NULL,
    removed     INTEGER NOT NULL,
    done_by     TEXT NOT NULL,
    done_ms     INTEGER NOT NULL
);

-- One row per scheduled thing (tenant, kind, subject); a run holds a lease.
CREATE TABLE job (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id     TEXT NOT NULL REFERENCES tenant (id),
    kind          TEXT NOT NULL,
    subject       TEXT NOT NULL,
    schedule      TEXT,
    due_ms        INTEGER,
    attempt       INTEGER NOT NULL DEFAULT 0,
    lease_owner   TEXT,
    lease_until   INTEGER,
    run_id        INTEGER,
    last_outcome  TEXT,
    last_error    TEXT,
    last_run_ms   INTEGER,
    UNIQUE (tenant_id, kind, subject)
);
CREATE INDEX job_due ON job (due_ms);

CREATE TABLE job_run (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id       INTEGER NOT NULL REFERENCES job (id),
    tenant_id    TEXT NOT NULL REFERENCES tenant (id),
    owner        TEXT NOT NULL,
    attempt      INTEGER NOT NULL,
    started_ms   INTEGER NOT NULL,
    finished_ms  INTEGER,
    outcome      TEXT,
    error        TEXT
);
CREATE INDEX job_run_by_job ON job_run (job_id, started_ms);
