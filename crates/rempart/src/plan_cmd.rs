//! `rempart plan check|show|schema`.

use std::path::Path;

use rempart_core::plan::{self, Checked, finding::LineIndex};
use serde_json::json;

use crate::exit;

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

/// Reads the plan file, or explains why it cannot (exit code 2).
fn read(file: &Path) -> Result<String, u8> {
    read_text(file).map_err(|why| {
        eprintln!("error: {why}");
        exit::USAGE
    })
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

fn summary(name: &str, checked: &Checked) -> String {
    let (e, w) = (checked.errors(), checked.warnings());
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let verdict = if e == 0 {
        "the plan is valid"
    } else {
        "the plan is not valid"
    };
    format!(
        "{name}: {}, {} — {verdict}",
        plural(e, "error"),
        plural(w, "warning")
    )
}

/// How long opening one repository may take for `plan check --resolve`.
const RESOLVE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// What opening each repository of `plan` finds (`plan check --resolve`):
/// a password that does not resolve or open it, a repository not created
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
    for (i, r) in plan.repositories.iter().enumerate() {
        let at = |key: &str| format!("repository[{i}].{key}");
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
    out
}

pub fn check(g: &crate::Global, file: &Path, json: bool, resolve: bool) -> u8 {
    let text = match read(file) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let mut checked = plan::check(&text);
    checked.check_files(file.parent().unwrap_or(Path::new(".")));
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
    let name = file.display().to_string();
    if json {
        let out = json!({
            "file": name,
            "valid": checked.errors() == 0,
            "errors": checked.errors(),
            "warnings": checked.warnings(),
            "findings": findings_json(&text, &checked),
        });
        println!("{out:#}");
    } else {
        print!(
            "{}",
            plan::finding::render(&name, Some(&text), &checked.findings)
        );
        println!("{}", summary(&name, &checked));
    }
    if checked.errors() == 0 {
        0
    } else {
        exit::FOUND
    }
}

pub fn show(file: &Path, json: bool) -> u8 {
    let text = match read(file) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let checked = plan::check(&text);
    let name = file.display().to_string();
    let Some(valid) = checked.valid_plan() else {
        eprint!(
            "{}",
            plan::finding::render(&name, Some(&text), &checked.findings)
        );
        eprintln!("{}", summary(&name, &checked));
        return exit::FOUND;
    };
    if checked.warnings() > 0 {
        eprint!(
            "{}",
            plan::finding::render(&name, Some(&text), &checked.findings)
        );
    }
    if json {
        println!("{:#}", valid.to_json());
    } else {
        print!("{}", valid.to_toml());
    }
    0
}

pub fn schema() -> u8 {
    println!("{:#}", plan::json_schema());
    0
}
