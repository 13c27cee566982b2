//! The notification outbox: written before sending, claimed with a lease
//! by one sender at a time, retried until sent or given up.

use serde::Serialize;
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;

use crate::{Column, Result, Store, StoreError, TenantScope};

/// A notification to queue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewNotification {
    /// Who receives it: a channel id of the plan, or `contact:<id>`.
    pub channel: String,
    /// The same key for the same channel is queued once only.
    pub dedup_key: String,
    pub subject: String,
    /// What the message says, as JSON (text, links, figures).
    pub body: serde_json::Value,
    /// A file that goes with it (e-mail only), kept with it until sent.
    pub attachment: Option<Attachment>,
}

/// A file sent with a notification, such as a report's PDF.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    /// `sla-acme-2026-11.pdf`.
    pub file_name: String,
    /// `application/pdf`.
    pub content_type: String,
    /// The file; listed as its length in bytes.
    #[serde(rename = "bytes", serialize_with = "length")]
    pub content: Vec<u8>,
}

fn length<S: serde::Serializer>(content: &[u8], s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_u64(content.len() as u64)
}

/// A queued notification.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notification {
    pub id: i64,
    pub tenant: String,
    pub channel: String,
    pub dedup_key: String,
    pub subject: String,
    pub body: serde_json::Value,
    pub created_ms: i64,
    /// When it is next tried; `None` once sent or given up.
    pub due_ms: Option<i64>,
    pub attempts: i64,
    pub sent_ms: Option<i64>,
    pub gave_up_ms: Option<i64>,
    pub last_error: Option<String>,
    pub attachment: Option<Attachment>,
}

const COLUMNS: &str = "id, tenant_id, channel, dedup_key, subject, body, created_ms, due_ms, attempts, sent_ms, gave_up_ms, last_error, attachment_name, attachment_type, attachment";

fn row(r: &AnyRow) -> Result<Notification> {
    let body: String = r.col("body")?;
    Ok(Notification {
        id: r.col("id")?,
        tenant: r.col("tenant_id")?,
        channel: r.col("channel")?,
        dedup_key: r.col("dedup_key")?,
        subject: r.col("subject")?,
        body: serde_json::from_str(&body)
            .map_err(|e| StoreError::Corrupt(format!("outbox body is not JSON: {e}")))?,
        created_ms: r.col("created_ms")?,
        due_ms: r.col("due_ms")?,
        attempts: r.col("attempts")?,
        sent_ms: r.col("sent_ms")?,
        gave_up_ms: r.col("gave_up_ms")?,
        last_error: r.col("last_error")?,
        attachment: match (
            r.col::<Option<String>>("attachment_name")?,
            r.col::<Option<String>>("attachment_type")?,
            r.col::<Option<Vec<u8>>>("attachment")?,
        ) {
            (Some(file_name), Some(content_type), Some(content)) => Some(Attachment {
                file_name,
                content_type,
                content,
            }),
            _ => None,
        },
    })
}

impl TenantScope {
    /// Queues notifications, due now, in one transaction; one already
    /// queued with the same channel and dedup key is left as it is.
    /// Returns how many were new.
    pub async fn enqueue(&self, notes: &[NewNotification], now_ms: i64) -> Result<u64> {
        let doing = "queueing notifications";
        let mut tx = self.store.begin(doing).await?;
        let mut added = 0;
        for n in notes {
            let file = n.attachment.as_ref();
            let done = sqlx::query(
                "INSERT INTO outbox (tenant_id, channel, dedup_key, subject, body, created_ms, due_ms,
                                     attachment_name, attachment_type, attachment)
                 VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9)
                 ON CONFLICT (tenant_id, channel, dedup_key) DO NOTHING",
            )
            .bind(&self.tenant)
            .bind(&n.channel)
            .bind(&n.dedup_key)
            .bind(&n.subject)
            .bind(n.body.to_string())
            .bind(now_ms)
            .bind(file.map(|f| f.file_name.clone()))
            .bind(file.map(|f| f.content_type.clone()))
            .bind(file.map(|f| f.content.clone()))
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db(doing))?;
            added += done.rows_affected();
        }
        tx.commit().await.map_err(StoreError::db(doing))?;
        Ok(added)
    }

    /// Whether anything was ever queued under `dedup_key`, for any
    /// receiver (sent, given up or pending): a job that queues a batch in
    /// one transaction knows from this that it already did.
    pub async fn queued(&self, dedup_key: &str) -> Result<bool> {
        let found = sqlx::query(
            "SELECT 1 AS one FROM outbox WHERE tenant_id = $1 AND dedup_key = $2 LIMIT 1",
        )
        .bind(&self.tenant)
        .bind(dedup_key)
        .fetch_optional(self.store.pool())
        .await
        .map_err(StoreError::db("looking for a queued notification"))?;
        Ok(found.is_some())
    }

    /// The newest notifications first, at most `limit`.
    pub async fn notifications(&self, limit: u32) -> Result<Vec<Notification>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM outbox WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2"
        )))
        .bind(&self.tenant)
        .bind(i64::from(limit))
        .fetch_all(self.store.pool())
        .await
        .map_err(StoreError::db("listing notifications"))?;
        rows.iter().map(row).collect()
    }
}

