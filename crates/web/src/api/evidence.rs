//! `/api/v1/tenants/{tenant}/evidence`: the evidence log, filtered and paged.

use axum::Json;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::rejection::{PathRejection, QueryRejection};
use rempart_core::evidence::{Evidence, EvidenceKind};
use rempart_store::EvidenceQuery;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::tenants::path;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

/// Filters; all optional.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EvidenceParams {
    /// Only records of this kind.
    #[param(schema_with = kind_schema)]
    kind: Option<String>,
    /// Plan element the records are about.
    subject: Option<String>,
    /// Records started at or after this time (ms since the Unix epoch).
    from_ms: Option<i64>,
    /// Records started before this time (ms since the Unix epoch).
    to_ms: Option<i64>,
    /// The `next_after` of the previous page.
    after: Option<i64>,
    /// Page size, 1 to 1000 (default 100); others are refused.
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
}

/// The evidence kinds, as the schema's enum.
fn kind_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(EvidenceKind::ALL.iter().map(|k| k.as_str())))
        .description(Some("Only records of this kind."))
        .build()
}

/// One evidence record.
#[derive(Debug, Serialize, ToSchema)]
pub struct EvidenceBody {
    /// Position in the tenant's log, from 1.
    pub seq: i64,
    pub kind: String,
    pub subject: String,
    pub started_ms: i64,
    pub finished_ms: i64,
    /// `success` or `failure`.
    pub outcome: String,
    /// Figures measured.
    #[schema(value_type = Object)]
    pub measurements: serde_json::Value,
    pub message: String,
    pub job_run: Option<i64>,
    pub recorded_ms: i64,
    /// Hash of the previous record (hex SHA-256).
    pub prev_hash: String,
    /// Hash of this record chained to the previous one.
    pub hash: String,
}

impl From<Evidence> for EvidenceBody {
    fn from(e: Evidence) -> Self {
        EvidenceBody {
            seq: e.seq,
            kind: e.record.kind.as_str().to_owned(),
            subject: e.record.subject,
            started_ms: e.record.started_ms,
            finished_ms: e.record.finished_ms,
            outcome: e.record.outcome.as_str().to_owned(),
            measurements: e.record.measurements,
            message: e.record.message,
            job_run: e.record.job_run,
            recorded_ms: e.recorded_ms,
            prev_hash: e.prev_hash,
            hash: e.hash,
        }
    }
}

/// A page of records, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct EvidencePage {
    pub records: Vec<EvidenceBody>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next_after: Option<i64>,
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_evidence))
}

/// Evidence records, filtered by kind, subject and time, in pages.
#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/evidence", tag = "evidence",
    params(("tenant" = String, Path, description = "Tenant id"), EvidenceParams),
    responses((status = 200, body = EvidencePage), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_evidence(
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
    params: Result<Query<EvidenceParams>, QueryRejection>,
) -> Result<Json<EvidencePage>, ApiError> {
    let scope = caller.tenant(&path(tenant)?).await?;
    let Query(p) = params.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let kind = match p.kind.as_deref() {
        None => None,
        Some(k) => Some(EvidenceKind::parse(k).ok_or_else(|| {
            let words: Vec<&str> = EvidenceKind::ALL.iter().map(|k| k.as_str()).collect();
            ApiError::bad_request(format!("unknown kind \"{k}\": one of {}", words.join(", ")))
        })?),
    };
    let limit = p.limit.unwrap_or(100);
    if !(1..=EvidenceQuery::MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request(format!(
            "limit must be between 1 and {}",
            EvidenceQuery::MAX_LIMIT
        )));
    }
    let records = scope
        .evidence(&EvidenceQuery {
            kind,
            subject: p.subject,
            from_ms: p.from_ms,
            to_ms: p.to_ms,
            after_seq: p.after,
            limit,
        })
        .await?;
    let full = records.len() == usize::try_from(limit).unwrap_or(usize::MAX);
    let next_after = records.last().filter(|_| full).map(|e| e.seq);
    Ok(Json(EvidencePage {
        records: records.into_iter().map(Into::into).collect(),
        next_after,
    }))
}
