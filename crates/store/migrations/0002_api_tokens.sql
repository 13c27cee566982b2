-- API tokens: only their SHA-256 is kept. A token is scoped to one tenant,
-- or to the whole server (the MSP) when tenant_id is NULL.
CREATE TABLE api_token (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    tenant_id   TEXT REFERENCES tenant (id),
    created_ms  INTEGER NOT NULL,
    revoked_ms  INTEGER
);
