//! `rempart plan check|show|schema`.

use std::path::Path;

use rempart_core::plan::{self, Checked, finding::LineIndex};
use serde_json::json;

use crate::exit;
use crate::out::{Lang, t};

/// A plan file's text, or why it cannot be read (in `lang`): a file that
/// is not UTF-8 is placed at its first invalid byte (`FILE:LINE:COL`).
pub(crate) fn read_text(file: &Path, lang: Lang) -> Result<String, String> {
    let bytes = std::fs::read(file).map_err(|e| {
        let (name, error) = (file.display().to_string(), e.to_string());
        if e.kind() == std::io::ErrorKind::NotFound {
            t!(lang, "plan-read-not-found", file = name, error = error)
        } else {
            t!(lang, "plan-read-failed", file = name, error = error)
        }
    })?;
    match plan::finding::utf8(&bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(at) => Err(format!("{}:{at}", file.display())),
    }
}

/// The findings as JSON objects, with line and column when known.
fn findings_json(text: &str, checked: &Checked) -> Vec<serde_json::Value> {
    let index = LineIndex::new(text);
    checked
        .findings
        .iter()
        .map(|f| {
            let mut v = serde_json::to_value(f).unwrap_or_default();
            if let (Some(span), Some(obj)) = (&f.span, v.as_object_mut()) {
                let at = index.line_col(span.start);
                obj.insert("line".into(), at.line.into());
                obj.insert("column".into(), at.column.into());
            }
            v
        })
        .collect()
}

fn summary(lang: Lang, name: &str, checked: &Checked) -> String {
    let errors = t!(lang, "count-errors", count = checked.errors());
    let warnings = t!(lang, "count-warnings", count = checked.warnings());
    if checked.errors() == 0 {
        t!(
            lang,
            "plan-summary-valid",
            file = name,
            errors = errors,
            warnings = warnings
        )
    } else {
        t!(
            lang,
            "plan-summary-invalid",
            file = name,
            errors = errors,
            warnings = warnings
        )
    }
}

/// How long opening one repository may take for `plan check --resolve`.
const RESOLVE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// What `plan check --resolve` finds: the secrets that do not resolve
/// and the paths that do not exist ([`unresolved`]), then what opening
/// each repository finds: a password that does not open it, one not created
/// yet or out of reach, and a restic version-1 repository, which stores
/// data uncompressed (an error when the plan asks for a level). Placed at
/// the repository's keys.
fn resolve_findings(
    checked: &Checked,
    plan: &plan::Plan,
    env: &rempart_backup::secrets::Resolver,
    cache: &Path,
) -> Vec<plan::finding::Finding> {
    use plan::finding::Finding;
    use rempart_backup::BackupError;
    use rempart_i18n::say;
    let mut out = Vec::new();
    // A repository whose secrets or folder are already said missing is
    // not opened: it would only say it again.
    let said = unresolved(checked, plan, env);
    let no_answer = say!(
        "plan-resolve-no-answer",
        seconds = RESOLVE_TIMEOUT.as_secs()
    );
    for (i, r) in plan.repositories.iter().enumerate() {
        let at = |key: &str| format!("repository[{i}].{key}");
        let prefix = format!("repository[{i}].");
        if said.iter().any(|f| f.path.starts_with(&prefix)) {
            continue;
        }
        let mut env = env.clone();
        env.stop = rempart_backup::stop::Stop::never();
        env.stop
            .after(RESOLVE_TIMEOUT, rempart_i18n::english(&no_answer));
        let target =
            rempart_backup::repository::Target::from_plan(plan, r.id.as_str(), &env, cache);
        let opened = target.and_then(|t| t.open().map(|repo| (t, repo)));
        match opened {
            Ok((_, repo)) => {
                if repo.config().version == 1 {
                    let explicit = matches!(
                        r.compression,
                        Some(plan::Compression::Fast | plan::Compression::Max)
                    );
                    let path = if explicit {
                        at("compression")
                    } else {
                        at("location")
                    };
                    let span = checked.spans.value(&path);
                    let id = r.id.as_str();
                    let finding = if explicit {
                        let level = r.compression.map_or("", |c| c.as_str());
                        Finding::error(
                            "compression-unsupported",
                            path,
                            say!("plan-resolve-repository-v1-level", id = id, level = level),
                        )
                    } else {
                        Finding::warning(
                            "uncompressed-repository",
                            path,
                            say!("plan-resolve-repository-v1", id = id),
                        )
                    };
                    out.push(
                        finding
                            .hint(say!("plan-resolve-repository-v1-hint"))
                            .at(span),
                    );
                }
            }
            Err(e) => {
                let (code, path, hint) = match &e {
                    BackupError::NotInitialised { .. } => (
                        "repository-missing",
                        at("location"),
                        say!("plan-resolve-repo-init-hint", id = r.id.as_str()),
                    ),
                    BackupError::Secret { .. } | BackupError::WrongPassword { .. } => (
                        "repository-password",
                        at("password"),
                        say!("plan-resolve-password-hint"),
                    ),
                    _ => (
                        "repository-unreachable",
                        at("location"),
                        say!("plan-resolve-unreachable-hint"),
                    ),
                };
                let span = checked.spans.value(&path);
                let message = open_failure(&e, &no_answer, &env.scrubber);
                out.push(Finding::warning(code, path, message).hint(hint).at(span));
            }
        }
    }
    said.into_iter().chain(out).collect()
}

