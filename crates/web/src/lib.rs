//! Rempart's HTTP side: `/healthz`, `/metrics` and the REST API v1, whose
//! OpenAPI document is generated from the handlers themselves and served
//! at `/api/v1/openapi.json`.
//!
//! Handlers stay thin: authentication and tenant access live in
//! [`auth`], errors in [`error`], and each resource in its own file under
//! `api/`, mirroring the paths.

mod ack;
mod api;
mod auth;
mod error;
mod ops;
mod ping;

pub use ping::PingSink;

use std::sync::Arc;

use auth::BearerScheme;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use rempart_engine::Metrics;
use rempart_store::Store;
use utoipa::OpenApi as _;
use utoipa_axum::router::OpenApiRouter;

/// Largest request body accepted, in bytes (a plan is a few kilobytes).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub metrics: Arc<Metrics>,
    /// Heartbeat pings on their way to the store.
    pub pings: PingSink,
    /// Tenants' plans, parsed once (shared with the runner and supervisor).
    pub plans: rempart_engine::PlanCache,
}

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Rempart API",
        description = "Tenants, continuity plans, evidence, jobs, drills and measured status of a Rempart server. Authenticate with `Authorization: Bearer <token>` (create one with `rempart token create`).",
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
}

/// The OpenAPI document of the API, as served.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().into_openapi()
}

/// Every route of the server.
pub fn router(state: AppState) -> Router {
    let (api, doc) = api().split_for_parts();
    let doc = Arc::new(doc);
    api.merge(ops::routes(doc))
        .route(
            "/ack/{tenant}/{alert}/{signature}",
            axum::routing::get(ack::ack),
        )
        .route(
            "/ping/{token}",
            axum::routing::get(ping::success).post(ping::success),
        )
        .route(
            "/ping/{token}/{signal}",
            axum::routing::get(ping::signal).post(ping::signal),
        )
        .fallback(error::not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}
