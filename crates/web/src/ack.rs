//! `/ack/{tenant}/{alert}/{to}/{until}/{signature}`: the acknowledgement
//! link of an alert, as sent to receiver `to`, working until `until`
//! (seconds since the epoch). The HMAC signature (the server's `ack`
//! secret) is the proof: no login from a phone at 3 a.m.
//!
//! Opening the link (GET, or HEAD from a link preview) only shows the
//! alert and a button: e-mail scanners and chat previews fetch links, and
//! must not stop an escalation. The button's POST acknowledges: the
//! escalation stops, and a `confirmation` record names the receiver.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Html;
use rempart_i18n::{Lang as Language, t};
use rempart_store::{Alert, TenantScope, now_ms};

use crate::AppState;

/// The link's parts, as the path gives them.
type LinkPath = (String, i64, String, i64, String);

/// Constant-time comparison of two signatures.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A small page that reads well on a phone.
pub(crate) fn page(
    status: StatusCode,
    lang: Language,
    title: &str,
    body: &str,
) -> (StatusCode, Html<String>) {
    let lang = lang.code();
    (
        status,
        Html(format!(
            "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta name=\"robots\" content=\"noindex\"><title>{title} — Rempart</title>\
             <style>body{{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;padding:0 .75rem;background:#f3f4f6;color:#111827}}\
             main{{max-width:32rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.12)}}\
             h1{{font-size:1.3rem;margin:0 0 1rem}}dl{{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem;margin:0 0 1.5rem}}\
             dt{{color:#6b7280}}dd{{margin:0;font-weight:600}}button{{width:100%;font-size:1.1rem;padding:.9rem;border:0;border-radius:8px;background:#b91c1c;color:#fff;cursor:pointer}}button.ok{{background:#15803d}}button.secondary{{background:#4b5563;margin-top:.75rem}}.mark{{display:inline-block;background:#f59e0b;color:#111827;font-weight:700;padding:.2rem .5rem;border-radius:6px;margin-bottom:.75rem}}\
             p{{line-height:1.5}}footer{{margin-top:1.5rem;font-size:.8rem;color:#6b7280}}</style></head>\
             <body><main><h1>{title}</h1>{body}<footer>Rempart</footer></main></body></html>"
        )),
    )
}

