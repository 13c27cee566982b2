//! The portal: server-rendered pages for the MSP's technicians and their
//! clients, behind a login (argon2id passwords, sessions kept in the
//! store, `HttpOnly`/`SameSite=Strict` cookies, `Secure` behind TLS, a
//! CSRF token and an `Origin` check on every form that changes state).
//! Every sentence comes from the catalogue, in the reader's language.

mod account;
mod crisis;
mod documents;
mod evidence;
mod jobs;
mod kept;
mod live;
mod login;
mod maintenance;
mod overview;

/// What the heavy pages are made of, kept per tenant until it changes
/// (see `kept`): the overview's lines, the dashboards' measured part.
#[derive(Clone, Default)]
pub struct Kept {
    overview: kept::Kept<overview::Row>,
    overviews: kept::Kept<std::sync::Arc<str>>,
    dashboards: kept::Kept<std::sync::Arc<tenant::Dashboard>>,
}
mod plan;
mod status;
mod tenant;
mod tenants;
mod users;

use std::net::SocketAddr;

use askama::Template;
use axum::Router;
use axum::extract::{ConnectInfo, Extension, FromRequestParts};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use rempart_i18n::{Lang, t};
use rempart_store::{PortalSessions, Role, SESSION_USER, TenantScope, User};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};

use crate::AppState;

/// The session's cookie.
pub const COOKIE: &str = "rempart_session";
/// A session ends after this long without a request.
const IDLE_HOURS: i64 = 8;
/// The session keys the portal keeps.
const CSRF: &str = "csrf";
const LANG: &str = "lang";

/// The portal's routes: (path, methods), for the tests that walk every
/// route.
pub(crate) const ROUTES: &[(&str, &[&str])] = &[
    ("/", &["GET"]),
    ("/login", &["POST"]),
    ("/logout", &["POST"]),
    ("/language", &["POST"]),
    ("/overview", &["GET"]),
    ("/tenants", &["GET", "POST"]),
    ("/live", &["GET"]),
    ("/account", &["GET"]),
    ("/users", &["GET", "POST"]),
    ("/users/{id}/reset", &["POST"]),
    ("/users/{id}/remove", &["POST"]),
    ("/account/password", &["POST"]),
    ("/account/timezone", &["POST"]),
    ("/account/sessions/{handle}/end", &["POST"]),
    ("/t/{tenant}", &["GET"]),
    ("/t/{tenant}/live", &["GET"]),
    ("/t/{tenant}/plan", &["GET", "POST"]),
    ("/t/{tenant}/jobs", &["GET"]),
    ("/t/{tenant}/jobs/{kind}/{subject}/run", &["POST"]),
    ("/t/{tenant}/drills/{run}/steps/{step}/confirm", &["POST"]),
    ("/t/{tenant}/maintenance", &["GET", "POST"]),
    ("/t/{tenant}/maintenance/{id}/remove", &["POST"]),
    ("/t/{tenant}/evidence", &["GET"]),
    ("/t/{tenant}/crisis", &["GET", "POST"]),
    ("/t/{tenant}/crisis/act", &["POST"]),
    ("/t/{tenant}/documents", &["GET"]),
    ("/t/{tenant}/documents/{document}", &["GET"]),
    ("/t/{tenant}/evidence/verify", &["POST"]),
    ("/t/{tenant}/alerts/{id}/ack", &["POST"]),
    ("/status/{tenant}", &["GET"]),
    ("/assets/portal.css", &["GET"]),
    ("/assets/live.js", &["GET"]),
];

