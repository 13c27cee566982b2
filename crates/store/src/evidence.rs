//! A tenant's evidence log: append-only, hash-chained, queried by kind,
//! subject and time.

use rempart_core::evidence::{
    ChainBreak, ChainStart, Evidence, EvidenceKind, NewEvidence, Outcome, verify_chain,
};
use serde::Serialize;
use sqlx::AssertSqlSafe;

use crate::{Column, Result, StoreError, TenantScope, now_ms};

/// A filter over a tenant's evidence; every field is optional.
#[derive(Debug, Clone, Default)]
pub struct EvidenceQuery {
    pub kind: Option<EvidenceKind>,
    pub subject: Option<String>,
    /// Records that started at or after this time (ms since the epoch).
    pub from_ms: Option<i64>,
    /// Records that started before this time (ms since the epoch).
    pub to_ms: Option<i64>,
    /// Records after this `seq` (the previous page's last), for paging.
    pub after_seq: Option<i64>,
    /// Page size; at most [`EvidenceQuery::MAX_LIMIT`].
    pub limit: u32,
}

impl EvidenceQuery {
    pub const MAX_LIMIT: u32 = 1_000;
}

/// The result of checking a tenant's whole log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub tenant: String,
    /// Records checked and found intact (up to the break, if any).
    pub checked: u64,
    /// The number of the last record written.
    pub head: i64,
    /// The first record that is not what was written, and how.
    pub broken: Option<String>,
    /// Its number, when the break is at a record.
    pub broken_seq: Option<i64>,
}

/// Records read per round trip while verifying.
const VERIFY_PAGE: i64 = 5_000;

const COLUMNS: &str = "seq, recorded_ms, kind, subject, started_ms, finished_ms, outcome, measurements, message, job_run, prev_hash, hash";

impl TenantScope {
    /// The number of the last record written (0 for an empty log): it
    /// changes whenever the log does.
    pub async fn evidence_head(&self) -> Result<i64> {
        sqlx::query("SELECT seq FROM evidence_head WHERE tenant_id = $1")
            .bind(&self.tenant)
            .fetch_optional(self.store.pool())
            .await
            .map_err(StoreError::db("reading the evidence head"))?
            .ok_or_else(|| StoreError::UnknownTenant(self.tenant.clone()))?
            .col("seq")
    }

    /// Appends one record; returns it numbered and chained.
    pub async fn append(&self, record: NewEvidence) -> Result<Evidence> {
        let mut stored = self.append_batch(vec![record]).await?;
        stored
            .pop()
            .ok_or_else(|| StoreError::Corrupt("an append returned no record".into()))
    }

    /// Appends records in one transaction: all are written or none.
    pub async fn append_batch(&self, records: Vec<NewEvidence>) -> Result<Vec<Evidence>> {
        if records.is_empty() {
            return Ok(Vec::new());
        }
        let doing = "appending evidence";
        let mut tx = self.store.begin(doing).await?;
        let stored = self.append_in(&mut tx, records, doing).await?;
        tx.commit().await.map_err(StoreError::db(doing))?;
        // A check's record alone is not news: its monitor's change is
        // told when its state changes.
        if stored
            .iter()
            .any(|e| e.record.kind != rempart_core::evidence::EvidenceKind::Probe)
        {
            self.changed(crate::What::Evidence).await;
        }
        Ok(stored)
    }

