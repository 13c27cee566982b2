//! Findings: what is wrong (or risky) in a plan, and where.
//!
//! A finding names its place twice: as a path inside the plan
//! (`process[2].rto`), which exists for every plan, and as a byte span in
//! the source text when the plan came from a file, which gives the
//! `FILE:LINE:COL` that editors and people jump to.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use rempart_i18n::{Lang, t};

use super::values::Said;
use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The plan is usable, but falls short of good practice (e.g. not 3-2-1).
    Warning,
    /// The plan cannot be trusted or run as written.
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem found in a plan.
///
/// Its sentences come from the catalogue (`say!`), so that each reader
/// gets them in their language ([`Finding::message_in`]); `message` and
/// `hint` keep them in English, for logs and scripts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// A stable identifier of the rule, e.g. `rto-above-mtpd`.
    pub code: &'static str,
    /// What is wrong, in one sentence (English).
    pub message: String,
    /// How to fix it, when that can be said (English).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Where, inside the plan: `process[2].rto`.
    pub path: String,
    /// `message`, as the catalogue's key and variables.
    pub say: serde_json::Value,
    /// `hint`, as the catalogue's key and variables.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint_say: Option<serde_json::Value>,
    /// Where, in the source text (byte offsets), when the plan came from text.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
    /// The text at `span` is a secret: never echo it.
    #[serde(skip)]
    pub redact: bool,
}

impl Finding {
    /// An error; `said` is a sentence of the catalogue: `say!("plan-…", …)`.
    pub fn error(code: &'static str, path: impl Into<String>, said: impl Into<Said>) -> Self {
        let said = serde_json::Value::from(said.into());
        Finding {
            severity: Severity::Error,
            code,
            message: rempart_i18n::english(&said),
            hint: None,
            path: path.into(),
            say: said,
            hint_say: None,
            span: None,
            redact: false,
        }
    }

    pub fn warning(code: &'static str, path: impl Into<String>, said: impl Into<Said>) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(code, path, said)
        }
    }

    /// How to fix it: a sentence of the catalogue.
    pub fn hint(mut self, said: impl Into<Said>) -> Self {
        let said = serde_json::Value::from(said.into());
        self.hint = Some(rempart_i18n::english(&said));
        self.hint_say = Some(said);
        self
    }

    /// The hint when there is one.
    pub fn hint_maybe(self, said: Option<serde_json::Value>) -> Self {
        match said {
            Some(said) => self.hint(said),
            None => self,
        }
    }

    /// What is wrong, in `lang`.
    /// The source line where the finding starts (`at`, from
    /// [`LineIndex::line_col`] of its span), a secret's value masked: the
    /// key is shown, never what follows it.
    pub fn excerpt(&self, index: &LineIndex<'_>, at: LineCol) -> String {
        let text = index.line_text(at.line);
        if !self.redact {
            return text.to_owned();
        }
        let cut = text
            .char_indices()
            .nth(at.column - 1)
            .map_or(text.len(), |(i, _)| i);
        format!("{}{}", &text[..cut], "*".repeat(8))
    }

    pub fn message_in(&self, lang: Lang) -> String {
        rempart_i18n::tell(lang, &self.say).unwrap_or_else(|| self.message.clone())
    }

    /// How to fix it, in `lang`.
    pub fn hint_in(&self, lang: Lang) -> Option<String> {
        let said = self.hint_say.as_ref();
        said.and_then(|s| rempart_i18n::tell(lang, s))
            .or_else(|| self.hint.clone())
    }

    pub fn at(mut self, span: Option<Range<usize>>) -> Self {
        self.span = span;
        self
    }

    pub fn redacted(mut self) -> Self {
        self.redact = true;
        self
    }
}

/// Where each element of a plan was written: plan path → byte span of its
/// value and of its key.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    values: HashMap<String, Range<usize>>,
    keys: HashMap<String, Range<usize>>,
}

impl SourceMap {
    pub(crate) fn record(&mut self, path: &str, key: Option<Range<usize>>, value: Range<usize>) {
        if let Some(key) = key {
            self.keys.insert(path.to_owned(), key);
        }
        self.values.insert(path.to_owned(), value);
    }