/// The portal, with its session layer (only on its own routes: the API
/// and the heartbeat pings never set a cookie).
pub(crate) fn router(state: &AppState) -> Router<AppState> {
    let sessions = SessionManagerLayer::new(PortalSessions::new(state.store.clone()))
        .with_name(COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(state.secure_cookies)
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::hours(IDLE_HOURS),
        ));
    Router::new()
        .route("/", get(login::page))
        .route("/login", post(login::login))
        .route("/logout", post(login::logout))
        .route("/language", post(login::language_switch))
        .route("/overview", get(overview::page))
        .route("/tenants", get(tenants::page).post(tenants::add))
        .route("/live", get(live::overview))
        .route("/account", get(account::page))
        .route("/users", get(users::page).post(users::add))
        .route("/users/{id}/reset", post(users::reset))
        .route("/users/{id}/remove", post(users::remove))
        .route("/account/password", post(account::password))
        .route("/account/timezone", post(account::timezone))
        .route("/account/sessions/{handle}/end", post(account::end_session))
        .route("/t/{tenant}", get(tenant::page))
        .route("/t/{tenant}/live", get(live::tenant))
        .route("/t/{tenant}/plan", get(plan::page).post(plan::save))
        .route("/t/{tenant}/jobs", get(jobs::page))
        .route("/t/{tenant}/jobs/{kind}/{subject}/run", post(jobs::run_now))
        .route(
            "/t/{tenant}/drills/{run}/steps/{step}/confirm",
            post(jobs::confirm),
        )
        .route(
            "/t/{tenant}/maintenance",
            get(maintenance::page).post(maintenance::add),
        )
        .route(
            "/t/{tenant}/maintenance/{id}/remove",
            post(maintenance::remove),
        )
        .route("/t/{tenant}/evidence", get(evidence::page))
        .route(
            "/t/{tenant}/crisis",
            get(crisis::page).post(crisis::declare),
        )
        .route("/t/{tenant}/crisis/act", post(crisis::act))
        .route("/t/{tenant}/documents", get(documents::page))
        .route("/t/{tenant}/documents/{document}", get(documents::download))
        .route("/t/{tenant}/evidence/verify", post(evidence::verify))
        .route("/t/{tenant}/alerts/{id}/ack", post(tenant::ack))
        .route("/status/{tenant}", get(status::page))
        .route("/assets/portal.css", get(stylesheet))
        .route("/assets/live.js", get(live::script))
        .layer(axum::middleware::from_fn(crate::read_whole_body))
        .layer(sessions)
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../assets/portal.css"),
    )
        .into_response()
}

/// A form that carries nothing but its CSRF token (a button).
#[derive(serde::Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

/// Random hex, for CSRF tokens.
fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    // Without randomness, an empty token matches no form: every post is refused.
    if getrandom::fill(&mut buf).is_err() {
        return String::new();
    }
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// The session's CSRF token, made on first use.
async fn csrf_token(session: &Session) -> String {
    if let Ok(Some(token)) = session.get::<String>(CSRF).await
        && !token.is_empty()
    {
        return token;
    }
    let token = random_hex(32);
    let _ = session.insert(CSRF, &token).await;
    token
}

/// Whether a form post may change state: its token is the session's, and
/// the browser says it comes from this very site (`Origin`, else `Referer`).
async fn form_allowed(session: &Session, headers: &HeaderMap, token: &str) -> bool {
    let expected = match session.get::<String>(CSRF).await {
        Ok(Some(t)) if !t.is_empty() => t,
        _ => return false,
    };
    let same_token = expected.len() == token.len()
        && expected
            .bytes()
            .zip(token.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    same_token && same_origin(headers)
}

/// `Origin` (or, when a browser leaves it out, `Referer`) names the host
/// the request was sent to. Neither: refused (every browser the portal
/// supports sends `Origin` with a form post).
fn same_origin(headers: &HeaderMap) -> bool {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let from = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|h| h.to_str().ok());
    let Some(from) = from else {
        return false;
    };
    let authority = from
        .split_once("://")
        .map_or("", |(_, rest)| rest.split('/').next().unwrap_or_default());
    !host.is_empty() && authority.eq_ignore_ascii_case(host)
}

/// The client's address, as the connection gives it.
fn peer(connect: Option<Extension<ConnectInfo<SocketAddr>>>) -> String {
    connect.map_or_else(|| "unknown".to_owned(), |c| c.0.0.ip().to_string())
}

