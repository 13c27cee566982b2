//! `/tenants`: the MSP's clients — each one's id, name, what rules its
//! plan (a file on the server, or the portal and the API) and the plan's
//! current version; an MSP administrator adds a client here (its plan is
//! then written on its plan page, or sent through the API).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use rempart_i18n::t;
use rempart_store::{ManagedBy, Role};
use serde::Deserialize;

use super::{Frame, Person, html, when};
use crate::AppState;

pub(crate) struct TenantRow {
    pub id: String,
    pub name: String,
    pub managed: String,
    pub version: String,
    pub created: String,
}

#[derive(Template)]
#[template(path = "portal/tenants.html")]
struct TenantsPage {
    frame: Frame,
    heading: String,
    notice: Option<(bool, String)>,
    col_id: String,
    col_name: String,
    col_managed: String,
    col_version: String,
    col_created: String,
    rows: Vec<TenantRow>,
    empty: String,
    may_add: bool,
    add_heading: String,
    id_label: String,
    id_hint: String,
    name_label: String,
    add: String,
    typed_id: String,
    typed_name: String,
}

#[derive(Deserialize)]
pub(super) struct AddForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
}

async fn render(
    state: &AppState,
    person: &Person,
    status: StatusCode,
    notice: Option<(bool, String)>,
    typed: (String, String),
) -> Response {
    let lang = person.lang;
    let tenants = state.store.tenants().await.unwrap_or_else(|e| {
        tracing::error!(error = %e, "cannot list tenants for the portal");
        Vec::new()
    });
    let mut rows = Vec::new();
    for tenant in tenants {
        let head = match state.store.tenant(&tenant.id).await {
            Ok(scope) => scope.active_plan_head().await.ok().flatten(),
            Err(_) => None,
        };
        rows.push(TenantRow {
            managed: match &tenant.managed_by {
                ManagedBy::File(path) => t!(lang, "portal-tenants-file", path = path.as_str()),
                ManagedBy::Api => t!(lang, "portal-tenants-api"),
            },
            version: head.map_or_else(
                || t!(lang, "portal-tenants-no-plan"),
                |h| format!("v{}", h.version),
            ),
            created: when(person.zone().unwrap_or(chrono_tz::UTC), tenant.created_ms),
            id: tenant.id,
            name: tenant.name,
        });
    }
    let page = TenantsPage {
        frame: person.frame(t!(lang, "portal-tenants-title")).await,
        heading: t!(lang, "portal-tenants-title"),
        notice,
        col_id: t!(lang, "portal-tenants-id"),
        col_name: t!(lang, "portal-tenants-name"),
        col_managed: t!(lang, "portal-tenants-managed"),
        col_version: t!(lang, "portal-tenants-version"),
        col_created: t!(lang, "portal-tenants-created"),
        rows,
        empty: t!(lang, "portal-overview-empty"),
        may_add: person.user.role == Role::MspAdmin,
        add_heading: t!(lang, "portal-tenants-add-heading"),
        id_label: t!(lang, "portal-tenants-id"),
        id_hint: t!(lang, "portal-tenants-id-hint"),
        name_label: t!(lang, "portal-tenants-name"),
        add: t!(lang, "portal-tenants-add"),
        typed_id: typed.0,
        typed_name: typed.1,
    };
    html(status, &page)
}

/// `GET /tenants`: the MSP's roles only.
pub(super) async fn page(State(state): State<AppState>, person: Person) -> Response {
    if !person.user.role.is_msp() {
        return StatusCode::FORBIDDEN.into_response();
    }
    render(&state, &person, StatusCode::OK, None, Default::default()).await
}

/// `POST /tenants`: an MSP administrator adds a client, whose plan is
/// then written through the portal or the API.
pub(super) async fn add(
    State(state): State<AppState>,
    person: Person,
    headers: HeaderMap,
    Form(form): Form<AddForm>,
) -> Response {
    if let Err(refused) = person.posted(&headers, &form.csrf).await {
        return refused;
    }
    if person.user.role != Role::MspAdmin {
        return StatusCode::FORBIDDEN.into_response();
    }
    let lang = person.lang;
    let (id, name) = (form.id.trim(), form.name.trim());
    let typed = (id.to_owned(), name.to_owned());
    let refuse = |problem: String| (StatusCode::UNPROCESSABLE_ENTITY, Some((false, problem)));
    let (status, notice) = if name.is_empty() {
        refuse(t!(lang, "portal-tenants-name-needed"))
    } else if let Err(said) = rempart_core::plan::Id::parse(id) {
        let why = said.tell(lang);
        refuse(t!(lang, "portal-tenants-bad-id", id = id, why = why))
    } else if state.store.tenant(id).await.is_ok() {
        refuse(t!(lang, "portal-tenants-exists", id = id))
    } else {
        match state.store.upsert_tenant(id, name, &ManagedBy::Api).await {
            Ok(_) => return Redirect::to(&format!("/t/{id}/plan")).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "cannot add a tenant");
                return StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
        }
    };
    render(&state, &person, status, notice, typed).await
}
