-- Evidence queried by time range alone (the API's from/to without kind or subject).
CREATE INDEX evidence_by_time ON evidence (tenant_id, started_ms);
