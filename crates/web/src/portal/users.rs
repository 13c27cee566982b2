//! `/users`: the people who log in. An MSP administrator manages everyone;
//! a client administrator, the people of their own tenant (client roles
//! only). A new person, or a password reset, gets a password made here
//! and shown once, to be handed over; nobody types one for someone else.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use rempart_i18n::{Lang, t};
use rempart_store::{Role, StoreError, User};
use serde::Deserialize;

use super::{Frame, Person, html, random_hex, role_word, when};
use crate::AppState;

pub(crate) struct UserRow {
    pub id: i64,
    pub email: String,
    pub role: String,
    pub tenant: String,
    pub created: String,
    pub locked: bool,
    pub yourself: bool,
}

pub(crate) struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "portal/users.html")]
struct UsersPage {
    frame: Frame,
    heading: String,
    notice: Option<(bool, String)>,
    /// A password made just now, shown once: (e-mail, password).
    handed: Option<(String, String)>,
    handed_text: String,
    col_email: String,
    col_role: String,
    col_tenant: String,
    col_created: String,
    locked_word: String,
    reset: String,
    remove: String,
    rows: Vec<UserRow>,
    add_heading: String,
    email_label: String,
    role_label: String,
    tenant_label: String,
    add: String,
    roles: Vec<Choice>,
    tenants: Vec<Choice>,
}

#[derive(Deserialize)]
pub(super) struct AddForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    tenant: String,
}

/// Whether `actor` may add, reset or remove a person of `role` in `tenant`.
fn manages(actor: &User, role: Role, tenant: Option<&str>) -> bool {
    match actor.role {
        Role::MspAdmin => true,
        Role::ClientAdmin => {
            !role.is_msp() && tenant.is_some() && tenant == actor.tenant.as_deref()
        }
        Role::MspOperator | Role::ClientViewer => false,
    }
}

/// Whether `actor` has a people page at all.
fn has_page(actor: &User) -> bool {
    matches!(actor.role, Role::MspAdmin | Role::ClientAdmin)
}

/// A password to hand over: 16 random hex digits in four groups.
fn made_password() -> String {
    let hex = random_hex(8);
    hex.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

async fn render(
    state: &AppState,
    person: &Person,
    notice: Option<(bool, String)>,
    handed: Option<(String, String)>,
) -> Response {
    let lang = person.lang;
    let me = &person.user;
    let scope = match me.role {
        Role::MspAdmin => None,
        _ => me.tenant.as_deref(),
    };
    let people = state.store.users(scope).await.unwrap_or_else(|e| {
        tracing::error!(error = %e, "cannot list people for the portal");
        Vec::new()
    });
    let rows = people
        .iter()
        .filter(|u| manages(me, u.role, u.tenant.as_deref()))
        .map(|u| UserRow {
            id: u.id,
            email: u.email.clone(),
            role: role_word(lang, u.role),
            tenant: u.tenant.clone().unwrap_or_default(),
            created: when(chrono_tz::UTC, u.created_ms),
            locked: u
                .locked_until_ms
                .is_some_and(|until| until > rempart_store::now_ms()),
            yourself: u.id == me.id,
        })
        .collect();
    let roles = Role::ALL
        .into_iter()
        .filter(|r| me.role == Role::MspAdmin || !r.is_msp())
        .map(|r| Choice {
            value: r.as_str().to_owned(),
            label: role_word(lang, r),
        })
        .collect();
    let tenants = match me.role {
        Role::MspAdmin => state
            .store
            .tenants()
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|t| Choice {
                label: format!("{} ({})", t.name, t.id),
                value: t.id,
            })
            .collect(),
        _ => me
            .tenant
            .iter()
            .map(|t| Choice {
                value: t.clone(),
                label: t.clone(),
            })
            .collect(),
    };
    let page = UsersPage {
        frame: person.frame(t!(lang, "portal-users-title")).await,
        heading: t!(lang, "portal-users-title"),
        notice,
        handed_text: t!(lang, "portal-users-handed"),
        handed,
        col_email: t!(lang, "portal-login-email"),
        col_role: t!(lang, "portal-users-role"),
        col_tenant: t!(lang, "portal-col-client"),
        col_created: t!(lang, "portal-session-created"),
        locked_word: t!(lang, "portal-users-locked"),
        reset: t!(lang, "portal-users-reset"),
        remove: t!(lang, "portal-users-remove"),
        rows,
        add_heading: t!(lang, "portal-users-add-heading"),
        email_label: t!(lang, "portal-login-email"),
        role_label: t!(lang, "portal-users-role"),
        tenant_label: t!(lang, "portal-col-client"),
        add: t!(lang, "portal-users-add"),
        roles,
        tenants,
    };
    html(StatusCode::OK, &page)
}

