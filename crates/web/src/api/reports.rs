//! `/api/v1/tenants/{tenant}/reports/{kind}`: a document made from the
//! tenant's plan and evidence (PRA, PCA, SLA report, drill report,
//! audit), as `rempart report` makes it; its SHA-256 is kept as a
//! `report` record. `/api/v1/tenants/{tenant}/audit`: the compliance
//! audit, as `rempart audit --json` gives it.

use axum::Json;
use axum::body::Body;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use rempart_report::{Format, Kind, ReportError, Wanted};
use rempart_store::now_ms;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::status::no_plan;
use super::tenants::path;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_report))
        .routes(routes!(get_audit))
}

/// How the document is wanted; all optional.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// `pdf` (default), `html` or `md`.
    #[param(schema_with = format_schema)]
    format: Option<String>,
    /// `fr` or `en` (default: the plan's language).
    #[param(schema_with = lang_schema)]
    lang: Option<String>,
    /// The month of an SLA report, `YYYY-MM` (default: the current month).
    #[param(pattern = r"^[0-9]{4}-[0-9]{2}$")]
    month: Option<String>,
    /// The drill run of a drill report (default: the latest).
    run: Option<String>,
    /// The crisis of a post-incident report (default: the newest).
    crisis: Option<String>,
}

fn enum_schema(values: &[&'static str], description: &str) -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(values.iter().copied()))
        .description(Some(description))
        .build()
}

fn format_schema() -> utoipa::openapi::Object {
    enum_schema(&["pdf", "html", "md"], "pdf (default), html or md.")
}

fn lang_schema() -> utoipa::openapi::Object {
    enum_schema(&["fr", "en"], "fr or en (default: the plan's language).")
}

/// The documents, as the path's schema names them.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)] // only its schema is used
enum DocumentKind {
    /// Disaster-recovery plan.
    Pra,
    /// Business-continuity plan.
    Pca,
    /// Monthly service report.
    Sla,
    /// A drill run's report.
    Drill,
    /// Compliance audit.
    Audit,
    /// A crisis' post-incident report.
    Crisis,
}

/// A document, as a file: `Content-Disposition` names it; the headers
/// `X-Rempart-Sha256` and `X-Rempart-Evidence` give its digest and the
/// number of the `report` record that keeps it.
#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/reports/{kind}", tag = "reports",
    params(("tenant" = String, Path, description = "Tenant id"),
           ("kind" = inline(DocumentKind), Path, description = "pra (disaster-recovery plan), pca (business-continuity plan), sla (monthly service report), drill (a drill run's report), audit (compliance audit) or crisis (a crisis' post-incident report)"),
           ReportParams),
    responses(
        (status = 200, description = "The document", content(
            (String = "application/pdf"),
            (String = "text/html; charset=utf-8"),
            (String = "text/markdown; charset=utf-8")),
         headers(("X-Rempart-Sha256" = String, description = "SHA-256 of the body, hex"),
                 ("X-Rempart-Evidence" = i64, description = "The report record that keeps the digest"),
                 ("Content-Disposition" = String, description = "attachment; filename=…"))),
        (status = 400, body = ErrorBody, description = "A parameter that is not one of the above"),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "No such tenant or document kind, or no plan yet"),
        (status = 422, body = ErrorBody, description = "A month that is not one, a drill run or a crisis that does not exist, or no crisis yet")))]
