//! A person's own account: their password (the current one asked again)
//! and their sessions, each of which they may end.

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Extension, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use rempart_i18n::{Lang, t};
use rempart_store::{Login, MIN_PASSWORD_CHARS, StoreError, User, UserProblem};
use serde::Deserialize;
use std::net::SocketAddr;
use tower_sessions::Session;

use super::{Frame, current_user, form_allowed, html, language, peer, role_word, to_login};
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
}

/// The handle of this very session.
fn own_handle(session: &Session) -> Option<String> {
    session
        .id()
        .map(|id| rempart_store::session_handle(&id.to_string()))
}

async fn render(
    state: &AppState,
    session: &Session,
    user: &User,
    lang: Lang,
    status: StatusCode,
    notice: Option<String>,
    problem: Option<String>,
) -> Response {
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
        frame: Frame::new(lang, t!(lang, "portal-account-title"), session, Some(user)).await,
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
    };
    html(status, &page)
}

/// `GET /account`.
pub(super) async fn page(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
) -> Response {
    let Some(user) = current_user(&state, &session).await else {
        return to_login();
    };
    let lang = language(&state, &session, Some(&user), &headers).await;
    render(&state, &session, &user, lang, StatusCode::OK, None, None).await
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
    session: Session,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Response {
    let Some(user) = current_user(&state, &session).await else {
        return to_login();
    };
    let lang = language(&state, &session, Some(&user), &headers).await;
    if !form_allowed(&session, &headers, &form.csrf).await {
        let problem = t!(lang, "portal-form-expired");
        return render(
            &state,
            &session,
            &user,
            lang,
            StatusCode::FORBIDDEN,
            None,
            Some(problem),
        )
        .await;
    }
    if form.new != form.again {
        let problem = t!(lang, "portal-password-mismatch");
        return render(
            &state,
            &session,
            &user,
            lang,
            StatusCode::BAD_REQUEST,
            None,
            Some(problem),
        )
        .await;
    }
    let checked = state
        .store
        .login(&user.email, &form.current, &peer(connect))
        .await;
    let problem = match checked {
        Ok(Login::Welcome(_)) => None,
        Ok(Login::Refused) => Some((StatusCode::FORBIDDEN, t!(lang, "portal-password-wrong"))),
        Ok(Login::Locked { .. } | Login::Throttled { .. }) => Some((
            StatusCode::TOO_MANY_REQUESTS,
            t!(lang, "portal-password-wait"),
        )),
        Err(e) => {
            tracing::error!(error = %e, "cannot check a password");
            Some((
                StatusCode::SERVICE_UNAVAILABLE,
                t!(lang, "portal-login-unavailable"),
            ))
        }
    };
    if let Some((status, problem)) = problem {
        return render(&state, &session, &user, lang, status, None, Some(problem)).await;
    }
    let keep = session.id().map(|id| id.to_string());
    match state
        .store
        .set_password(&user.email, &form.new, keep.as_deref())
        .await
    {
        Ok(_) => {
            let notice = t!(lang, "portal-password-changed");
            render(
                &state,
                &session,
                &user,
                lang,
                StatusCode::OK,
                Some(notice),
                None,
            )
            .await
        }
        Err(StoreError::User(UserProblem::ShortPassword)) => {
            let problem = t!(lang, "portal-password-min", min = MIN_PASSWORD_CHARS);
            render(
                &state,
                &session,
                &user,
                lang,
                StatusCode::BAD_REQUEST,
                None,
                Some(problem),
            )
            .await
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot set a password");
            let problem = t!(lang, "portal-login-unavailable");
            render(
                &state,
                &session,
                &user,
                lang,
                StatusCode::SERVICE_UNAVAILABLE,
                None,
                Some(problem),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub(super) struct EndForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /account/sessions/{handle}/end`: ends one of the person's own
/// sessions (another person's handle ends nothing).
pub(super) async fn end_session(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    session: Session,
    headers: HeaderMap,
    Form(form): Form<EndForm>,
) -> Response {
    let Some(user) = current_user(&state, &session).await else {
        return to_login();
    };
    if !form_allowed(&session, &headers, &form.csrf).await {
        return StatusCode::FORBIDDEN.into_response();
    }
    match state.store.revoke_session(user.id, &handle).await {
        Ok(true) => Redirect::to("/account").into_response(),
        Ok(false) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "cannot end a session");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