/// The logged-in person, if the session has one that still exists.
async fn current_user(state: &AppState, session: &Session) -> Option<User> {
    let id = session.get::<i64>(SESSION_USER).await.ok().flatten()?;
    state.store.user_by_id(id).await.ok().flatten()
}

/// The language of a page: the one chosen in this session, else the
/// person's, else their tenant's plan's (clients), else the browser's
/// `Accept-Language`, else English.
async fn language(
    state: &AppState,
    session: &Session,
    user: Option<&User>,
    headers: &HeaderMap,
) -> Lang {
    if let Ok(Some(code)) = session.get::<String>(LANG).await
        && let Some(lang) = Lang::parse(&code)
    {
        return lang;
    }
    if let Some(lang) = user
        .and_then(|u| u.language.as_deref())
        .and_then(Lang::parse)
    {
        return lang;
    }
    if let Some(tenant) = user.and_then(|u| u.tenant.as_deref())
        && let Ok(scope) = state.store.tenant(tenant).await
        && let Some(active) =
            rempart_engine::active_plan(&scope, std::path::Path::new("."), &state.plans).await
    {
        return active.plan.organization.language.into();
    }
    accepted(headers).unwrap_or(Lang::En)
}

/// The first language of `Accept-Language` that Rempart speaks.
fn accepted(headers: &HeaderMap) -> Option<Lang> {
    let value = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    let mut ranked: Vec<(f32, Lang)> = value
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.trim().split(';');
            let lang = Lang::parse(pieces.next()?.trim())?;
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            Some((q, lang))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked.first().map(|(_, l)| *l)
}

/// A logged-in person, as a page's handler sees them: their account,
/// the language of their pages and their session. Without a login the
/// request goes no further: the person is sent to the login page.
pub(crate) struct Person {
    pub user: User,
    pub lang: Lang,
    pub session: Session,
}

impl FromRequestParts<AppState> for Person {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Response> {
        let session = <Session as FromRequestParts<AppState>>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Some(user) = current_user(state, &session).await else {
            return Err(to_login());
        };
        let lang = language(state, &session, Some(&user), &parts.headers).await;
        Ok(Person {
            user,
            lang,
            session,
        })
    }
}

impl Person {
    /// The time zone the person chose to read dates in, if any (else
    /// each tenant's plan's).
    pub(crate) fn zone(&self) -> Option<chrono_tz::Tz> {
        self.user.timezone.as_deref().and_then(|z| z.parse().ok())
    }

    /// The time zone the person reads dates of `plan`'s tenant in: their
    /// own, else the plan's (UTC without a plan).
    pub(crate) fn zone_in(&self, plan: Option<&rempart_core::plan::Plan>) -> chrono_tz::Tz {
        self.zone()
            .unwrap_or_else(|| plan.map_or(chrono_tz::UTC, plan_zone))
    }

    /// A form post may go on: its CSRF token and origin are this site's
    /// (else a 403).
    async fn posted(&self, headers: &HeaderMap, token: &str) -> Result<(), Response> {
        if form_allowed(&self.session, headers, token).await {
            Ok(())
        } else {
            Err(StatusCode::FORBIDDEN.into_response())
        }
    }

    /// A form post to tenant `tenant`'s pages by someone whose role `may`
    /// post there (else a 403, after [`Person::posted_to`]'s refusals).
    async fn posted_by(
        &self,
        state: &AppState,
        headers: &HeaderMap,
        token: &str,
        tenant: &str,
        may: fn(Role) -> bool,
    ) -> Result<TenantScope, Response> {
        let scope = self.posted_to(state, headers, token, tenant).await?;
        if may(self.user.role) {
            Ok(scope)
        } else {
            Err(StatusCode::FORBIDDEN.into_response())
        }
    }