/// A time as people there read it: in the organisation's time zone.
pub(crate) fn time(ms: i64, tz: &str) -> String {
    let Some(t) = chrono::DateTime::from_timestamp_millis(ms) else {
        return ms.to_string();
    };
    match tz.parse::<chrono_tz::Tz>() {
        Ok(zone) => t
            .with_timezone(&zone)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string(),
        Err(_) => t.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

/// What a checked link leads to.
struct Checked {
    scope: TenantScope,
    alert: Alert,
    lang: Language,
    /// The organisation's time zone.
    tz: String,
    /// The monitor as the plan names it.
    monitor: String,
    to: String,
}

/// The link's alert, when its signature holds and it has not expired;
/// the page to answer otherwise.
async fn check(state: &AppState, link: LinkPath) -> Result<Checked, (StatusCode, Html<String>)> {
    let (tenant, id, to, until_s, signature) = link;
    // The language is the plan's, known only once the link is trusted.
    // Both languages: the link is not trusted yet.
    let unknown = || {
        unknown_link(
            &t!(Language::En, "ack-unknown-link"),
            &t!(Language::Fr, "ack-unknown-link"),
        )
    };
    let Ok(key) = state.store.server_secret("ack").await else {
        return Err(unavailable(Language::En));
    };
    let expected = rempart_engine::notify::ack_signature(&key, &tenant, id, &to, until_s);
    if !same(&expected, &signature) {
        return Err(unknown());
    }
    let Ok(scope) = state.store.tenant(&tenant).await else {
        return Err(unknown());
    };
    let plan = rempart_engine::active_plan(&scope, std::path::Path::new("."), &state.plans)
        .await
        .map(|a| a.plan);
    let lang = plan
        .as_ref()
        .map_or(Language::En, |p| p.organization.language.into());
    let tz = plan
        .as_ref()
        .map_or_else(|| "UTC".to_owned(), |p| p.organization.timezone.clone());
    if now_ms() / 1000 > until_s {
        let body = format!(
            "<p>{}</p>",
            t!(
                lang,
                "ack-expired",
                when = time(until_s * 1000, &tz),
                id = id,
                command = format!("<code>rempart ack {id}</code>")
            )
        );
        return Err(page(
            StatusCode::GONE,
            lang,
            &t!(lang, "ack-expired-title"),
            &body,
        ));
    }
    match scope.alert(id).await {
        Ok(Some(alert)) => Ok(Checked {
            monitor: plan
                .as_ref()
                .and_then(|p| p.monitors.iter().find(|m| m.id.as_str() == alert.monitor))
                .and_then(|m| m.name.clone())
                .unwrap_or_else(|| alert.monitor.clone()),
            scope,
            alert,
            lang,
            tz,
            to,
        }),
        Ok(None) => Err(unknown()),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read alert {id}");
            Err(unavailable(lang))
        }
    }
}

/// The page of a link that is not one of ours (its signature does not
/// hold, or what it names is gone), in both languages: the link is not
/// trusted, so neither is the language it would lead to.
pub(crate) fn unknown_link(english: &str, french: &str) -> (StatusCode, Html<String>) {
    page(
        StatusCode::NOT_FOUND,
        Language::En,
        &format!(
            "{} / {}",
            t!(Language::En, "ack-unknown-link-title"),
            t!(Language::Fr, "ack-unknown-link-title")
        ),
        &format!("<p>{english}</p><p lang=\"fr\">{french}</p>"),
    )
}

pub(crate) fn unavailable(lang: Language) -> (StatusCode, Html<String>) {
    page(
        StatusCode::SERVICE_UNAVAILABLE,
        lang,
        &t!(lang, "ack-unavailable-title"),
        &format!("<p>{}</p>", t!(lang, "ack-unavailable")),
    )
}

fn title(lang: Language, id: i64) -> String {
    t!(lang, "ack-title", id = id)
}

/// The alert as a list of facts.
fn facts(c: &Checked) -> String {
    let a = &c.alert;
    let l = c.lang;
    let state = match (a.resolved_ms, a.acked_ms) {
        (Some(t), _) => t!(l, "ack-state-over", when = time(t, &c.tz)),
        (None, Some(t)) => t!(
            l,
            "ack-state-acknowledged",
            when = time(t, &c.tz),
            by = escape(a.acked_by.as_deref().unwrap_or("?"))
        ),
        (None, None) => t!(l, "ack-state-open"),
    };
    format!(
        "<dl><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd></dl>",
        t!(l, "ack-fact-monitor"),
        escape(&c.monitor),
        t!(l, "ack-fact-since"),
        time(a.opened_ms, &c.tz),
        t!(l, "ack-fact-state"),
        state,
        t!(l, "ack-fact-sent-to"),
        escape(&c.to),
    )
}

/// GET (and HEAD): the alert and a button; nothing changes.
pub async fn show(
    State(state): State<AppState>,
    Path(link): Path<LinkPath>,
) -> (StatusCode, Html<String>) {
    let c = match check(&state, link).await {
        Ok(c) => c,
        Err(page) => return page,
    };
    let l = c.lang;
    let title = title(l, c.alert.id);
    let action = if c.alert.acked_ms.is_none() && c.alert.resolved_ms.is_none() {
        format!(
            "<form method=\"post\"><button type=\"submit\">{}</button></form><p>{}</p>",
            t!(l, "ack-button"),
            t!(l, "ack-button-explained")
        )
    } else {
        String::new()
    };
    page(StatusCode::OK, l, &title, &format!("{}{action}", facts(&c)))
}

/// POST, from the page's button: acknowledges, in the receiver's name.
pub async fn acknowledge(
    State(state): State<AppState>,
    Path(link): Path<LinkPath>,
) -> (StatusCode, Html<String>) {
    let c = match check(&state, link).await {
        Ok(c) => c,
        Err(page) => return page,
    };
    let l = c.lang;
    let id = c.alert.id;
    match rempart_engine::notify::alert::acknowledge(&c.scope, id, &c.to, "link").await {
        Ok(Some(acked)) => {
            if let Some(e) = &acked.unrecorded {
                tracing::warn!(error = %e, "cannot record the acknowledgement of alert {id}");
            }
            let done = Checked {
                alert: acked.alert,
                ..c
            };
            let said = if acked.newly {
                format!("<p>{}</p>", t!(l, "ack-done-page"))
            } else {
                format!("<p>{}</p>", t!(l, "ack-already-page"))
            };
            let title = title(l, id);
            page(
                StatusCode::OK,
                l,
                &title,
                &format!("{said}{}", facts(&done)),
            )
        }
        Ok(None) => check_failed(l),
        Err(e) => {
            tracing::warn!(error = %e, "cannot acknowledge alert {id}");
            unavailable(l)
        }
    }
}

fn check_failed(lang: Language) -> (StatusCode, Html<String>) {
    page(
        StatusCode::NOT_FOUND,
        lang,
        &t!(lang, "ack-unknown-alert-title"),
        &format!("<p>{}</p>", t!(lang, "ack-unknown-alert")),
    )
}