async fn get_report(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<ReportParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let (tenant, kind) = path(params)?;
    let Query(q) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let scope = caller.tenant(&tenant).await?;
    let kind = Kind::parse(&kind).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "no-such-document",
            format!("no document \"{kind}\": pra, pca, sla, drill, audit or crisis"),
        )
    })?;
    let format = match q.format.as_deref() {
        None => Format::Pdf,
        Some(f) => Format::parse(f)
            .ok_or_else(|| ApiError::bad_request(format!("format \"{f}\": pdf, html or md")))?,
    };
    let active = rempart_engine::active_plan(&scope, &state.data_dir, &state.plans)
        .await
        .ok_or_else(no_plan)?;
    let lang = match q.lang.as_deref() {
        None => active.plan.organization.language.into(),
        Some(l) => match rempart_i18n::Lang::parse(l) {
            Some(lang) if lang.code() == l => lang,
            _ => return Err(ApiError::bad_request(format!("lang \"{l}\": fr or en"))),
        },
    };
    // The document's pattern for a month; the report says what a
    // well-formed month that is not one is (422).
    if let Some(m) = &q.month {
        let b = m.as_bytes();
        let well_formed = b.len() == 7
            && b[4] == b'-'
            && m.chars()
                .enumerate()
                .all(|(i, c)| i == 4 || c.is_ascii_digit());
        if !well_formed {
            return Err(ApiError::bad_request(format!(
                "month \"{m}\": YYYY-MM, such as 2026-11"
            )));
        }
    }
    let wanted = Wanted {
        kind,
        month: q.month,
        run: q.run,
        crisis: q.crisis,
    };
    let (_, made) = rempart_report::produce(
        &scope,
        &active.plan,
        &active.base,
        &wanted,
        lang,
        format,
        &caller.identity(),
        now_ms(),
    )
    .await
    .map_err(|e| match e {
        ReportError::Usage(why) => ApiError::unprocessable(why),
        ReportError::Store(e) => ApiError::from(e),
        ReportError::Engine(why) => {
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "engine-failed", why)
        }
        ReportError::Render(e) => {
            tracing::error!(tenant = scope.id(), error = %e, "cannot render a document");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "render-failed",
                "the document could not be rendered (logged)",
            )
        }
    })?;
    let mut response = Response::new(Body::from(made.bytes));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(made.format.content_type()),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", made.file_name)) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&made.sha256) {
        headers.insert("x-rempart-sha256", v);
    }
    headers.insert("x-rempart-evidence", HeaderValue::from(made.evidence.seq));
    Ok(response)
}

/// The compliance audit of a tenant.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditBody {
    pub tenant: String,
    /// When it was audited, ms since the Unix epoch.
    pub now_ms: i64,
    /// A high finding stands (`rempart audit` exits 1).
    pub blocking: bool,
    pub pass: usize,
    pub fail: usize,
    pub not_applicable: usize,
    /// Per rule and subject: `rule`, `title`, `clauses`, `subject`,
    /// `severity` (low, medium, high), `verdict` (pass, fail,
    /// not-applicable), `detail` (a `code` and its figures), `text`,
    /// `remediation` (when failing), `evidence` (the records that decided
    /// it: `seq`, `kind`, `subject`, `finished_ms`), `regression`.
    #[schema(value_type = Vec<Object>)]
    pub findings: serde_json::Value,
    /// The risk register: declared and residual scores, each
    /// mitigation's health (healthy, failing, not-measured).
    #[schema(value_type = Vec<Object>)]
    pub risks: serde_json::Value,
    /// DORA and NIS2 texts mapped to the rules that check them.
    #[schema(value_type = Vec<Object>)]
    pub frameworks: serde_json::Value,
}

/// The plan and its evidence held against the compliance rules, and the
/// risk register (read only: `rempart audit` keeps an audit as evidence).
#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/audit", tag = "reports",
    params(("tenant" = String, Path, description = "Tenant id")),
    responses((status = 200, body = AuditBody), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody, description = "No such tenant, or no plan yet")))]
async fn get_audit(
    State(state): State<AppState>,
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
) -> Result<Json<AuditBody>, ApiError> {
    let scope = caller.tenant(&path(tenant)?).await?;
    let plan = super::status::active_plan(&state.plans, &scope).await?;
    let audited = rempart_engine::audit::run(&scope, &plan, now_ms()).await?;
    let mut v =
        rempart_engine::audit::to_json(scope.id(), &audited, plan.organization.language.into());
    Ok(Json(AuditBody {
        tenant: scope.id().to_owned(),
        now_ms: audited.audit.now_ms,
        blocking: audited.audit.blocking(),
        pass: v["pass"].as_u64().unwrap_or(0) as usize,
        fail: v["fail"].as_u64().unwrap_or(0) as usize,
        not_applicable: v["not_applicable"].as_u64().unwrap_or(0) as usize,
        findings: v["findings"].take(),
        risks: v["risks"].take(),
        frameworks: v["frameworks"].take(),
    }))
}
