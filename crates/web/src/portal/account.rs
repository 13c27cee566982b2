//! A person's own account: their password (the current one asked again)
//! and their sessions, each of which they may end.

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Extension, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;

use rempart_i18n::t;
use rempart_store::{Login, MIN_PASSWORD_CHARS, StoreError, UserProblem};
use serde::Deserialize;
use tower_sessions::Session;

use super::{Frame, Person, html, peer, role_word};
use crate::AppState;

pub(crate) struct SessionRow {
    pub handle: String,
    pub this_one: bool,
    pub seen: String,
    pub created: String,
    pub address: String,
    pub agent: String,
}

#[derive(Template)]
#[template(path = "portal/account.html")]
struct AccountPage {
    frame: Frame,
    heading: String,
    who: String,
    password_heading: String,
    current_label: String,
    new_label: String,
    again_label: String,
    change: String,
    min_hint: String,
    notice: Option<String>,
    problem: Option<String>,
    sessions_heading: String,
    this_session: String,
    end_label: String,
    col_seen: String,
    col_created: String,
    col_address: String,
    col_agent: String,
    sessions: Vec<SessionRow>,
    timezone_heading: String,
    timezone_label: String,
    timezone_plan: String,
    timezone_save: String,
    /// The person's zone (empty: their plan's).
    timezone: String,
    zones: &'static [chrono_tz::Tz],
}

/// The handle of this very session.
fn own_handle(session: &Session) -> Option<String> {
    session
        .id()
        .map(|id| rempart_store::session_handle(&id.to_string()))
}

/// The account page, with a notice or a problem from the last form.
async fn render(
    state: &AppState,
    person: &Person,
    status: StatusCode,
    notice: Option<String>,
    problem: Option<String>,
) -> Response {
    let (session, user, lang) = (&person.session, &person.user, person.lang);
    let now = rempart_store::now_ms();
    let own = own_handle(session);
    let sessions = state.store.sessions_of(user.id).await.unwrap_or_default();
    let ago = |ms: i64| super::tenant::ago(lang, ms, now);
    let who = match &user.tenant {
        Some(tenant) => t!(
            lang,
            "portal-account-who-tenant",
            email = user.email.as_str(),
            role = role_word(lang, user.role),
            tenant = tenant.as_str()
        ),
        None => t!(
            lang,
            "portal-account-who",
            email = user.email.as_str(),
            role = role_word(lang, user.role)
        ),
    };
    let page = AccountPage {
        frame: person.frame(t!(lang, "portal-account-title")).await,
        heading: t!(lang, "portal-account-title"),
        who,
        password_heading: t!(lang, "portal-password-heading"),
        current_label: t!(lang, "portal-password-current"),
        new_label: t!(lang, "portal-password-new"),
        again_label: t!(lang, "portal-password-again"),
        change: t!(lang, "portal-password-change"),
        min_hint: t!(lang, "portal-password-min", min = MIN_PASSWORD_CHARS),
        notice,
        problem,
        sessions_heading: t!(lang, "portal-sessions-heading"),
        this_session: t!(lang, "portal-session-this"),
        end_label: t!(lang, "portal-session-end"),
        col_seen: t!(lang, "portal-session-seen"),
        col_created: t!(lang, "portal-session-created"),
        col_address: t!(lang, "portal-session-address"),
        col_agent: t!(lang, "portal-session-agent"),
        sessions: sessions
            .into_iter()
            .map(|s| SessionRow {
                this_one: own.as_deref() == Some(s.handle.as_str()),
                handle: s.handle,
                seen: ago(s.seen_ms),
                created: ago(s.created_ms),
                address: s.address.unwrap_or_default(),
                agent: s.user_agent.unwrap_or_default(),
            })
            .collect(),
        timezone_heading: t!(lang, "portal-timezone-heading"),
        timezone_label: t!(lang, "portal-timezone-label"),
        timezone_plan: t!(lang, "portal-timezone-plan"),
        timezone_save: t!(lang, "portal-timezone-save"),
        timezone: user.timezone.clone().unwrap_or_default(),
        zones: &chrono_tz::TZ_VARIANTS,
    };
    html(status, &page)
}

/// `GET /account`.
pub(super) async fn page(State(state): State<AppState>, person: Person) -> Response {
    render(&state, &person, StatusCode::OK, None, None).await
}

#[derive(Deserialize)]
pub(super) struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    again: String,
}

