//! Rempart's HTTP side: `/healthz`, `/metrics` and the REST API v1, whose
//! OpenAPI document is generated from the handlers themselves and served
//! at `/api/v1/openapi.json`.
//!
//! Handlers stay thin: authentication and tenant access live in
//! [`auth`], errors in [`error`], and each resource in its own file under
//! `api/`, mirroring the paths.

mod ack;
mod answer;
mod api;
mod auth;
mod error;
mod ops;
mod ping;
mod portal;
pub use portal::Kept;

pub use ops::GaugeInputs;
pub use ping::{PingSink, PingWake};

use std::sync::Arc;

use auth::BearerScheme;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodRouter, get};
use rempart_engine::Metrics;
use rempart_store::Store;
use utoipa::OpenApi as _;
use utoipa_axum::router::OpenApiRouter;

/// Largest request body accepted, in bytes (a plan is a few kilobytes).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Longest a request may take, by default, before it is answered 408 and
/// dropped: a slow client or a stuck store never holds a connection for ever.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub metrics: Arc<Metrics>,
    /// Heartbeat pings on their way to the store.
    pub pings: PingSink,
    /// Tenants' plans, parsed once (shared with the runner and supervisor).
    pub plans: rempart_engine::PlanCache,
    /// What `/metrics` computes its gauges from, read when evidence changes.
    pub gauges: GaugeInputs,
    /// Longest a request may take (408 after it).
    pub request_timeout: std::time::Duration,
    /// The server's data dir (no tenant's folder may hold it).
    pub data_dir: std::path::PathBuf,
    /// Portal cookies are sent only over TLS (`Secure`): the server is
    /// reached through https (its public URL says so).
    pub secure_cookies: bool,
    /// Becomes true when the server stops: the portal's live streams end
    /// (a graceful shutdown waits for every open response).
    pub shutdown: tokio::sync::watch::Receiver<bool>,
    /// The tenants' status pages, from the supervisor's memory.
    pub status: rempart_engine::StatusBoard,
    /// The overview's lines and the dashboards' measured part, kept until
    /// their tenant changes.
    pub kept: portal::Kept,
}

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Rempart API",
        description = "Tenants, continuity plans, evidence, jobs, drills, measured status, compliance audit, documents (PRA, PCA, SLA report) and crisis mode of a Rempart server. Authenticate with `Authorization: Bearer <token>` (create one with `rempart token create`).",
        license(name = "AGPL-3.0-or-later")
    ),
    modifiers(&BearerScheme),
    security(("bearer" = []))
)]
struct ApiDoc;

/// The API routes with their OpenAPI description.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(api::tenants::routes())
        .merge(api::plan::routes())
        .merge(api::evidence::routes())
        .merge(api::jobs::routes())
        .merge(api::status::routes())
        .merge(api::drills::routes())
        .merge(api::maintenance::routes())
        .merge(api::secrets::routes())
        .merge(api::reports::routes())
        .merge(api::crisis::routes())
}

/// The OpenAPI document of the API, as served.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().into_openapi()
}

/// The routes outside the OpenAPI document: their path, their methods,
/// and what serves them (authentication is each one's own: the signed
/// link, the ping token, a bearer token).
fn other_routes() -> Vec<(
    &'static str,
    &'static [&'static str],
    MethodRouter<AppState>,
)> {
    vec![
        (
            "/ack/{tenant}/{alert}/{to}/{until}/{signature}",
            &["GET", "HEAD", "POST"],
            get(ack::show).post(ack::acknowledge),
        ),
        (
            "/crisis/{tenant}/{crisis}/{contact}/{until}/{signature}",
            &["GET", "HEAD", "POST"],
            get(answer::show).post(answer::answer),
        ),
        (
            "/ping/{token}",
            &["GET", "POST"],
            get(ping::success).post(ping::success),
        ),
        (
            "/ping/{token}/{signal}",
            &["GET", "POST"],
            get(ping::signal).post(ping::signal),
        ),
        ("/healthz", &["GET"], get(ops::healthz)),
        ("/metrics", &["GET"], get(ops::metrics)),
        ("/api/v1/openapi.json", &["GET"], get(ops::openapi)),
    ]
}

/// Every route the server answers, as (method, path template): the
/// OpenAPI document's operations and the others. Tests walk it to hold
/// every route to the tenant boundary.
pub fn routes() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (path, item) in &openapi().paths.paths {
        let item = serde_json::to_value(item).unwrap_or_default();
        for method in ["get", "put", "post", "delete", "patch"] {
            if item.get(method).is_some() {
                out.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    for (path, methods, _) in other_routes() {
        out.extend(methods.iter().map(|m| ((*m).to_owned(), path.to_owned())));
    }
    for (path, methods) in portal::ROUTES {
        out.extend(
            methods
                .iter()
                .map(|m| ((*m).to_owned(), (*path).to_owned())),
        );
    }
    out
}

/// Reads a request's whole body (at most [`BODY_LIMIT`]) before its
/// handler runs. A handler that refuses a request before reading its body
/// (no token: 401; no session: to the login page; no right: 403) would
/// leave it unread: the server then closes the connection with the body's
/// bytes still in it, and the client may get a reset instead of the answer
/// (an expired session posting the plan editor, seen in the route walks).
pub(crate) async fn read_whole_body(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => {
            next.run(axum::extract::Request::from_parts(parts, bytes.into()))
                .await
        }
        Err(_) => error::ApiError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            format!("the request's body is over {BODY_LIMIT} bytes (or could not be read)"),
        )
        .into_response(),
    }
}

/// Every route of the server.
pub fn router(state: AppState) -> Router {
    let (api, doc) = api().split_for_parts();
    let mut router = api.layer(axum::middleware::from_fn(read_whole_body));
    for (path, _, method_router) in other_routes() {
        router = router.route(path, method_router);
    }
    router
        .merge(portal::router(&state))
        .layer(axum::Extension(Arc::new(doc)))
        .fallback(error::not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            state.request_timeout,
        ))
        .with_state(state)
}