    /// A form post to tenant `tenant`'s pages: its token and origin are
    /// this site's (else 403), and the person reaches the tenant (else the
    /// page for what does not exist).
    async fn posted_to(
        &self,
        state: &AppState,
        headers: &HeaderMap,
        token: &str,
        tenant: &str,
    ) -> Result<TenantScope, Response> {
        self.posted(headers, token).await?;
        self.tenant(state, tenant).await
    }

    /// The tenant's scope when this person reaches it; else the page for
    /// what does not exist (another tenant's looks the same).
    async fn tenant(&self, state: &AppState, tenant: &str) -> Result<TenantScope, Response> {
        let scope = match self.user.reaches(tenant) {
            true => state.store.tenant(tenant).await.ok(),
            false => None,
        };
        match scope {
            Some(scope) => Ok(scope),
            None => Err(not_found(self.lang, &self.session, &self.user).await),
        }
    }

    /// The frame of a page titled `title`.
    async fn frame(&self, title: String) -> Frame {
        Frame::new(self.lang, title, &self.session, Some(&self.user)).await
    }
}

/// What every page's frame shows: the title, who is logged in, the forms
/// of the header (language, logout), in the page's language.
pub(crate) struct Frame {
    pub lang: &'static str,
    pub title: String,
    pub product: String,
    pub csrf: String,
    pub user: Option<String>,
    pub role: String,
    pub logout: String,
    pub switch_to: &'static str,
    pub switch_label: String,
    pub skip: String,
    /// The people page's link, for those who manage people.
    pub people: Option<String>,
    /// The clients page's link, for the MSP.
    pub clients: Option<String>,
}

impl Frame {
    async fn new(lang: Lang, title: String, session: &Session, user: Option<&User>) -> Frame {
        let other = if lang == Lang::Fr { Lang::En } else { Lang::Fr };
        Frame {
            lang: lang.code(),
            title,
            product: t!(lang, "portal-product"),
            csrf: csrf_token(session).await,
            user: user.map(|u| u.email.clone()),
            role: user.map(|u| role_word(lang, u.role)).unwrap_or_default(),
            logout: t!(lang, "portal-logout"),
            switch_to: other.code(),
            switch_label: t!(other, "portal-language-name"),
            skip: t!(lang, "portal-skip"),
            people: user
                .filter(|u| matches!(u.role, Role::MspAdmin | Role::ClientAdmin))
                .map(|_| t!(lang, "portal-users-link")),
            clients: user
                .filter(|u| u.role.is_msp())
                .map(|_| t!(lang, "portal-tenants-link")),
        }
    }
}

fn role_word(lang: Lang, role: Role) -> String {
    match role {
        Role::MspAdmin => t!(lang, "portal-role-msp-admin"),
        Role::MspOperator => t!(lang, "portal-role-msp-operator"),
        Role::ClientAdmin => t!(lang, "portal-role-client-admin"),
        Role::ClientViewer => t!(lang, "portal-role-client-viewer"),
    }
}

/// One tab of a tenant's pages.
pub(crate) struct Tab {
    pub href: String,
    pub label: String,
    pub current: bool,
}

/// The tabs of tenant `tenant`'s pages, `current` marked.
pub(crate) fn tabs(lang: Lang, tenant: &str, current: &str) -> Vec<Tab> {
    [
        ("dashboard", String::new(), t!(lang, "portal-tab-dashboard")),
        ("plan", "/plan".to_owned(), t!(lang, "portal-plan-title")),
        ("jobs", "/jobs".to_owned(), t!(lang, "portal-jobs-title")),
        (
            "maintenance",
            "/maintenance".to_owned(),
            t!(lang, "portal-maintenance-title"),
        ),
        (
            "evidence",
            "/evidence".to_owned(),
            t!(lang, "portal-evidence-title"),
        ),
        (
            "documents",
            "/documents".to_owned(),
            t!(lang, "portal-documents-title"),
        ),
        (
            "crisis",
            "/crisis".to_owned(),
            t!(lang, "portal-crisis-title"),
        ),
    ]
    .into_iter()
    .map(|(id, path, label)| Tab {
        href: format!("/t/{tenant}{path}"),
        label,
        current: id == current,
    })
    .collect()
}

