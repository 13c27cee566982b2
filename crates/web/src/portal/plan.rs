//! A tenant's plan: the active version, every version (who, when, by
//! whom) with what each changed, and an editor that saves through the
//! same checks as `rempart plan check` and the API (`planner::apply`):
//! a plan with an error shows each finding at its line and stores nothing.
//! A client administrator's plan is held to the trust rules (nothing that
//! runs or reads on the server); a plan that is a file on the server is
//! edited there, never here.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use rempart_core::plan::finding::{LineIndex, Severity};
use rempart_core::plan::trust::Author;
use rempart_i18n::{Lang, t};
use rempart_store::{ManagedBy, PlanVersion, Role, StoreError, TenantScope};
use serde::Deserialize;

use super::{Frame, Person, Tab, html, tabs, zone_of};
use crate::AppState;

/// One finding, placed in the text.
pub(crate) struct FindingRow {
    pub class: &'static str,
    pub severity: String,
    /// `line 12, column 3` (empty when the finding has no place).
    pub place: String,
    pub line: usize,
    pub excerpt: String,
    pub message: String,
    pub hint: Option<String>,
}

/// One line of a diff.
pub(crate) struct DiffLine {
    /// `ins`, `del` or `ctx`; `gap` between hunks.
    pub class: &'static str,
    pub old: String,
    pub new: String,
    pub text: String,
}

pub(crate) struct VersionRow {
    pub version: i64,
    pub when: String,
    pub by: String,
    pub author: String,
    pub current: bool,
    pub shown: bool,
}

#[derive(Template)]
#[template(path = "portal/plan.html")]
struct PlanPage {
    frame: Frame,
    tabs: Vec<Tab>,
    heading: String,
    tenant: String,
    summary: String,
    notice: Option<String>,
    /// Why this person cannot edit here (a file on the server, a
    /// read-only role); `None`: the editor is shown.
    read_only: Option<String>,
    editor_heading: String,
    editor_help: String,
    save: String,
    source: String,
    findings_heading: String,
    findings: Vec<FindingRow>,
    versions_heading: String,
    col_version: String,
    col_when: String,
    col_by: String,
    col_author: String,
    changes: String,
    versions: Vec<VersionRow>,
    diff_heading: String,
    diff: Vec<DiffLine>,
    no_change: String,
    no_plan: String,
    has_plan: bool,
}

#[derive(Deserialize)]
pub(super) struct PlanQuery {
    /// Show what version N changed.
    diff: Option<i64>,
    /// Version N was just saved.
    saved: Option<i64>,
}

#[derive(Deserialize)]
pub(super) struct PlanForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    source: String,
}

/// Who the person edits as: the MSP (every feature) or a client (the
/// trust rules); `None`: they may not edit.
fn editor(role: Role) -> Option<Author> {
    match role {
        Role::MspAdmin | Role::MspOperator => Some(Author::Msp),
        Role::ClientAdmin => Some(Author::Client),
        Role::ClientViewer => None,
    }
}

fn author_word(lang: Lang, author: Author) -> String {
    match author {
        Author::Msp => t!(lang, "portal-plan-author-msp"),
        Author::Client => t!(lang, "portal-plan-author-client"),
    }
}