/// Why a repository did not open, as a sentence of the catalogue; what
/// comes from elsewhere (a location, a storage's error) scrubbed of the
/// secrets resolved so far.
fn open_failure(
    e: &rempart_backup::BackupError,
    no_answer: &serde_json::Value,
    scrubber: &rempart_core::secrets::Scrubber,
) -> serde_json::Value {
    use rempart_backup::BackupError;
    use rempart_i18n::say;
    let scrub = |text: &str| scrubber.scrub(text);
    match e {
        BackupError::NotInitialised { repo, location } => say!(
            "plan-resolve-not-initialised",
            id = repo,
            location = scrub(location)
        ),
        BackupError::WrongPassword { repo, location } => say!(
            "plan-resolve-wrong-password",
            id = repo,
            location = scrub(location)
        ),
        BackupError::Secret { what, why } => {
            say!("plan-resolve-secret", what = what, why = scrub(why))
        }
        BackupError::Repository {
            repo,
            location,
            source,
        } => say!(
            "plan-resolve-repository-error",
            id = repo,
            location = scrub(location),
            error = scrub(&rempart_backup::sentence(source))
        ),
        BackupError::Stopped { why } => {
            let why = if *why == rempart_i18n::english(no_answer) {
                no_answer.clone()
            } else {
                scrub(why).into()
            };
            say!("plan-resolve-stopped", why = why)
        }
        other => say!(
            "plan-resolve-other-error",
            error = scrub(&other.to_string())
        ),
    }
}

/// The plan's secrets that do not resolve here and its paths that do not
/// exist, as warnings at their place in the plan (`plan check --resolve`,
/// and `serve` at each start and reload).
pub(crate) fn unresolved(
    checked: &Checked,
    plan: &plan::Plan,
    env: &rempart_backup::secrets::Resolver,
) -> Vec<plan::finding::Finding> {
    env.unresolved(plan)
        .into_iter()
        .map(|u| {
            let span = checked.spans.value(&u.path);
            plan::finding::Finding::warning(u.code, u.path, u.message)
                .hint_maybe(u.hint)
                .at(span)
        })
        .collect()
}

pub fn check(g: &crate::Global, json: bool, resolve: bool) -> u8 {
    let crate::tenancy::PlanText { name, text, base } = match crate::tenancy::plan_text(g) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let mut checked = plan::check(&text);
    checked.check_files(&base);
    if resolve && let Some(valid) = checked.plan.clone() {
        // The plan's secrets resolve as a run would resolve them (stored
        // ones from the tenant it rules).
        let mut env = None;
        let code = crate::evidence_cmd::runtime(async {
            match crate::tenancy::plan_only(g).await {
                Ok((_, e)) => {
                    env = Some(e);
                    0
                }
                Err(code) => code,
            }
        });
        let Some(env) = env else { return code };
        let cache = g.data_dir.join("cache/rustic");
        let more = resolve_findings(&checked, &valid, &env, &cache);
        checked.add(more);
    }
    if json {
        let out = json!({
            "file": name,
            "valid": checked.errors() == 0,
            "errors": checked.errors(),
            "warnings": checked.warnings(),
            "findings": findings_json(&text, &checked),
        });
        crate::out::print_json(&out);
    } else {
        let lang = g.lang_checked(&checked);
        print!(
            "{}",
            plan::finding::render(&name, Some(&text), &checked.findings, lang)
        );
        println!("{}", summary(lang, &name, &checked));
    }
    if checked.errors() == 0 {
        0
    } else {
        exit::FOUND
    }
}

pub fn show(g: &crate::Global, json: bool) -> u8 {
    let crate::tenancy::PlanText { name, text, .. } = match crate::tenancy::plan_text(g) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let checked = plan::check(&text);
    let lang = g.lang_checked(&checked);
    let Some(valid) = checked.valid_plan() else {
        eprint!(
            "{}",
            plan::finding::render(&name, Some(&text), &checked.findings, lang)
        );
        eprintln!("{}", summary(lang, &name, &checked));
        return exit::FOUND;
    };
    if checked.warnings() > 0 {
        eprint!(
            "{}",
            plan::finding::render(&name, Some(&text), &checked.findings, lang)
        );
    }
    if json {
        crate::out::print_json(&valid.to_json());
    } else {
        print!("{}", valid.to_toml());
    }
    0
}

pub fn schema() -> u8 {
    println!("{:#}", plan::json_schema());
    0
}
