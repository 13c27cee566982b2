//! The login page, logging in and out, and the language switch.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Extension, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use rempart_i18n::{Lang, t};
use rempart_store::{Login, SESSION_ADDRESS, SESSION_AGENT, SESSION_USER};
use serde::Deserialize;
use tower_sessions::Session;

use super::{CSRF, Frame, LANG, csrf_token, current_user, form_allowed, html, language, peer};
use crate::AppState;

#[derive(Template)]
#[template(path = "portal/login.html")]
struct LoginPage {
    frame: Frame,
    heading: String,
    intro: String,
    email_label: String,
    password_label: String,
    submit: String,
    email: String,
    problem: Option<String>,
}

async fn render(
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
    status: StatusCode,
    email: &str,
    problem: Option<String>,
) -> Response {
    let lang = language(state, session, None, headers).await;
    let page = LoginPage {
        frame: Frame::new(lang, t!(lang, "portal-login-title"), session, None).await,
        heading: t!(lang, "portal-login-heading"),
        intro: t!(lang, "portal-login-intro"),
        email_label: t!(lang, "portal-login-email"),
        password_label: t!(lang, "portal-login-password"),
        submit: t!(lang, "portal-login-submit"),
        email: email.to_owned(),
        problem,
    };
    html(status, &page)
}

/// `GET /`: the login page, or the overview for someone logged in.
pub(super) async fn page(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
) -> Response {
    if current_user(&state, &session).await.is_some() {
        return Redirect::to("/overview").into_response();
    }
    render(&state, &session, &headers, StatusCode::OK, "", None).await
}

#[derive(Deserialize)]
pub(super) struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

/// Minutes until `until_ms`, rounded up, at least one.
fn minutes_until(until_ms: i64) -> i64 {
    ((until_ms - rempart_store::now_ms()).max(0) + 59_999) / 60_000
}

/// `POST /login`: checks the password; nothing about the person goes to
/// the log.
pub(super) async fn login(
    State(state): State<AppState>,
    session: Session,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let lang = language(&state, &session, None, &headers).await;
    if !form_allowed(&session, &headers, &form.csrf).await {
        let problem = t!(lang, "portal-form-expired");
        return render(
            &state,
            &session,
            &headers,
            StatusCode::FORBIDDEN,
            &form.email,
            Some(problem),
        )
        .await;
    }
    let address = peer(connect);
    let outcome = state
        .store
        .login(&form.email, &form.password, &address)
        .await;
    let unavailable = (
        StatusCode::SERVICE_UNAVAILABLE,
        t!(lang, "portal-login-unavailable"),
    );
    let (status, problem) = match outcome {
        Ok(Login::Welcome(user)) => match welcome(&session, &headers, user.id, &address).await {
            Ok(()) => return Redirect::to("/overview").into_response(),
            Err(e) => {
                tracing::error!(error = %e, "cannot keep a session");
                unavailable
            }
        },
        Err(e) => {
            tracing::error!(error = %e, "cannot check a login");
            unavailable
        }
        Ok(Login::Refused) => (StatusCode::UNAUTHORIZED, t!(lang, "portal-login-refused")),
        Ok(Login::Locked { until_ms }) => (
            StatusCode::TOO_MANY_REQUESTS,
            t!(
                lang,
                "portal-login-locked",
                minutes = minutes_until(until_ms)
            ),
        ),
        Ok(Login::Throttled { until_ms }) => (
            StatusCode::TOO_MANY_REQUESTS,
            t!(
                lang,
                "portal-login-throttled",
                minutes = minutes_until(until_ms)
            ),
        ),
    };
    render(
        &state,
        &session,
        &headers,
        status,
        &form.email,
        Some(problem),
    )
    .await
}

/// Makes the session a logged-in one, under a new id: a session id
/// planted before the login cannot be used after it.
async fn welcome(
    session: &Session,
    headers: &HeaderMap,
    user_id: i64,
    address: &str,
) -> Result<(), tower_sessions::session::Error> {
    let chosen = session.get::<String>(LANG).await?;
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|a| a.chars().take(200).collect::<String>());
    session.cycle_id().await?;
    session.insert(SESSION_USER, user_id).await?;
    session.insert(SESSION_ADDRESS, address).await?;
    session.insert(SESSION_AGENT, agent).await?;
    session.insert(CSRF, super::random_hex(32)).await?;
    if let Some(chosen) = chosen {
        session.insert(LANG, chosen).await?;
    }
    Ok(())
}

/// `POST /logout`: ends the session, here and in the store.
pub(super) async fn logout(
    session: Session,
    headers: HeaderMap,
    Form(form): Form<super::CsrfForm>,
) -> Response {
    if !form_allowed(&session, &headers, &form.csrf).await {
        return StatusCode::FORBIDDEN.into_response();
    }
    let _ = session.flush().await;
    Redirect::to("/").into_response()
}

#[derive(Deserialize)]
pub(super) struct LanguageForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    lang: String,
}

/// `POST /language`: the language of this session's pages.
pub(super) async fn language_switch(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Form(form): Form<LanguageForm>,
) -> Response {
    if !form_allowed(&session, &headers, &form.csrf).await {
        return StatusCode::FORBIDDEN.into_response();
    }
    if let Some(lang) = Lang::parse(&form.lang) {
        let _ = session.insert(LANG, lang.code()).await;
        if let Some(user) = current_user(&state, &session).await {
            let _ = state
                .store
                .set_user_language(user.id, Some(lang.code()))
                .await;
        }
    }
    // Back where the switch was pressed (this site only), else home.
    let back = headers
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| rest[i..].to_owned()))
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/".to_owned());
    let _ = csrf_token(&session).await;
    Redirect::to(&back).into_response()
}