/// `GET /users`.
pub(super) async fn page(State(state): State<AppState>, person: Person) -> Response {
    if !has_page(&person.user) {
        return super::not_found(person.lang, &person.session, &person.user).await;
    }
    render(&state, &person, None, None).await
}

fn problem(lang: Lang, e: &StoreError) -> String {
    match e {
        StoreError::User(p) => p.told(lang),
        _ => t!(lang, "portal-login-unavailable"),
    }
}

/// `POST /users`: adds a person, with a password made here.
pub(super) async fn add(
    State(state): State<AppState>,
    person: Person,
    headers: HeaderMap,
    Form(form): Form<AddForm>,
) -> Response {
    if let Err(refused) = person.posted(&headers, &form.csrf).await {
        return refused;
    }
    let lang = person.lang;
    let Some(role) = Role::parse(&form.role) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let tenant = (!role.is_msp())
        .then_some(form.tenant.trim())
        .filter(|t| !t.is_empty());
    if !manages(&person.user, role, tenant) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let password = made_password();
    match state
        .store
        .add_user(&form.email, &password, role, tenant)
        .await
    {
        Ok(user) => {
            tracing::info!(role = role.as_str(), "a person was added from the portal");
            render(&state, &person, None, Some((user.email, password))).await
        }
        Err(e) => render(&state, &person, Some((false, problem(lang, &e))), None).await,
    }
}

/// Someone else that this person manages, asked about by a valid form:
/// 403 for a form from elsewhere, 404 for a person they do not manage,
/// 409 for themselves (their own password is changed in their account,
/// with the current one; nobody removes themselves here).
async fn other_managed(
    state: &AppState,
    person: &Person,
    headers: &HeaderMap,
    token: &str,
    id: i64,
) -> Result<User, Response> {
    person.posted(headers, token).await?;
    let user = state.store.user_by_id(id).await.ok().flatten();
    let Some(user) = user.filter(|u| manages(&person.user, u.role, u.tenant.as_deref())) else {
        return Err(super::not_found(person.lang, &person.session, &person.user).await);
    };
    if user.id == person.user.id {
        return Err(StatusCode::CONFLICT.into_response());
    }
    Ok(user)
}

/// `POST /users/{id}/reset`: a new password, shown once; their sessions end.
pub(super) async fn reset(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    person: Person,
    headers: HeaderMap,
    Form(form): Form<super::CsrfForm>,
) -> Response {
    let user = match other_managed(&state, &person, &headers, &form.csrf, id).await {
        Ok(user) => user,
        Err(refused) => return refused,
    };
    let password = made_password();
    match state.store.set_password(&user.email, &password, None).await {
        Ok(_) => render(&state, &person, None, Some((user.email, password))).await,
        Err(e) => {
            render(
                &state,
                &person,
                Some((false, problem(person.lang, &e))),
                None,
            )
            .await
        }
    }
}

/// `POST /users/{id}/remove`: the person can no longer log in; their
/// sessions end.
pub(super) async fn remove(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    person: Person,
    headers: HeaderMap,
    Form(form): Form<super::CsrfForm>,
) -> Response {
    let user = match other_managed(&state, &person, &headers, &form.csrf, id).await {
        Ok(user) => user,
        Err(refused) => return refused,
    };
    let lang = person.lang;
    match state.store.remove_user(&user.email).await {
        Ok(_) => {
            let text = t!(lang, "portal-users-removed", email = user.email.as_str());
            render(&state, &person, Some((true, text)), None).await
        }
        Err(e) => render(&state, &person, Some((false, problem(lang, &e))), None).await,
    }
}