impl Store {
    /// Claims up to `limit` due notifications of any tenant for `owner`
    /// until `now + lease_ms`. Safe with several servers: a notification is
    /// held by one of them at a time.
    pub async fn claim_notifications(
        &self,
        owner: &str,
        now_ms: i64,
        lease_ms: i64,
        limit: i64,
    ) -> Result<Vec<Notification>> {
        let doing = "claiming notifications";
        let sql = format!(
            "UPDATE outbox SET lease_owner = $1, lease_until = $2
             WHERE id IN (
                SELECT id FROM outbox
                WHERE due_ms IS NOT NULL AND due_ms <= $3
                  AND (lease_until IS NULL OR lease_until < $3)
                ORDER BY due_ms, id LIMIT $4{})
               AND (lease_until IS NULL OR lease_until < $3)
             RETURNING {COLUMNS}",
            self.backend().skip_locked()
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(owner)
            .bind(now_ms + lease_ms)
            .bind(now_ms)
            .bind(limit)
            .fetch_all(self.pool())
            .await
            .map_err(StoreError::db(doing))?;
        let mut claimed: Vec<Notification> = rows.iter().map(row).collect::<Result<_>>()?;
        claimed.sort_by_key(|n| n.id);
        Ok(claimed)
    }

    /// Records a delivery. False when `owner` no longer held it (its lease
    /// expired and another sender took it).
    pub async fn notification_sent(&self, id: i64, owner: &str, now_ms: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE outbox SET sent_ms = $3, due_ms = NULL, attempts = attempts + 1,
                    lease_owner = NULL, lease_until = NULL, last_error = NULL
             WHERE id = $1 AND lease_owner = $2",
        )
        .bind(id)
        .bind(owner)
        .bind(now_ms)
        .execute(self.pool())
        .await
        .map_err(StoreError::db("recording a delivery"))?;
        Ok(done.rows_affected() > 0)
    }

    /// Records a failed attempt: tried again at `retry_ms`, or given up
    /// (at `now_ms`) when `None`.
    pub async fn notification_failed(
        &self,
        id: i64,
        owner: &str,
        now_ms: i64,
        error: &str,
        retry_ms: Option<i64>,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE outbox SET due_ms = $3, gave_up_ms = $4, attempts = attempts + 1,
                    lease_owner = NULL, lease_until = NULL, last_error = $5
             WHERE id = $1 AND lease_owner = $2",
        )
        .bind(id)
        .bind(owner)
        .bind(retry_ms)
        .bind(retry_ms.is_none().then_some(now_ms))
        .bind(error)
        .execute(self.pool())
        .await
        .map_err(StoreError::db("recording a failed delivery"))?;
        Ok(done.rows_affected() > 0)
    }

    /// Holds a claimed notification until `due_ms` (it will go out with
    /// others to the same receiver); no attempt is counted.
    pub async fn notification_postponed(&self, id: i64, owner: &str, due_ms: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE outbox SET due_ms = $3, lease_owner = NULL, lease_until = NULL
             WHERE id = $1 AND lease_owner = $2",
        )
        .bind(id)
        .bind(owner)
        .bind(due_ms)
        .execute(self.pool())
        .await
        .map_err(StoreError::db("postponing a notification"))?;
        Ok(done.rows_affected() > 0)
    }

    /// Notifications due and not sent, all tenants.
    pub async fn notifications_pending(&self) -> Result<i64> {
        let r = sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE due_ms IS NOT NULL")
            .fetch_one(self.pool())
            .await
            .map_err(StoreError::db("counting pending notifications"))?;
        r.col("n")
    }
}
