-- Crises: what happened in one is its `crisis` evidence records; this
-- table only says which crisis is open (one per tenant at a time, the
-- partial unique index) and when its call tree, reminders or injects are
-- next due, leased like alerts so that one server acts on each.
CREATE TABLE crisis (
    tenant_id    TEXT NOT NULL REFERENCES tenant (id),
    id           TEXT NOT NULL,
    declared_ms  INTEGER NOT NULL,
    closed_ms    INTEGER,
    next_due_ms  INTEGER,
    lease_owner  TEXT,
    lease_until  INTEGER,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX crisis_one_open ON crisis (tenant_id) WHERE closed_ms IS NULL;
CREATE INDEX crisis_due ON crisis (next_due_ms);