    /// The span of the value at `path`, or of its closest recorded parent
    /// (a missing key is reported on the table that lacks it).
    pub fn value(&self, path: &str) -> Option<Range<usize>> {
        let mut p = path;
        loop {
            if let Some(span) = self.values.get(p) {
                return Some(span.clone());
            }
            p = parent_path(p)?;
        }
    }

    /// The span of the key that introduces `path`, falling back to its value.
    pub fn key(&self, path: &str) -> Option<Range<usize>> {
        self.keys.get(path).cloned().or_else(|| self.value(path))
    }
}

/// `process[2].rto` → `process[2]` → `process` → none.
fn parent_path(path: &str) -> Option<&str> {
    let cut = path.rfind(['.', '['])?;
    Some(&path[..cut])
}

/// A line and column, both counted from 1; columns count characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Turns byte offsets into lines and columns for one source text.
/// Bytes that are not UTF-8 text: where the first invalid byte is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotUtf8 {
    pub line: usize,
    /// In characters, from 1.
    pub column: usize,
    /// The first invalid byte.
    pub byte: u8,
}

impl NotUtf8 {
    /// What is wrong and how to fix it, as the catalogue's key and variables.
    pub fn said(&self) -> serde_json::Value {
        rempart_i18n::say!(
            "plan-not-utf8",
            line = self.line,
            column = self.column,
            byte = format!("{:02X}", self.byte)
        )
    }
}

/// In English; [`NotUtf8::said`] says it in the reader's language.
impl std::fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&rempart_i18n::english(&self.said()))
    }
}

/// `bytes` as text, or where the first byte that is not UTF-8 is.
pub fn utf8(bytes: &[u8]) -> Result<&str, NotUtf8> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = e.valid_up_to();
        // The valid prefix is text: its lines and characters place the byte.
        let before = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let at = LineIndex::new(before).line_col(valid);
        NotUtf8 {
            line: at.line,
            column: at.column,
            byte: bytes[valid],
        }
    })
}

pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        LineCol { line, column }
    }

    /// The text of line `line` (from 1), without its line break.
    pub fn line_text(&self, line: usize) -> &'a str {
        let start = self
            .starts
            .get(line - 1)
            .copied()
            .unwrap_or(self.text.len());
        let end = self
            .starts
            .get(line)
            .map_or(self.text.len(), |&e| e.saturating_sub(1));
        self.text
            .get(start..end.max(start))
            .unwrap_or("")
            .trim_end_matches('\r')
    }
}