/// `POST /account/password`: the current password first (a wrong one
/// counts as a failed login), then the new one, twice; the person's other
/// sessions end.
pub(super) async fn password(
    State(state): State<AppState>,
    person: Person,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Response {
    let lang = person.lang;
    let (status, notice, problem) = if person.posted(&headers, &form.csrf).await.is_err() {
        let problem = t!(lang, "portal-form-expired");
        (StatusCode::FORBIDDEN, None, Some(problem))
    } else if form.new != form.again {
        let problem = t!(lang, "portal-password-mismatch");
        (StatusCode::BAD_REQUEST, None, Some(problem))
    } else {
        match change(&state, &person, &form, &peer(connect)).await {
            Ok(()) => (
                StatusCode::OK,
                Some(t!(lang, "portal-password-changed")),
                None,
            ),
            Err((status, problem)) => (status, None, Some(problem)),
        }
    };
    render(&state, &person, status, notice, problem).await
}

/// Checks the current password (a wrong one counts as a failed login),
/// then sets the new one, keeping this session only.
async fn change(
    state: &AppState,
    person: &Person,
    form: &PasswordForm,
    address: &str,
) -> Result<(), (StatusCode, String)> {
    let lang = person.lang;
    let unavailable = || {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            t!(lang, "portal-login-unavailable"),
        )
    };
    let email = person.user.email.as_str();
    match state.store.login(email, &form.current, address).await {
        Ok(Login::Welcome(_)) => {}
        Ok(Login::Refused) => {
            return Err((StatusCode::FORBIDDEN, t!(lang, "portal-password-wrong")));
        }
        Ok(Login::Locked { .. } | Login::Throttled { .. }) => {
            return Err((
                StatusCode::TOO_MANY_REQUESTS,
                t!(lang, "portal-password-wait"),
            ));
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot check a password");
            return Err(unavailable());
        }
    }
    let keep = person.session.id().map(|id| id.to_string());
    match state
        .store
        .set_password(email, &form.new, keep.as_deref())
        .await
    {
        Ok(_) => Ok(()),
        Err(StoreError::User(UserProblem::ShortPassword)) => Err((
            StatusCode::BAD_REQUEST,
            t!(lang, "portal-password-min", min = MIN_PASSWORD_CHARS),
        )),
        Err(e) => {
            tracing::error!(error = %e, "cannot set a password");
            Err(unavailable())
        }
    }
}

/// `POST /account/sessions/{handle}/end`: ends one of the person's own
/// sessions (another person's handle ends nothing).
pub(super) async fn end_session(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    person: Person,
    headers: HeaderMap,
    Form(form): Form<super::CsrfForm>,
) -> Response {
    if let Err(refused) = person.posted(&headers, &form.csrf).await {
        return refused;
    }
    match state.store.revoke_session(person.user.id, &handle).await {
        Ok(true) => Redirect::to("/account").into_response(),
        Ok(false) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "cannot end a session");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

#[derive(Deserialize)]
pub(super) struct ZoneForm {
    #[serde(default)]
    csrf: String,
    /// An IANA name; empty: the tenant's plan's.
    #[serde(default)]
    timezone: String,
}

/// `POST /account/timezone`: the time zone the person reads dates in.
pub(super) async fn timezone(
    State(state): State<AppState>,
    mut person: Person,
    headers: HeaderMap,
    Form(form): Form<ZoneForm>,
) -> Response {
    if let Err(refused) = person.posted(&headers, &form.csrf).await {
        return refused;
    }
    let lang = person.lang;
    let chosen = form.timezone.trim();
    let zone = match chosen {
        "" => None,
        name => match name.parse::<chrono_tz::Tz>() {
            Ok(zone) => Some(zone),
            Err(_) => {
                let problem = t!(lang, "portal-timezone-unknown", zone = name);
                return render(
                    &state,
                    &person,
                    StatusCode::BAD_REQUEST,
                    None,
                    Some(problem),
                )
                .await;
            }
        },
    };
    let name = zone.map(|z| z.name());
    if let Err(e) = state.store.set_user_timezone(person.user.id, name).await {
        tracing::error!(error = %e, "cannot set a time zone");
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    person.user.timezone = name.map(str::to_owned);
    let notice = match name {
        Some(zone) => t!(lang, "portal-timezone-saved", zone = zone),
        None => t!(lang, "portal-timezone-plan-saved"),
    };
    render(&state, &person, StatusCode::OK, Some(notice), None).await
}
