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

pub fn check(file: &Path, json: bool) -> u8 {
    let text = match read(file) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let mut checked = plan::check(&text);
    checked.check_files(file.parent().unwrap_or(Path::new(".")));
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