/// Renders findings the way compilers do, one block each, in `lang`:
///
/// ```text
/// rempart.toml:42:7: error: process "erp" has rto = 3d but mtpd = 2d — the RTO must be below the MTPD
///    |
/// 42 | rto = "3d"
///    |       ^^^^
///    = hint: lower the rto or raise the mtpd
/// ```
pub fn render(file: &str, source: Option<&str>, findings: &[Finding], lang: Lang) -> String {
    let index = source.map(LineIndex::new);
    let mut out = String::new();
    for f in findings {
        let severity = match f.severity {
            Severity::Error => t!(lang, "finding-error"),
            Severity::Warning => t!(lang, "finding-warning"),
        };
        let message = f.message_in(lang);
        let hint = f
            .hint_in(lang)
            .map(|hint| t!(lang, "finding-hint", hint = hint));
        match (&index, &f.span) {
            (Some(index), Some(span)) => {
                let start = index.line_col(span.start);
                let _ = writeln!(
                    out,
                    "{file}:{}:{}: {severity}: {message}",
                    start.line, start.column,
                );
                let gutter = " ".repeat(start.line.to_string().len());
                let shown = f.excerpt(index, start);
                let end = index.line_col(span.end.max(span.start + 1));
                let width = if end.line == start.line && !f.redact {
                    (end.column - start.column).max(1)
                } else {
                    shown
                        .chars()
                        .count()
                        .saturating_sub(start.column - 1)
                        .max(1)
                };
                let _ = writeln!(out, "{gutter} |");
                let _ = writeln!(out, "{} | {shown}", start.line);
                let _ = writeln!(
                    out,
                    "{gutter} | {}{}",
                    " ".repeat(start.column - 1),
                    "^".repeat(width)
                );
                if let Some(hint) = hint {
                    let _ = writeln!(out, "{gutter} = {hint}");
                }
            }
            _ => {
                let _ = writeln!(out, "{file}: {}: {severity}: {message}", f.path);
                if let Some(hint) = hint {
                    let _ = writeln!(out, "  = {hint}");
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rempart_i18n::say;

    #[test]
    fn line_col_counts_characters_from_one() {
        let text = "a = 1\né = \"x\"\n\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(4), LineCol { line: 1, column: 5 });
        // 'é' is two bytes but one column.
        let quote = text.find('"').unwrap();
        assert_eq!(index.line_col(quote), LineCol { line: 2, column: 5 });
        assert_eq!(index.line_col(text.len()), LineCol { line: 4, column: 5 });
        assert_eq!(index.line_text(2), "é = \"x\"");
        assert_eq!(index.line_text(3), "");
    }

    #[test]
    fn source_map_falls_back_to_the_closest_parent() {
        let mut map = SourceMap::default();
        map.record("process[0]", None, 10..50);
        map.record("process[0].rto", Some(20..23), 26..30);
        assert_eq!(map.value("process[0].rto"), Some(26..30));
        assert_eq!(map.key("process[0].rto"), Some(20..23));
        assert_eq!(map.value("process[0].owner"), Some(10..50));
        assert_eq!(map.value("site[0]"), None);
    }

    #[test]
    fn rendering_points_at_the_value_and_masks_secrets() {
        let src = "[x]\nrto = \"3d\"\npassword = \"hunter2\"\n";
        let rto = src.find("\"3d\"").unwrap();
        let pw = src.find("\"hunter2\"").unwrap();
        let findings = vec![
            Finding::error("r", "x.rto", say!("plan-zero-duration", what = "rto"))
                .hint(say!("plan-hint-positive-duration"))
                .at(Some(rto..rto + 4)),
            Finding::error("s", "x.password", say!("plan-empty", what = "password"))
                .at(Some(pw..pw + 9))
                .redacted(),
        ];
        let out = render("plan.toml", Some(src), &findings, Lang::En);
        assert!(
            out.contains("plan.toml:2:7: error: rto cannot be 0s\n"),
            "{out}"
        );
        assert!(
            out.contains(
                "2 | rto = \"3d\"\n  |       ^^^^\n  = hint: give a positive duration, e.g. \"30s\"\n"
            ),
            "{out}"
        );
        assert!(
            out.contains("plan.toml:3:12: error: password cannot be empty"),
            "{out}"
        );
        assert!(!out.contains("hunter2"), "{out}");
        // The same findings, in French: the words around the excerpt too.
        let out = render("plan.toml", Some(src), &findings, Lang::Fr);
        assert!(
            out.contains("plan.toml:2:7: erreur: rto ne peut pas valoir 0s\n"),
            "{out}"
        );
        assert!(
            out.contains("  = conseil : donnez une durée positive, par exemple « 30s »\n"),
            "{out}"
        );
        assert!(!out.contains("hunter2"), "{out}");
    }

    #[test]
    fn rendering_without_source_names_the_path() {
        let one_site = say!("plan-single-site", owner = "backup \"db\"", site = "hq");
        let out = render(
            "api",
            None,
            &[Finding::warning("w", "backup[1].targets", one_site)],
            Lang::En,
        );
        assert_eq!(
            out,
            "api: backup[1].targets: warning: every copy of backup \"db\" is on site \"hq\": not 3-2-1, one incident there loses them all\n"
        );
    }
}

#[cfg(test)]
mod utf8_tests {
    use super::*;

    #[test]
    fn the_first_byte_that_is_not_utf8_is_placed() {
        assert_eq!(utf8(b"name = \"ok\"\n").unwrap(), "name = \"ok\"\n");
        // "Société" in Latin-1: é is 0xE9, the 5th character of line 2.
        let e = utf8(b"[organization]\nname = \"Soci\xe9t\xe9\"\n").unwrap_err();
        assert_eq!((e.line, e.column, e.byte), (2, 13, 0xE9));
        assert!(e.to_string().contains("save the file as UTF-8"), "{e}");
        let e = utf8(b"\xc3\xa9t\xe9").unwrap_err();
        assert_eq!((e.line, e.column), (1, 3));
    }
}
