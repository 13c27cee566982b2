//! API errors: a status and a JSON body `{ "error": code, "message": …,
//! "findings": [...] }` that names the problem and, when it can, the fix.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rempart_core::plan::finding::LineIndex;
use rempart_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable code: `unauthorized`, `forbidden`, `not-found`, `bad-request`, `invalid-plan`, `conflict`, `unavailable`.
    pub error: &'static str,
    /// What went wrong, for people.
    pub message: String,
    /// For `invalid-plan` (and `forbidden` for a plan): the same findings as `rempart plan check --json`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<FindingBody>,
}

/// One finding of a rejected plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct FindingBody {
    /// `error` or `warning`.
    pub severity: &'static str,
    pub code: &'static str,
    pub message: String,
    pub hint: Option<String>,
    /// Where inside the plan: `process[2].rto`.
    pub path: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
}

impl ApiError {
    pub fn new(status: StatusCode, error: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            body: ErrorBody {
                error,
                message: message.into(),
                findings: Vec::new(),
            },
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "bad-request", message)
    }

    /// The same answer whether the tenant does not exist or the token may
    /// not see it: existence does not leak.
    pub fn no_tenant(tenant: &str) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("no tenant \"{tenant}\" for this token"),
        )
    }

    /// A rejected plan: 422 with its findings placed by line and column.
    pub fn invalid_plan(source: &str, checked: &rempart_core::plan::Checked) -> Self {
        let mut e = ApiError::with_findings(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-plan",
            source,
            checked,
        );
        e.body.message = format!(
            "the plan has {} error(s); the previous version stays active",
            checked.errors()
        );
        e
    }

    /// A client's plan that holds what only the MSP may set: 403 with a
    /// finding per field, at its line.
    pub fn refused_plan(source: &str, checked: &rempart_core::plan::Checked) -> Self {
        let mut e = ApiError::with_findings(StatusCode::FORBIDDEN, "forbidden", source, checked);
        e.body.message = "this plan holds what only the MSP may set (commands, SQL, the server's environment or files, the server's S3 credentials, folders outside those allowed for your organisation); the previous version stays active".into();
        e
    }

    fn with_findings(
        status: StatusCode,
        error: &'static str,
        source: &str,
        checked: &rempart_core::plan::Checked,
    ) -> Self {
        let index = LineIndex::new(source);
        let findings = checked
            .findings
            .iter()
            .map(|f| {
                let at = f.span.as_ref().map(|s| index.line_col(s.start));
                FindingBody {
                    severity: f.severity.as_str(),
                    code: f.code,
                    message: f.message.clone(),
                    hint: f.hint.clone(),
                    path: f.path.clone(),
                    line: at.map(|a| a.line),
                    column: at.map(|a| a.column),
                }
            })
            .collect();
        ApiError {
            status,
            body: ErrorBody {
                error,
                message: String::new(),
                findings,
            },
        }
    }

    /// 422: well-formed (the OpenAPI document allows it) but it cannot be
    /// done: a window that ends before it starts, folders that overlap the
    /// server's data dir, an empty secret.
    pub fn unprocessable(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable", message)
    }

    /// 409: the request contradicts the state of what it changes.
    pub fn conflict(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::CONFLICT, "conflict", message)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::UnknownTenant(t) => ApiError::no_tenant(&t),
            StoreError::BadTenantId { .. } => ApiError::bad_request(e.to_string()),
            StoreError::BadSecret(_) => ApiError::unprocessable(e.to_string()),
            StoreError::Database { .. } | StoreError::Open { .. } => {
                tracing::error!(error = %e, "store unavailable");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "the store is not reachable; try again shortly",
                )
            }
            other => {
                tracing::error!(error = %other, "store error");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    other.to_string(),
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// Unknown paths get the same JSON error shape.
pub async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not-found", "no such path")
}