/// The time zone a plan's dates are written in (UTC when it names none
/// Rempart knows).
pub(crate) fn plan_zone(plan: &rempart_core::plan::Plan) -> chrono_tz::Tz {
    plan.organization.timezone.parse().unwrap_or(chrono_tz::UTC)
}

/// The time zone `person` reads a tenant's dates in: their own, else the
/// tenant's plan's.
pub(crate) async fn zone_of(
    state: &AppState,
    scope: &TenantScope,
    person: &Person,
) -> chrono_tz::Tz {
    if let Some(zone) = person.zone() {
        return zone;
    }
    let active = rempart_engine::active_plan(scope, std::path::Path::new("."), &state.plans).await;
    person.zone_in(active.as_ref().map(|a| &*a.plan))
}

/// A moment (ms since the epoch) as a date and time in `zone`.
pub(crate) fn when(zone: chrono_tz::Tz, ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map_or_else(
        || ms.to_string(),
        |t| {
            t.with_timezone(&zone)
                .format("%Y-%m-%d %H:%M:%S %:z")
                .to_string()
        },
    )
}

/// A rendered page, or a plain 500 when a template fails (a bug).
fn html(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(body) => (
            status,
            [
                (header::CACHE_CONTROL, "no-store"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (header::X_FRAME_OPTIONS, "DENY"),
                (header::REFERRER_POLICY, "same-origin"),
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'",
                ),
            ],
            Html(body),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a portal page could not be rendered");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "portal/not_found.html")]
struct NotFoundPage {
    frame: Frame,
    heading: String,
    text: String,
    back: String,
}

/// The page for what does not exist, or what this person may not see
/// (the two look the same).
async fn not_found(lang: Lang, session: &Session, user: &User) -> Response {
    let page = NotFoundPage {
        frame: Frame::new(lang, t!(lang, "portal-not-found"), session, Some(user)).await,
        heading: t!(lang, "portal-not-found"),
        text: t!(lang, "portal-not-found-text"),
        back: t!(lang, "portal-back-overview"),
    };
    html(StatusCode::NOT_FOUND, &page)
}

/// A page that says what went wrong: input that names nothing real, or
/// a failure (logged where it happened).
async fn problem(person: &Person, status: StatusCode, text: String) -> Response {
    let lang = person.lang;
    let page = NotFoundPage {
        frame: person.frame(t!(lang, "portal-problem")).await,
        heading: t!(lang, "portal-problem"),
        text,
        back: t!(lang, "portal-back-overview"),
    };
    html(status, &page)
}

/// Back to the login page.
fn to_login() -> Response {
    Redirect::to("/").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_s_first_known_language_wins() {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            "de-DE,fr;q=0.8,en;q=0.9".parse().unwrap(),
        );
        assert_eq!(accepted(&h), Some(Lang::En));
        h.insert(
            header::ACCEPT_LANGUAGE,
            "fr-CA,fr;q=0.9,en;q=0.5".parse().unwrap(),
        );
        assert_eq!(accepted(&h), Some(Lang::Fr));
        h.insert(header::ACCEPT_LANGUAGE, "de".parse().unwrap());
        assert_eq!(accepted(&h), None);
    }

    #[test]
    fn only_this_site_s_pages_may_post() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "rempart.example:8080".parse().unwrap());
        assert!(!same_origin(&h), "no Origin, no Referer");
        h.insert(
            header::ORIGIN,
            "https://rempart.example:8080".parse().unwrap(),
        );
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        assert!(!same_origin(&h));
        h.remove(header::ORIGIN);
        h.insert(
            header::REFERER,
            "http://rempart.example:8080/overview".parse().unwrap(),
        );
        assert!(same_origin(&h));
    }
}
