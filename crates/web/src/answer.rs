//! `/crisis/{tenant}/{crisis}/{contact}/{until}/{signature}`: the answer
//! link of a crisis call, as sent to `contact`, working until `until`
//! (seconds since the epoch), signed with the server's `ack` secret.
//!
//! Opening it (GET, HEAD) shows the crisis and two buttons and changes
//! nothing: mail scanners and chat previews fetch links. The POST of a
//! button records the answer in the contact's name (`link:<contact>`):
//! "I'm on it", or "I can't" — then their alternate is called at once.

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Html;
use rempart_core::crisis::Crisis;
use rempart_core::plan::Plan;
use rempart_i18n::{Lang as Language, t};
use rempart_store::{TenantScope, now_ms};
use serde::Deserialize;

use crate::AppState;
use crate::ack::{escape, page, same, time, unavailable, unknown_link};

/// The link's parts, as the path gives them.
type LinkPath = (String, String, String, i64, String);

/// What a checked link leads to.
struct Checked {
    scope: TenantScope,
    plan: std::sync::Arc<Plan>,
    crisis: Crisis,
    contact: String,
    lang: Language,
}

async fn check(state: &AppState, link: LinkPath) -> Result<Checked, (StatusCode, Html<String>)> {
    let (tenant, crisis, contact, until_s, signature) = link;
    let unknown = || {
        unknown_link(
            &t!(Language::En, "answer-unknown-link"),
            &t!(Language::Fr, "answer-unknown-link"),
        )
    };
    let Ok(key) = state.store.server_secret("ack").await else {
        return Err(unavailable(Language::En));
    };
    let expected =
        rempart_engine::notify::answer_signature(&key, &tenant, &crisis, &contact, until_s);
    if !same(&expected, &signature) {
        return Err(unknown());
    }
    let Ok(scope) = state.store.tenant(&tenant).await else {
        return Err(unknown());
    };
    let Some(plan) = rempart_engine::active_plan(&scope, std::path::Path::new("."), &state.plans)
        .await
        .map(|a| a.plan)
    else {
        return Err(unavailable(Language::En));
    };
    let lang: Language = plan
        .contacts
        .iter()
        .find(|c| c.id.as_str() == contact)
        .and_then(|c| c.language)
        .unwrap_or(plan.organization.language)
        .into();
    if now_ms() / 1000 > until_s {
        return Err(page(
            StatusCode::GONE,
            lang,
            &t!(lang, "ack-expired-title"),
            &format!(
                "<p>{}</p>",
                t!(
                    lang,
                    "answer-expired",
                    when = time(until_s * 1000, &plan.organization.timezone)
                )
            ),
        ));
    }
    match rempart_engine::crisis::load(&scope, &crisis).await {
        Ok(Some(c)) => Ok(Checked {
            scope,
            plan,
            crisis: c,
            contact,
            lang,
        }),
        Ok(None) => Err(unknown()),
        Err(e) => {
            tracing::warn!("cannot read crisis {crisis}: {e}");
            Err(unavailable(lang))
        }
    }
}

/// The crisis as a list of facts, and where the contact stands.
fn facts(c: &Checked) -> String {
    let l = c.lang;
    let k = &c.crisis;
    let tz = &c.plan.organization.timezone;
    let mark = if k.is_exercise() {
        format!(
            "<div class=\"mark\">{}</div>",
            rempart_engine::crisis::EXERCISE_MARK
        )
    } else {
        String::new()
    };
    let answer = k
        .roles
        .iter()
        .find(|r| r.holder.as_deref() == Some(c.contact.as_str()))
        .and_then(|r| r.available)
        .map(|yes| if yes { "on-it" } else { "cannot" });
    let state = match (k.closed_ms, answer) {
        (Some(at), _) => t!(l, "answer-state-closed", when = time(at, tz)),
        (None, Some(a)) => t!(l, "crisis-role-state", state = a),
        (None, None) => t!(l, "crisis-role-state", state = "waiting"),
    };
    format!(
        "{mark}<dl><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd></dl>",
        t!(l, "answer-fact-organization"),
        escape(&c.plan.organization.name),
        t!(l, "answer-fact-crisis"),
        escape(&k.title),
        t!(l, "answer-fact-declared"),
        time(k.declared_ms, tz),
        t!(l, "answer-fact-you"),
        escape(&rempart_engine::crisis::contact_name(&c.plan, &c.contact)),
        t!(l, "answer-fact-state"),
        state,
    )
}

/// GET (and HEAD): the crisis and the two buttons; nothing changes.
pub async fn show(
    State(state): State<AppState>,
    Path(link): Path<LinkPath>,
) -> (StatusCode, Html<String>) {
    let c = match check(&state, link).await {
        Ok(c) => c,
        Err(page) => return page,
    };
    let l = c.lang;
    let buttons = if c.crisis.closed_ms.is_none() {
        format!(
            "<form method=\"post\"><button class=\"ok\" type=\"submit\" name=\"answer\" value=\"yes\">{}</button>\
             <button class=\"secondary\" type=\"submit\" name=\"answer\" value=\"no\">{}</button></form><p>{}</p>",
            t!(l, "answer-yes"),
            t!(l, "answer-no"),
            t!(l, "answer-explained")
        )
    } else {
        String::new()
    };
    page(
        StatusCode::OK,
        l,
        &t!(l, "answer-title"),
        &format!("{}{buttons}", facts(&c)),
    )
}

/// The answer a button posts.
#[derive(Debug, Deserialize)]
pub struct Answer {
    answer: String,
}

/// POST, from a button: records the answer in the contact's name.
pub async fn answer(
    State(state): State<AppState>,
    Path(link): Path<LinkPath>,
    form: Result<Form<Answer>, FormRejection>,
) -> (StatusCode, Html<String>) {
    let c = match check(&state, link).await {
        Ok(c) => c,
        Err(page) => return page,
    };
    let l = c.lang;
    let available = match form.as_ref().map(|f| f.answer.as_str()).ok() {
        Some("yes") => true,
        Some("no") => false,
        _ => {
            return page(
                StatusCode::BAD_REQUEST,
                l,
                &t!(l, "answer-title"),
                &format!("<p>{}</p>{}", t!(l, "answer-pick"), facts(&c)),
            );
        }
    };
    let by = format!("link:{}", c.contact);
    match rempart_engine::crisis::answer(
        &c.scope,
        &c.plan,
        &c.crisis.id,
        &c.contact,
        available,
        &by,
    )
    .await
    {
        Ok(crisis) => {
            let done = Checked { crisis, ..c };
            let said = if available {
                t!(l, "answer-done-yes")
            } else {
                t!(l, "answer-done-no")
            };
            page(
                StatusCode::OK,
                l,
                &t!(l, "answer-title"),
                &format!("<p>{said}</p>{}", facts(&done)),
            )
        }
        Err(rempart_engine::crisis::Refused::Failed(e)) => {
            tracing::warn!("cannot record an answer: {e}");
            unavailable(l)
        }
        Err(e) => page(
            StatusCode::CONFLICT,
            l,
            &t!(l, "answer-title"),
            &format!("<p>{}</p>{}", escape(&e.to_string()), facts(&c)),
        ),
    }
}
