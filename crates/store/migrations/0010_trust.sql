-- The trust boundary between the MSP and its clients (DESIGN.md, "Trust model").

-- Who rules each tenant's plan: `file:<absolute path>` (a plan file on the
-- server: read-only through the API) or `api`. Existing tenants follow
-- their newest plan version.
ALTER TABLE tenant ADD COLUMN managed_by TEXT NOT NULL DEFAULT 'api';
UPDATE tenant SET managed_by = COALESCE((
    SELECT CASE WHEN p.accepted_by LIKE 'file:%' THEN p.accepted_by ELSE 'api' END
    FROM plan_version p WHERE p.tenant_id = tenant.id
    ORDER BY p.version DESC LIMIT 1), 'api');

-- Whether a plan version came from the MSP (`msp`: every feature) or from
-- a client's credentials (`client`: nothing that runs or reads on the server).
ALTER TABLE plan_version ADD COLUMN author TEXT NOT NULL DEFAULT 'msp';
-- Versions sent through the API before this do not say whether the MSP or
-- a client sent them: they are held to a client's rules (a refused one
-- stops running, and says so) until the MSP sends them again.
UPDATE plan_version SET author = 'client' WHERE accepted_by NOT LIKE 'file:%';

-- The folders under which a client's plan may name local paths.
CREATE TABLE tenant_root (
    tenant_id  TEXT NOT NULL REFERENCES tenant (id),
    path       TEXT NOT NULL,
    added_ms   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, path)
);

-- A tenant's secrets, sealed with the server's master key (AES-256-GCM,
-- the tenant and name as associated data); `sealed` is the hex of the
-- nonce followed by the ciphertext and tag. Never returned by any API.
CREATE TABLE tenant_secret (
    tenant_id   TEXT NOT NULL REFERENCES tenant (id),
    name        TEXT NOT NULL,
    key_id      TEXT NOT NULL,
    sealed      TEXT NOT NULL,
    created_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL,
    updated_by  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

-- What a token is for: `api` (its tenant, or the whole server) or
-- `metrics` (only Prometheus' /metrics).
ALTER TABLE api_token ADD COLUMN purpose TEXT NOT NULL DEFAULT 'api';