    /// Appends records inside `tx`, with the change they record.
    pub(crate) async fn append_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        records: Vec<NewEvidence>,
        doing: &'static str,
    ) -> Result<Vec<Evidence>> {
        let n = i64::try_from(records.len())
            .map_err(|_| StoreError::Corrupt("too many records in one batch".into()))?;
        // Writing first takes the tenant's head lock (PostgreSQL row lock,
        // SQLite write lock) before anything is read: appends serialise.
        let head = sqlx::query(
            "UPDATE evidence_head SET seq = seq + $2 WHERE tenant_id = $1 RETURNING seq, hash",
        )
        .bind(&self.tenant)
        .bind(n)
        .fetch_optional(&mut **tx)
        .await
        .map_err(StoreError::db(doing))?
        .ok_or_else(|| StoreError::UnknownTenant(self.tenant.clone()))?;
        let last_seq: i64 = head.col("seq")?;
        let mut prev_hash: String = head.col("hash")?;
        let recorded_ms = now_ms();
        let mut stored = Vec::with_capacity(records.len());
        for (i, mut record) in (1..).zip(records) {
            // Secrets never reach the log: scrubbed before the record is chained.
            record.message = self.scrubber.scrub(&record.message);
            self.scrubber.scrub_json(&mut record.measurements);
            let e = Evidence::chain(
                &self.tenant,
                last_seq - n + i,
                recorded_ms,
                record,
                &prev_hash,
            );
            prev_hash = e.hash.clone();
            stored.push(e);
        }
        // Multi-row INSERTs, under the parameter limits of both engines.
        for chunk in stored.chunks(64) {
            let mut sql = String::from(
                "INSERT INTO evidence (tenant_id, seq, recorded_ms, kind, subject, started_ms, finished_ms, outcome, measurements, message, job_run, prev_hash, hash) VALUES ",
            );
            for (row, _) in chunk.iter().enumerate() {
                let b = row * 13;
                if row > 0 {
                    sql.push(',');
                }
                let params: Vec<String> = (1..=13).map(|p| format!("${}", b + p)).collect();
                sql.push_str(&format!("({})", params.join(",")));
            }
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for e in chunk {
                let r = &e.record;
                q = q
                    .bind(&self.tenant)
                    .bind(e.seq)
                    .bind(e.recorded_ms)
                    .bind(r.kind.as_str())
                    .bind(&r.subject)
                    .bind(r.started_ms)
                    .bind(r.finished_ms)
                    .bind(r.outcome.as_str())
                    .bind(r.measurements.to_string())
                    .bind(&r.message)
                    .bind(r.job_run)
                    .bind(&e.prev_hash)
                    .bind(&e.hash);
            }
            q.execute(&mut **tx).await.map_err(StoreError::db(doing))?;
        }
        sqlx::query("UPDATE evidence_head SET hash = $2 WHERE tenant_id = $1")
            .bind(&self.tenant)
            .bind(&prev_hash)
            .execute(&mut **tx)
            .await
            .map_err(StoreError::db(doing))?;
        Ok(stored)
    }

    /// Every record matching `query` (its `limit` and `after_seq`
    /// ignored), oldest first, read in pages of [`EvidenceQuery::MAX_LIMIT`].
    pub async fn evidence_all(&self, query: &EvidenceQuery) -> Result<Vec<Evidence>> {
        let mut page_query = EvidenceQuery {
            limit: EvidenceQuery::MAX_LIMIT,
            after_seq: None,
            ..query.clone()
        };
        let mut all = Vec::new();
        loop {
            let page = self.evidence(&page_query).await?;
            let full = page.len() == EvidenceQuery::MAX_LIMIT as usize;
            page_query.after_seq = page.last().map(|e| e.seq);
            all.extend(page);
            if !full {
                return Ok(all);
            }
        }
    }

    /// Records matching `query`, oldest first.
    pub async fn evidence(&self, query: &EvidenceQuery) -> Result<Vec<Evidence>> {
        let mut sql = format!("SELECT {COLUMNS} FROM evidence WHERE tenant_id = $1");
        let mut n = 1;
        let mut next = |clause: &str, sql: &mut String| {
            n += 1;
            sql.push_str(&format!(" AND {clause} ${n}"));
        };
        if query.kind.is_some() {
            next("kind =", &mut sql);
        }
        if query.subject.is_some() {
            next("subject =", &mut sql);
        }
        if query.from_ms.is_some() {
            next("started_ms >=", &mut sql);
        }
        if query.to_ms.is_some() {
            next("started_ms <", &mut sql);
        }
        if query.after_seq.is_some() {
            next("seq >", &mut sql);
        }
        let limit = query.limit.clamp(1, EvidenceQuery::MAX_LIMIT);
        sql.push_str(&format!(" ORDER BY seq LIMIT {limit}"));
        let mut q = sqlx::query(AssertSqlSafe(sql)).bind(&self.tenant);
        if let Some(k) = query.kind {
            q = q.bind(k.as_str());
        }
        if let Some(s) = &query.subject {
            q = q.bind(s.as_str());
        }
        for v in [query.from_ms, query.to_ms, query.after_seq]
            .into_iter()
            .flatten()
        {
            q = q.bind(v);
        }
        let rows = q
            .fetch_all(self.store.pool())
            .await
            .map_err(StoreError::db("querying evidence"))?;
        rows.iter().map(|r| self.evidence_row(r)).collect()
    }

    fn evidence_row(&self, r: &sqlx::any::AnyRow) -> Result<Evidence> {
        let seq: i64 = r.col("seq")?;
        let corrupt = |what: &str| {
            StoreError::Corrupt(format!(
                "evidence #{seq} of tenant \"{}\": {what}",
                self.tenant
            ))
        };
        let kind: String = r.col("kind")?;
        let outcome: String = r.col("outcome")?;
        let measurements: String = r.col("measurements")?;
        Ok(Evidence {
            tenant: self.tenant.clone(),
            seq,
            recorded_ms: r.col("recorded_ms")?,
            record: NewEvidence {
                kind: EvidenceKind::parse(&kind)
                    .ok_or_else(|| corrupt(&format!("unknown kind \"{kind}\"")))?,
                subject: r.col("subject")?,
                started_ms: r.col("started_ms")?,
                finished_ms: r.col("finished_ms")?,
                outcome: Outcome::parse(&outcome)
                    .ok_or_else(|| corrupt(&format!("unknown outcome \"{outcome}\"")))?,
                measurements: serde_json::from_str(&measurements)
                    .map_err(|e| corrupt(&format!("measurements are not JSON: {e}")))?,
                message: r.col("message")?,
                job_run: r.col("job_run")?,
            },
            prev_hash: r.col("prev_hash")?,
            hash: r.col("hash")?,
        })
    }

    /// Retention: removes the records that started before `before_ms`,
    /// oldest first, up to the first one that did not. The chain stays
    /// verifiable: its new start is the last removed record's hash, and
    /// the removal itself is logged in `evidence_retention`. Returns the
    /// number of records removed.
    pub async fn prune_evidence(&self, before_ms: i64, done_by: &str) -> Result<i64> {
        let doing = "pruning evidence";
        let mut tx = self.store.begin(doing).await?;
        // Taking the head first serialises with appends, as they do.
        let head = sqlx::query(
            "UPDATE evidence_head SET seq = seq WHERE tenant_id = $1 RETURNING start_seq",
        )
        .bind(&self.tenant)
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::db(doing))?
        .ok_or_else(|| StoreError::UnknownTenant(self.tenant.clone()))?;
        let start_seq: i64 = head.col("start_seq")?;
        // An open crisis keeps its records: the cut never passes its
        // declaration (its state is folded from them).
        let open = sqlx::query(
            "SELECT MIN(declared_ms) AS at FROM crisis WHERE tenant_id = $1 AND closed_ms IS NULL",
        )
        .bind(&self.tenant)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::db(doing))?;
        let before_ms = match open.col::<Option<i64>>("at")? {
            Some(declared) => before_ms.min(declared),
            None => before_ms,
        };
        // The first record to keep: the oldest that started at or after the
        // cut; records are removed only as a prefix of the log.
        let keep = sqlx::query(
            "SELECT MIN(seq) AS seq FROM evidence WHERE tenant_id = $1 AND started_ms >= $2",
        )
        .bind(&self.tenant)
        .bind(before_ms)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::db(doing))?;
        let first_kept: Option<i64> = keep.col("seq")?;
        let last_removed = match first_kept {
            Some(seq) => seq - 1,
            None => {
                let max = sqlx::query("SELECT MAX(seq) AS seq FROM evidence WHERE tenant_id = $1")
                    .bind(&self.tenant)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(StoreError::db(doing))?;
                max.col::<Option<i64>>("seq")?.unwrap_or(start_seq)
            }
        };
        if last_removed <= start_seq {
            tx.rollback().await.map_err(StoreError::db(doing))?;
            return Ok(0);
        }
        let anchor = sqlx::query("SELECT hash FROM evidence WHERE tenant_id = $1 AND seq = $2")
            .bind(&self.tenant)
            .bind(last_removed)
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::db(doing))?
            .ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "evidence #{last_removed} of tenant \"{}\" is missing: run `rempart evidence verify`",
                    self.tenant
                ))
            })?;
        let anchor_hash: String = anchor.col("hash")?;
        let removed = sqlx::query("DELETE FROM evidence WHERE tenant_id = $1 AND seq <= $2")
            .bind(&self.tenant)
            .bind(last_removed)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db(doing))?
            .rows_affected();
        sqlx::query(
            "UPDATE evidence_head SET start_seq = $2, start_hash = $3 WHERE tenant_id = $1",
        )
        .bind(&self.tenant)
        .bind(last_removed)
        .bind(&anchor_hash)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::db(doing))?;
        let removed = i64::try_from(removed).unwrap_or(i64::MAX);
        // A closed crisis whose declaration is gone is gone with it.
        sqlx::query(
            "DELETE FROM crisis WHERE tenant_id = $1 AND closed_ms IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.tenant_id = crisis.tenant_id
                   AND e.kind = 'crisis' AND e.subject = crisis.id AND e.started_ms = crisis.declared_ms)",
        )
        .bind(&self.tenant)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::db(doing))?;
        sqlx::query(
            "INSERT INTO evidence_retention (tenant_id, up_to_seq, up_to_hash, removed, done_by, done_ms)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&self.tenant)
        .bind(last_removed)
        .bind(&anchor_hash)
        .bind(removed)
        .bind(done_by)
        .bind(now_ms())
        .execute(&mut *tx)
        .await
        .map_err(StoreError::db(doing))?;
        tx.commit().await.map_err(StoreError::db(doing))?;
        Ok(removed)
    }

    /// Checks the whole log against its hash chain and head; reports the
    /// first record that was edited, removed or reordered.
    pub async fn verify_evidence(&self) -> Result<VerifyReport> {
        let head = sqlx::query(
            "SELECT seq, start_seq, start_hash FROM evidence_head WHERE tenant_id = $1",
        )
        .bind(&self.tenant)
        .fetch_optional(self.store.pool())
        .await
        .map_err(StoreError::db("reading the evidence head"))?
        .ok_or_else(|| StoreError::UnknownTenant(self.tenant.clone()))?;
        let head_seq: i64 = head.col("seq")?;
        let mut start = ChainStart {
            seq: head.col("start_seq")?,
            hash: head.col("start_hash")?,
        };
        let mut checked = 0u64;
        let mut outcome: Option<ChainBreak> = None;
        loop {
            let sql = format!(
                "SELECT {COLUMNS} FROM evidence WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT {VERIFY_PAGE}"
            );
            let rows = sqlx::query(AssertSqlSafe(sql))
                .bind(&self.tenant)
                .bind(start.seq)
                .fetch_all(self.store.pool())
                .await
                .map_err(StoreError::db("reading evidence"))?;
            let mut page = Vec::with_capacity(rows.len());
            for r in &rows {
                match self.evidence_row(r) {
                    Ok(e) => page.push(e),
                    // Unreadable content is an edit too: name the record.
                    Err(StoreError::Corrupt(_)) => {
                        let seq: i64 = r.col("seq")?;
                        outcome = Some(ChainBreak::Edited { seq });
                        break;
                    }
                    Err(e) => return Err(e),
                }
            }
            if outcome.is_some() {
                break;
            }
            let full = i64::try_from(page.len()).unwrap_or(0) == VERIFY_PAGE;
            // Within a page, the end of the log is only known at the last page.
            let page_head = if full {
                page.last().map_or(head_seq, |e| e.seq)
            } else {
                head_seq
            };
            match verify_chain(&page, &start, page_head) {
                Ok(n) => checked += n,
                Err(b) => {
                    outcome = Some(b);
                    break;
                }
            }
            match page.last() {
                Some(last) if full => {
                    start = ChainStart {
                        seq: last.seq,
                        hash: last.hash.clone(),
                    };
                }
                _ => break,
            }
        }
        let broken_seq = outcome.as_ref().map(|b| match b {
            ChainBreak::Missing { expected, .. } => *expected,
            ChainBreak::Edited { seq } | ChainBreak::Unlinked { seq } => *seq,
            ChainBreak::Truncated { last, .. } => last + 1,
        });
        Ok(VerifyReport {
            tenant: self.tenant.clone(),
            checked,
            head: head_seq,
            broken: outcome.map(|b| b.to_string()),
            broken_seq,
        })
    }
}
