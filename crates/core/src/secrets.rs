//! Secret values while a job runs, and scrubbing them (and anything that
//! looks like a credential) out of text that leaves the job: evidence,
//! error messages, logs.

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

use regex::Regex;
use zeroize::Zeroizing;

/// A tenant's stored secrets, opened, to resolve `{ secret = "name" }`
/// while a job runs. Values are wiped from memory when the last clone is
/// dropped; `Debug` shows names only.
#[derive(Clone, Default)]
pub struct SecretValues(Arc<BTreeMap<String, Zeroizing<String>>>);

impl SecretValues {
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, Zeroizing<String>)>) -> Self {
        SecretValues(Arc::new(pairs.into_iter().collect()))
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(|v| v.as_str())
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// Each name with its value.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// The secret values a job has resolved so far, shared by what resolves
/// them and what writes the job's evidence: text leaving the job (an
/// evidence record, an error, a log line) is scrubbed of all of them, and
/// of anything that looks like a credential. `Debug` shows how many.
#[derive(Clone, Default)]
pub struct Scrubber(Arc<std::sync::Mutex<Vec<Zeroizing<String>>>>);

impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.0.lock().map_or(0, |v| v.len());
        write!(f, "Scrubber({n} values)")
    }
}

impl Scrubber {
    /// Adds a value to scrub.
    pub fn add(&self, value: &str) {
        let mut values = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !values.iter().any(|v| v.as_str() == value) {
            values.push(Zeroizing::new(value.to_owned()));
        }
    }

    /// `text` without any value added, URL password or `password=` value.
    pub fn scrub(&self, text: &str) -> String {
        let values = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        scrub(text, values.iter().map(|v| v.as_str()))
    }

    /// Every string inside `value` scrubbed.
    pub fn scrub_json(&self, value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(s) => {
                let clean = self.scrub(s);
                if clean != *s {
                    *s = clean;
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|v| self.scrub_json(v)),
            serde_json::Value::Object(map) => map.values_mut().for_each(|v| self.scrub_json(v)),
            _ => {}
        }
    }
}

impl std::fmt::Debug for SecretValues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.0.keys()).finish()
    }
}

/// What replaces a scrubbed secret.
pub const MASK: &str = "***";

/// Shortest value scrubbed by its text: shorter ones would mask ordinary
/// words and digits of the output they hide in.
pub const SHORTEST_SCRUBBED: usize = 4;

/// The user-info of a URL: `scheme://user:password@`.
static URL_USERINFO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^\s/:@]*):[^\s/@]*@")
        .unwrap_or_else(|e| unreachable!("a fixed pattern: {e}"))
});

/// `PASSWORD=…`, `PGPASSWORD=…`, `--password=…`, `api_key: …`, `token=…`.
static ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?P<key>[A-Za-z0-9_\-]*(?:password|passwd|pwd|secret|token|api[_\-]?key|access[_\-]?key)[A-Za-z0-9_\-]*["']?\s*[=:]\s*)(?P<value>"[^"]*"|'[^']*'|[^\s&;,]+)"#,
    )
    .unwrap_or_else(|e| unreachable!("a fixed pattern: {e}"))
});

/// `text` with every value of `secrets` (at least [`SHORTEST_SCRUBBED`]
/// characters), every URL password and every `password=`-style
/// assignment replaced by [`MASK`].
pub fn scrub<'a>(text: &str, secrets: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = text.to_owned();
    let mut values: Vec<&str> = secrets
        .into_iter()
        .filter(|v| v.chars().count() >= SHORTEST_SCRUBBED)
        .collect();
    // Longest first: a secret that contains another is masked whole.
    values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    for v in values {
        if out.contains(v) {
            out = out.replace(v, MASK);
        }
    }
    let out = URL_USERINFO.replace_all(&out, format!("${{head}}:{MASK}@"));
    ASSIGNMENT
        .replace_all(&out, |c: &regex::Captures<'_>| {
            let value = &c["value"];
            if value == MASK || value.trim_matches(['"', '\'']) == MASK {
                format!("{}{value}", &c["key"])
            } else {
                format!("{}{MASK}", &c["key"])
            }
        })
        .into_owned()
}

impl SecretValues {
    /// [`scrub`] with these values.
    pub fn scrub(&self, text: &str) -> String {
        scrub(text, self.0.values().map(|v| v.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_urls_and_assignments_are_masked() {
        let s = scrub(
            "pg_dump postgres://erp:Tr0ub4dor@db:5432/erp; PGPASSWORD=hunter22 psql; curl -H 'X: sekret-value' --password=abc 'x'; token: \"t0k\"",
            ["sekret-value", "ab"],
        );
        assert_eq!(
            s,
            "pg_dump postgres://erp:***@db:5432/erp; PGPASSWORD=*** psql; curl -H 'X: ***' --password=*** 'x'; token: ***"
        );
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        let text = "exit 0 in 8 ms; restored 3 files to /var/tmp/drill; https://example.com/a?b=c";
        assert_eq!(scrub(text, ["abc"]), text);
    }

    #[test]
    fn a_secret_inside_another_is_masked_whole() {
        assert_eq!(
            scrub("x longsecret1 y", ["secret1", "longsecret1"]),
            "x *** y"
        );
    }
}
