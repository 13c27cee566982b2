//! `rempart plan check|show|schema`.

use std::path::Path;

use rempart_core::plan::{self, Checked, finding::LineIndex};
use serde_json::json;

use crate::exit;
use crate::out::{Lang, t};

/// A plan file's text, or why it cannot be read: a file that is not
/// UTF-8 is placed at its first invalid byte (`FILE:LINE:COL`).
pub(crate) fn read_text(file: &Path) -> Result<String, String> {
    let bytes = std::fs::read(file).map_err(|e| {
        let fix = if e.kind() == std::io::ErrorKind::NotFound {
            " — create one with `rempart init`, or point to it with -c FILE or $REMPART_PLAN"
        } else {
            ""
        };
        format!("cannot read the plan {}: {e}{fix}", file.display())
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
    let mut out = Vec::new();
    // A repository whose secrets or folder are already said missing is
    // not opened: it would only say it again.
    let said = unresolved(checked, plan, env);
    for (i, r) in plan.repositories.iter().enumerate() {
        let at = |key: &str| format!("repository[{i}].{key}");
        let prefix = format!("repository[{i}].");
        if said.iter().any(|f| f.path.starts_with(&prefix)) {
            continue;
        }
        let mut env = env.clone();
        env.stop = rempart_backup::stop::Stop::never();
        env.stop.after(
            RESOLVE_TIMEOUT,
            format!("no answer within {} s", RESOLVE_TIMEOUT.as_secs()),
        );
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
                    let message = format!(
                        "repository \"{}\" is a restic version-1 repository: it cannot compress, its backups are stored uncompressed{}",
                        r.id,
                        if explicit {
                            format!(
                                ", so compression = \"{}\" cannot be honoured",
                                r.compression.map_or("", |c| c.as_str())
                            )
                        } else {
                            String::new()
                        }
                    );
                    let finding = if explicit {
                        Finding::error("compression-unsupported", path, message)
                    } else {
                        Finding::warning("uncompressed-repository", path, message)
                    };
                    out.push(
                        finding
                            .hint("`restic migrate upgrade_repo_v2` upgrades it (restic 0.14 or later reads it then); or write compression = \"off\"")
                            .at(span),
                    );
                }
            }
            Err(e) => {
                let (code, path, hint) = match &e {
                    rempart_backup::BackupError::NotInitialised { .. } => (
                        "repository-missing",
                        at("location"),
                        format!("create it with `rempart repo init {}`", r.id),
                    ),
                    rempart_backup::BackupError::Secret { .. }
                    | rempart_backup::BackupError::WrongPassword { .. } => (
                        "repository-password",
                        at("password"),
                        "store the password with `rempart secret set`, or fix the reference".into(),
                    ),
                    _ => (
                        "repository-unreachable",
                        at("location"),
                        "check the address, the credentials and the network; backups to it fail until then".into(),
                    ),
                };
                let span = checked.spans.value(&path);
                out.push(
                    Finding::warning(code, path, env.scrubber.scrub(&e.to_string()))
                        .hint(hint)
                        .at(span),
                );
            }
        }
    }
    said.into_iter().chain(out).collect()
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
            let finding = plan::finding::Finding::warning(u.code, u.path, u.message).at(span);
            match u.hint {
                Some(h) => finding.hint(h),
                None => finding,
            }
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
        let lang = g.lang(checked.plan.as_ref());
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
    let lang = g.lang(checked.plan.as_ref());
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