/// The page, with `source` in the editor and `findings` above it.
async fn render(
    state: &AppState,
    person: &Person,
    scope: &TenantScope,
    query: &PlanQuery,
    edited: Option<(String, Vec<FindingRow>)>,
) -> PlanPage {
    let lang = person.lang;
    let tenant = scope.id().to_owned();
    let versions = scope.plan_versions().await.unwrap_or_else(|e| {
        tracing::error!(tenant, error = %e, "cannot read plan versions for the portal");
        Vec::new()
    });
    let zone = zone_of(state, scope, person).await;
    let active = versions.last();
    let managed_by = scope.info().await.map(|t| t.managed_by).ok();
    let read_only = match (&managed_by, editor(person.user.role)) {
        (Some(ManagedBy::File(file)), _) => {
            Some(t!(lang, "portal-plan-file", file = file.as_str()))
        }
        (_, None) => Some(t!(lang, "portal-plan-read-only")),
        (None, _) => Some(t!(lang, "portal-tenant-unreadable")),
        _ => None,
    };
    let shown = query.diff.or(active.map(|v| v.version)).unwrap_or_default();
    let diff = match versions.iter().position(|v| v.version == shown) {
        Some(i) => {
            let before = if i == 0 {
                ""
            } else {
                versions[i - 1].source.as_str()
            };
            diff_lines(before, &versions[i].source)
        }
        None => Vec::new(),
    };
    let summary = active.map_or_else(String::new, |v| {
        t!(
            lang,
            "portal-plan-summary",
            version = v.version,
            by = v.accepted_by.as_str(),
            when = super::when(zone, v.accepted_ms)
        )
    });
    let (source, findings) = edited.unwrap_or_else(|| {
        (
            active.map(|v| v.source.clone()).unwrap_or_default(),
            Vec::new(),
        )
    });
    let rows = versions
        .iter()
        .rev()
        .map(|v: &PlanVersion| VersionRow {
            version: v.version,
            when: super::when(zone, v.accepted_ms),
            by: v.accepted_by.clone(),
            author: author_word(lang, v.author),
            current: Some(v.version) == active.map(|a| a.version),
            shown: v.version == shown,
        })
        .collect();
    PlanPage {
        frame: person.frame(t!(lang, "portal-plan-title")).await,
        tabs: tabs(lang, &tenant, "plan"),
        heading: t!(lang, "portal-plan-title"),
        summary,
        notice: query
            .saved
            .map(|v| t!(lang, "portal-plan-saved", version = v)),
        read_only,
        editor_heading: t!(lang, "portal-plan-editor"),
        editor_help: t!(lang, "portal-plan-editor-help"),
        save: t!(lang, "portal-plan-save"),
        source,
        findings_heading: t!(lang, "portal-plan-findings", count = findings.len()),
        findings,
        versions_heading: t!(lang, "portal-plan-versions"),
        col_version: t!(lang, "portal-col-version"),
        col_when: t!(lang, "portal-col-when"),
        col_by: t!(lang, "portal-col-by"),
        col_author: t!(lang, "portal-col-author"),
        changes: t!(lang, "portal-plan-changes"),
        versions: rows,
        diff_heading: t!(lang, "portal-plan-diff", version = shown),
        diff,
        no_change: t!(lang, "portal-plan-no-change"),
        no_plan: t!(lang, "portal-tenant-no-plan"),
        has_plan: active.is_some(),
        tenant,
    }
}

/// `GET /t/{tenant}/plan`.
pub(super) async fn page(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    Query(query): Query<PlanQuery>,
    person: Person,
) -> Response {
    let scope = match person.tenant(&state, &tenant).await {
        Ok(scope) => scope,
        Err(page) => return page,
    };
    let page = render(&state, &person, &scope, &query, None).await;
    html(StatusCode::OK, &page)
}

