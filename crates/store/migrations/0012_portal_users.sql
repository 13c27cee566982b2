-- People who log in to the portal, their sessions and failed logins.

-- A person: their e-mail (kept lower-cased) and an argon2id hash of their
-- password (PHC string). msp-admin and msp-operator reach every tenant and
-- have no tenant_id; client-admin and client-viewer have exactly one.
CREATE TABLE app_user (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    email            TEXT NOT NULL UNIQUE,
    password_hash    TEXT NOT NULL,
    role             TEXT NOT NULL,
    tenant_id        TEXT REFERENCES tenant (id),
    language         TEXT,
    created_ms       INTEGER NOT NULL,
    password_ms      INTEGER NOT NULL,
    -- Failed logins in a row, and until when the account is locked.
    failed_logins    INTEGER NOT NULL DEFAULT 0,
    locked_until_ms  INTEGER
);

-- Failed logins per client address, for the per-address rate limit.
CREATE TABLE login_failure (
    address  TEXT NOT NULL,
    at_ms    INTEGER NOT NULL
);
CREATE INDEX login_failure_by_address ON login_failure (address, at_ms);

-- Portal sessions: the SHA-256 of the session id (the cookie's value is
-- never stored), whose they are, their data (JSON) and expiry.
CREATE TABLE portal_session (
    id_hash     TEXT PRIMARY KEY,
    user_id     INTEGER REFERENCES app_user (id),
    data        TEXT NOT NULL,
    expiry_ms   INTEGER NOT NULL,
    created_ms  INTEGER NOT NULL,
    seen_ms     INTEGER NOT NULL,
    address     TEXT,
    user_agent  TEXT
);
CREATE INDEX portal_session_by_user ON portal_session (user_id);