/// `POST /t/{tenant}/plan`: a new version, checked first.
pub(super) async fn save(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    person: Person,
    headers: HeaderMap,
    Form(form): Form<PlanForm>,
) -> Response {
    let scope = match person
        .posted_to(&state, &headers, &form.csrf, &tenant)
        .await
    {
        Ok(scope) => scope,
        Err(refused) => return refused,
    };
    let Some(author) = editor(person.user.role) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    match scope.info().await.map(|t| t.managed_by) {
        Ok(ManagedBy::Api) => {}
        Ok(ManagedBy::File(_)) => return StatusCode::CONFLICT.into_response(),
        Err(e) => {
            tracing::error!(tenant, error = %e, "cannot read a tenant to save its plan");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    }
    // Browsers send a text area's lines as CRLF: the plan is stored as typed.
    let source = form.source.replace("\r\n", "\n");
    let by = format!("portal:{}", person.user.email);
    let query = PlanQuery {
        diff: None,
        saved: None,
    };
    match rempart_engine::planner::apply(&scope, &source, &by, author).await {
        Ok((version, jobs)) => {
            tracing::info!(
                tenant,
                version = version.version,
                jobs = jobs.specs.len(),
                "plan accepted from the portal"
            );
            Redirect::to(&format!("/t/{tenant}/plan?saved={}", version.version)).into_response()
        }
        Err(StoreError::InvalidPlan(checked) | StoreError::Refused(checked)) => {
            let findings = finding_rows(person.lang, &source, &checked.findings);
            let page = render(&state, &person, &scope, &query, Some((source, findings))).await;
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => {
            tracing::error!(tenant, error = %e, "cannot save a plan from the portal");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// Each finding with its line and column, errors first, in order of place.
fn finding_rows(
    lang: Lang,
    source: &str,
    findings: &[rempart_core::plan::Finding],
) -> Vec<FindingRow> {
    let index = LineIndex::new(source);
    let mut rows: Vec<FindingRow> = findings
        .iter()
        .map(|f| {
            let (class, severity) = match f.severity {
                Severity::Error => ("breached", t!(lang, "finding-error")),
                Severity::Warning => ("at-risk", t!(lang, "finding-warning")),
            };
            let (place, line, excerpt) = match &f.span {
                Some(span) => {
                    let at = index.line_col(span.start);
                    let excerpt = f.excerpt(&index, at);
                    (
                        t!(lang, "portal-plan-at", line = at.line, column = at.column),
                        at.line,
                        excerpt,
                    )
                }
                None => (f.path.clone(), usize::MAX, String::new()),
            };
            FindingRow {
                class,
                severity,
                place,
                line,
                excerpt,
                message: f.message_in(lang),
                hint: f.hint_in(lang),
            }
        })
        .collect();
    rows.sort_by_key(|r| (r.class != "breached", r.line));
    rows
}

/// What changed from `before` to `after`, by line, with three lines of
/// context around each change.
fn diff_lines(before: &str, after: &str) -> Vec<DiffLine> {
    let diff = similar::TextDiff::from_lines(before, after);
    let mut out = Vec::new();
    for (i, group) in diff.grouped_ops(3).iter().enumerate() {
        if i > 0 {
            out.push(DiffLine {
                class: "gap",
                old: String::new(),
                new: String::new(),
                text: "…".to_owned(),
            });
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let class = match change.tag() {
                    similar::ChangeTag::Delete => "del",
                    similar::ChangeTag::Insert => "ins",
                    similar::ChangeTag::Equal => "ctx",
                };
                let number = |n: Option<usize>| n.map(|n| (n + 1).to_string()).unwrap_or_default();
                out.push(DiffLine {
                    class,
                    old: number(change.old_index()),
                    new: number(change.new_index()),
                    text: change.value().trim_end_matches(['\n', '\r']).to_owned(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_shows_what_changed_with_context() {
        let before = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
        let after = "a\nb\nc\nd\nE\nf\ng\nh\ni\nj\nk\n";
        let lines = diff_lines(before, after);
        let shown: Vec<(&str, &str)> = lines.iter().map(|l| (l.class, l.text.as_str())).collect();
        assert_eq!(
            shown,
            [
                ("ctx", "b"),
                ("ctx", "c"),
                ("ctx", "d"),
                ("del", "e"),
                ("ins", "E"),
                ("ctx", "f"),
                ("ctx", "g"),
                ("ctx", "h"),
                ("ctx", "i"),
                ("ctx", "j"),
                ("ins", "k"),
            ]
        );
        assert_eq!((lines[3].old.as_str(), lines[4].new.as_str()), ("5", "5"));
        // A first version: every line is new.
        assert!(diff_lines("", "x\ny\n").iter().all(|l| l.class == "ins"));
    }

    #[test]
    fn findings_sit_at_their_line_and_hide_secrets() {
        let source = "[organization]\nname = \"X\"\nlanguage = \"klingon\"\n";
        let checked = rempart_core::plan::check(source);
        let rows = finding_rows(Lang::En, source, &checked.findings);
        assert!(!rows.is_empty(), "the bad language is found");
        assert_eq!(rows[0].class, "breached");
        assert!(
            rows.iter()
                .any(|r| r.line == 3 && r.excerpt.contains("klingon")),
            "{:?}",
            rows.iter()
                .map(|r| (&r.place, &r.message))
                .collect::<Vec<_>>()
        );
    }
}
