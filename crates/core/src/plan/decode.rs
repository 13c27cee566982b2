//! From the spanned TOML tree to the typed plan, collecting every problem.
//!
//! serde stops at the first error; a person fixing a plan wants them all,
//! each with its line and column. So the plan types are decoded by hand
//! from `toml`'s spanned tree: a wrong value is reported and decoding goes
//! on with the next key. The `plan_table!` and `plan_enum!` macros write
//! that code for plain tables and string enums, from the same definition
//! that serde and schemars derive from, so the model, the decoder and the
//! JSON Schema cannot drift apart.

use std::ops::Range;

use rempart_i18n::say;
use serde_json::Value;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::finding::{Finding, SourceMap};
use super::values::{Duration, Id, Location, Percent, Schedule, SecretRef, check_secret_name};

pub(crate) type Item<'i> = Spanned<DeValue<'i>>;

/// Decoding state: the findings so far, where each value was, and the path
/// of the value being decoded.
#[derive(Default)]
pub(crate) struct Cx {
    pub findings: Vec<Finding>,
    pub spans: SourceMap,
    path: String,
    /// Id of the section element being decoded, for hints (`REMPART_NAS_PASSWORD`).
    element_id: Option<String>,
}

impl Cx {
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Runs `f` with `segment` (".key" or "[3]") appended to the path.
    pub fn at<R>(&mut self, segment: &str, f: impl FnOnce(&mut Cx) -> R) -> R {
        let len = self.path.len();
        if !self.path.is_empty() && !segment.starts_with('[') {
            self.path.push('.');
        }
        self.path.push_str(segment);
        let r = f(self);
        self.path.truncate(len);
        r
    }

    pub fn report(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// An error at `span` for the value being decoded.
    pub fn error(
        &mut self,
        span: Range<usize>,
        code: &'static str,
        message: impl Into<super::values::Said>,
        hint: Option<Value>,
    ) {
        let f = Finding::error(code, self.path.clone(), message)
            .hint_maybe(hint)
            .at(Some(span));
        self.findings.push(f);
    }

    /// "expected X, found Y" for the value being decoded; `expected` is
    /// a phrase of the catalogue (`say!("plan-type-string")`).
    pub fn wrong_type(&mut self, item: &Item<'_>, expected: Value, hint: Option<Value>) {
        let found = describe(item.get_ref());
        self.error(
            item.span(),
            "wrong-type",
            say!(
                "plan-wrong-type",
                field = self.field_name(),
                expected = expected,
                found = found
            ),
            hint,
        );
    }

    /// The last key of the path, for messages: `rto` in `process[2].rto`.
    pub fn field_name(&self) -> String {
        let last = self.path.rsplit('.').next().unwrap_or(&self.path);
        last.split('[').next().unwrap_or(last).to_owned()
    }
}

/// "a string", "an integer"… for messages about wrong types, as phrases
/// of the catalogue.
pub(crate) fn describe(v: &DeValue<'_>) -> Value {
    match v {
        DeValue::String(_) => say!("plan-type-string"),
        DeValue::Integer(_) => say!("plan-type-integer"),
        DeValue::Float(_) => say!("plan-type-float"),
        DeValue::Boolean(_) => say!("plan-type-boolean"),
        DeValue::Datetime(_) => say!("plan-type-datetime"),
        DeValue::Array(_) => say!("plan-type-array"),
        DeValue::Table(_) => say!("plan-type-table"),
    }
}

/// `"vital"`, in the reader's quotes: the words a plan may write.
fn quoted(words: &[&str]) -> Vec<Value> {
    words
        .iter()
        .map(|w| say!("plan-quoted", word = w))
        .collect()
}

/// A plan type that can be read from a spanned TOML value.
pub(crate) trait Decode: Sized {
    /// Reads the value; on failure the problem is reported to `cx` and
    /// `None` returned.
    fn decode(item: &Item<'_>, cx: &mut Cx) -> Option<Self>;
}

impl Decode for String {
    fn decode(item: &Item<'_>, cx: &mut Cx) -> Option<Self> {
        match item.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                cx.wrong_type(item, say!("plan-type-string"), None);
                None
            }
        }
    }
}

impl Decode for bool {
    fn decode(item: &Item<'_>, cx: &mut Cx) -> Option<Self> {
        match item.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            DeValue::String(s) if matches!(s.as_ref(), "true" | "false") => {
                let hint = say!("plan-hint-without-quotes", value = s.as_ref());
                cx.wrong_type(item, say!("plan-type-boolean"), Some(hint));
                None
            }
            _ => {
                cx.wrong_type(item, say!("plan-expected-boolean"), None);
                None
            }
        }
    }
}

/// Integer types: the TOML integer must fit.
macro_rules! decode_integer {
    ($($t:ty),*) => {$(
        impl Decode for $t {
            fn decode(item: &Item<'_>, cx: &mut Cx) -> Option<Self> {
                match item.get_ref() {
                    DeValue::Integer(i) => {
                        let parsed = <$t>::from_str_radix(i.as_str(), i.radix()).ok();
                        if parsed.is_none() {
                            cx.error(
                                item.span(),
                                "out-of-range",
                                say!(
                                    "plan-out-of-range",
                                    field = cx.field_name(),
                                    value = i.to_string(),
                                    min = <$t>::MIN.to_string(),
                                    max = <$t>::MAX.to_string()
                                ),
                                None,
                            );
                        }
                        parsed
                    }
                    DeValue::String(s) if s.parse::<$t>().is_ok() => {
                        let hint = say!("plan-hint-without-quotes", value = s.as_ref());
                        cx.wrong_type(item, say!("plan-type-integer"), Some(hint));
                        None
                    }
                    _ => {
                        cx.wrong_type(item, say!("plan-type-integer"), None);
                        None
                    }
                }
            }
        }
    )*};
}
decode_integer!(u8, u16, u32);

impl Decode for Percent {
    fn decode(item: &Item<'_>, cx: &mut Cx) -> Option<Self> {
        let value = match item.get_ref() {
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            DeValue::Integer(i) if i.radix() == 10 => i.as_str().parse::<f64>().ok(),
            DeValue::String(s) if s.trim_end_matches('%').trim().parse::<f64>().is_ok() => {
                let n = s.trim_end_matches('%').trim();
                cx.wrong_type(
                    item,
                    say!("plan-expected-number"),
                    Some(say!("plan-hint-without-quotes-or-percent", value = n)),
                );
                return None;
            }
            _ => None,
        };
        match value {
            Some(v) if v.is_finite() => Some(Percent(v)),
            _ => {
                cx.wrong_type(item, say!("plan-expected-percent"), None);
                None
            }
        }
    }
}

/// Types read from a string through a parser that explains its refusals;
/// `$expected` is a phrase of the catalogue.
macro_rules! decode_from_str {
    ($t:ty, $parse:path, $expected:expr, $code:literal) => {
        impl Decode for $t {
            fn decode(item: &Item<'_>, cx: &mut Cx) -> Option<Self> {
                match item.get_ref() {
                    DeValue::String(s) => match $parse(s) {
                        Ok(v) => Some(v),
                        Err(why) => {
                            cx.error(
                                item.span(),
                                $code,
                                say!("plan-bad-value", field = cx.field_name(), why = why),
                                None,
                            );
                            None
                        }
                    },
                    DeValue::Integer(i) => {
                        let hint = (stringify!($t) == "Duration")
                            .then(|| say!("plan-hint-duration-unit", number = i.to_string()));
                        cx.wrong_type(item, $expected, hint);
                        None
                    }
                    _ => {
                        cx.wrong_type(item, $expected, None);
                        None
                    }
                }
            }
        }
    };
}
decode_from_str!(Id, Id::parse, say!("plan-expected-id"), "bad-id");
decode_from_str!(
    Duration,
    Duration::parse,
    say!("plan-expected-duration"),
    "bad-duration"
);
decode_from_str!(
    Schedule,
    Schedule::parse,
    say!("plan-expected-schedule"),
    "bad-schedule"
);
decode_from_str!(
    Location,
    Location::parse,
    say!("plan-expected-location"),
    "bad-location"
);

impl Decode for SecretRef {
    fn decode(item: &Item<'_>, cx: &mut Cx) -> Option<Self> {
        match item.get_ref() {
            DeValue::String(_) => {
                let field = cx.field_name();
                let owner = cx
                    .element_id
                    .clone()
                    .unwrap_or_else(|| cx.path().to_owned());
                let var = format!("REMPART_{owner}_{field}")
                    .to_uppercase()
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect::<String>()
                    .replace("__", "_");
                let var = var.trim_end_matches('_');
                let secret = var
                    .trim_start_matches("REMPART_")
                    .to_lowercase()
                    .replace('_', "-");
                cx.report(
                    Finding::error(
                        "inline-secret",
                        cx.path(),
                        say!("plan-inline-secret", field = field),
                    )
                    .hint(say!(
                        "plan-inline-secret-hint",
                        field = field,
                        secret = secret,
                        var = var
                    ))
                    .at(Some(item.span()))
                    .redacted(),
                );
                None
            }
            DeValue::Table(t) => {
                let mut r = TableReader::new(t, item.span(), cx, &["env", "file", "secret"]);
                let env = r.optional::<Option<String>>("env");
                let file = r.optional::<Option<String>>("file");
                let secret = r.optional::<Option<String>>("secret");
                r.finish();
                match (env?, file?, secret?) {
                    (Some(env), None, None) if valid_env_name(&env) => Some(SecretRef::Env { env }),
                    (Some(env), None, None) => {
                        cx.error(
                            item.span(),
                            "bad-secret-ref",
                            say!("plan-bad-env-name", name = env),
                            Some(say!("plan-bad-env-name-hint")),
                        );
                        None
                    }
                    (None, Some(file), None) if !file.trim().is_empty() => {
                        Some(SecretRef::File { file })
                    }
                    (None, Some(_), None) => {
                        cx.error(
                            item.span(),
                            "bad-secret-ref",
                            say!("plan-empty-secret-file"),
                            None,
                        );
                        None
                    }
                    (None, None, Some(secret)) => match check_secret_name(&secret) {
                        Ok(()) => Some(SecretRef::Secret { secret }),
                        Err(why) => {
                            cx.error(
                                item.span(),
                                "bad-secret-ref",
                                why,
                                Some(say!("plan-bad-secret-name-hint")),
                            );
                            None
                        }
                    },
                    _ => {
                        cx.error(
                            item.span(),
                            "bad-secret-ref",
                            say!("plan-secret-ref-one", field = cx.field_name()),
                            Some(say!("plan-secret-ref-one-hint")),
                        );
                        None
                    }
                }
            }
            _ => {
                cx.wrong_type(item, say!("plan-expected-secret-ref"), None);
                None
            }
        }
    }
}

fn valid_env_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl<T: Decode> Decode for Option<T> {
    fn decode(item: &Item<'_>, cx: &mut Cx) -> Option<Self> {
        T::decode(item, cx).map(Some)
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(item: &Item<'_>, cx: &mut Cx) -> Option<Self> {
        let DeValue::Array(items) = item.get_ref() else {
            // A single value where a list is expected: say so plainly.
            let hint =
                matches!(item.get_ref(), DeValue::String(_)).then(|| say!("plan-hint-brackets"));
            cx.wrong_type(item, say!("plan-type-array"), hint);
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, element) in items.iter().enumerate() {
            let decoded = cx.at(&format!("[{i}]"), |cx| {
                let path = cx.path().to_owned();
                cx.spans.record(&path, None, element.span());
                T::decode(element, cx)
            });
            match decoded {
                Some(v) => out.push(v),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}

/// The elements of one `[[section]]` that decoded, and the ids (when
/// readable) of those that did not: the rest of the plan is still checked,
/// and references to a broken element are not reported as dangling.
pub(crate) struct Section<T> {
    pub elements: Vec<T>,
    pub broken: Vec<Option<String>>,
}

impl<T> Default for Section<T> {
    fn default() -> Self {
        Section {
            elements: Vec::new(),
            broken: Vec::new(),
        }
    }
}

/// Reads the raw `id` of a table, before any decoding.
fn raw_id(item: &Item<'_>) -> Option<String> {
    let DeValue::Table(t) = item.get_ref() else {
        return None;
    };
    match t.get("id").map(|v| v.get_ref()) {
        Some(DeValue::String(s)) => Some(s.to_string()),
        _ => None,
    }
}

/// Reads the keys of one TOML table, then reports the keys nobody asked for.
pub(crate) struct TableReader<'a, 'i> {
    table: &'a DeTable<'i>,
    span: Range<usize>,
    known: &'a [&'a str],
    pub cx: &'a mut Cx,
}

impl<'a, 'i> TableReader<'a, 'i> {
    pub fn new(
        table: &'a DeTable<'i>,
        span: Range<usize>,
        cx: &'a mut Cx,
        known: &'a [&'a str],
    ) -> Self {
        TableReader {
            table,
            span,
            known,
            cx,
        }
    }

    fn entry(&self, key: &str) -> Option<(&'a Spanned<std::borrow::Cow<'i, str>>, &'a Item<'i>)> {
        self.table.get_key_value(key)
    }

    /// The key that must be present.
    pub fn required<T: Decode>(&mut self, key: &str) -> Option<T> {
        match self.entry(key) {
            Some((k, v)) => self.decode_entry(key, k.span(), v),
            None => {
                let table_path = self.cx.path().to_owned();
                let said = if table_path.is_empty() {
                    say!("plan-missing-key-top", key = key)
                } else {
                    say!("plan-missing-key", table = table_path, key = key)
                };
                let finding = Finding::error("missing-key", table_path, said)
                    .at(Some(self.span.start..self.span.start + 1));
                self.cx.report(finding);
                None
            }
        }
    }

    /// A key that may be left out; then it takes its default value.
    /// `Some(Default)` when absent, `None` when present but wrong.
    pub fn optional<T: Decode + Default>(&mut self, key: &str) -> Option<T> {
        match self.entry(key) {
            Some((k, v)) => self.decode_entry(key, k.span(), v),
            None => Some(T::default()),
        }
    }

    /// An array of tables (`[[process]]`), element by element.
    pub fn section<T: Decode>(&mut self, key: &str) -> Section<T> {
        let Some((k, v)) = self.entry(key) else {
            return Section::default();
        };
        self.cx.at(key, |cx| {
            let path = cx.path().to_owned();
            cx.spans.record(&path, Some(k.span()), v.span());
            let DeValue::Array(items) = v.get_ref() else {
                cx.wrong_type(v, say!("plan-expected-array-of-tables", key = key), None);
                return Section::default();
            };
            let mut section = Section::default();
            for (i, element) in items.iter().enumerate() {
                let id = raw_id(element);
                let decoded = cx.at(&format!("[{i}]"), |cx| {
                    let path = cx.path().to_owned();
                    cx.spans.record(&path, None, element.span());
                    cx.element_id = id.clone();
                    let decoded = T::decode(element, cx);
                    cx.element_id = None;
                    decoded
                });
                match decoded {
                    Some(e) => section.elements.push(e),
                    None => section.broken.push(id),
                }
            }
            section
        })
    }

    fn decode_entry<T: Decode>(
        &mut self,
        key: &str,
        key_span: Range<usize>,
        value: &Item<'_>,
    ) -> Option<T> {
        self.cx.at(key, |cx| {
            let path = cx.path().to_owned();
            cx.spans.record(&path, Some(key_span), value.span());
            T::decode(value, cx)
        })
    }

    /// Reports every key of the table that is not one of `known`, with a
    /// did-you-mean when a known key is close.
    pub fn finish(self) {
        for (key, _) in self.table.iter() {
            let name = key.get_ref().as_ref();
            if self.known.contains(&name) {
                continue;
            }
            let hint = match did_you_mean(name, self.known) {
                Some(k) => say!("plan-did-you-mean-key", key = k),
                None => say!("plan-keys-here", keys = backticked(self.known)),
            };
            let (said, path) = if self.cx.path().is_empty() {
                (say!("plan-unknown-key-top", key = name), name.to_owned())
            } else {
                (
                    say!("plan-unknown-key", key = name, table = self.cx.path()),
                    format!("{}.{name}", self.cx.path()),
                )
            };
            let finding = Finding::error("unknown-key", path, said)
                .hint(hint)
                .at(Some(key.span()));
            self.cx.report(finding);
        }
    }
}

/// `` `key` ``, each of `keys`, for lists in sentences.
fn backticked(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| format!("`{k}`")).collect()
}

/// The known word closest to `word`, if it is close enough to be a typo.
pub(crate) fn did_you_mean<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    let limit = |k: &str| 2.max(k.len() / 4);
    known
        .iter()
        // The edit distance is at least the difference in length: skip the hopeless.
        .filter(|k| word.chars().count().abs_diff(k.chars().count()) <= limit(k))
        .map(|k| (*k, strsim::damerau_levenshtein(word, k)))
        .filter(|(k, d)| *d <= limit(k) && *d < k.len())
        .min_by_key(|(_, d)| *d)
        .map(|(k, _)| k)
}

/// A table type of the plan, decoded key by key.
pub(crate) trait DecodeTable: Sized {
    /// Every key the table accepts.
    const KEYS: &'static [&'static str];
    /// Reads the known keys; the caller reports unknown ones.
    fn read(r: &mut TableReader<'_, '_>) -> Option<Self>;
}

/// Decodes a whole table: its keys, then the report of unknown ones.
pub(crate) fn decode_table<T: DecodeTable>(item: &Item<'_>, cx: &mut Cx) -> Option<T> {
    decode_table_with(item, cx, &[])
}

/// Decodes a table that also carries keys read by its caller (a `kind`
/// tag, a step's common keys).
pub(crate) fn decode_table_with<T: DecodeTable>(
    item: &Item<'_>,
    cx: &mut Cx,
    extra: &[&str],
) -> Option<T> {
    let DeValue::Table(table) = item.get_ref() else {
        cx.wrong_type(item, say!("plan-type-table"), None);
        return None;
    };
    let known: Vec<&str> = T::KEYS.iter().chain(extra).copied().collect();
    let mut r = TableReader::new(table, item.span(), cx, &known);
    let value = T::read(&mut r);
    r.finish();
    value
}

/// For tables whose kind is told by the one key they carry
/// (`{ restore = … }`, `{ command = … }`): the index in `kinds` of that key.
/// `what` names the table, a phrase of the catalogue (`plan-what-step`).
pub(crate) fn which_key(
    item: &Item<'_>,
    cx: &mut Cx,
    kinds: &[&str],
    what: Value,
) -> Option<usize> {
    let DeValue::Table(table) = item.get_ref() else {
        cx.wrong_type(item, say!("plan-expected-table-of", what = what), None);
        return None;
    };
    let present: Vec<usize> = (0..kinds.len())
        .filter(|&i| table.contains_key(kinds[i]))
        .collect();
    let list = backticked(kinds);
    match present.as_slice() {
        [one] => Some(*one),
        [] => {
            let typo = table
                .iter()
                .find_map(|(k, _)| did_you_mean(k.get_ref(), kinds));
            let hint = match typo {
                Some(k) => say!("plan-did-you-mean-key", key = k),
                None => say!("plan-kind-add", keys = list),
            };
            cx.error(
                item.span(),
                "missing-kind",
                say!("plan-kind-none", what = what, keys = list),
                Some(hint),
            );
            None
        }
        [first, second, ..] => {
            cx.error(
                item.span(),
                "ambiguous-kind",
                say!(
                    "plan-kind-both",
                    what = what,
                    first = kinds[*first],
                    second = kinds[*second]
                ),
                Some(say!("plan-kind-split", keys = list)),
            );
            None
        }
    }
}

/// `value == T::default()`, for serde's `skip_serializing_if`: keys left at
/// their default are not printed back.
pub(crate) fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// Defines a plan table: the struct (with serde, schemars and, in tests,
/// proptest derives) and its decoder. Fields marked `@default` may be left
/// out of the file and take their type's default.
macro_rules! plan_table {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$fmeta:meta])*
                $(@$default:ident)? pub $field:ident : $ty:ty,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
        #[serde(deny_unknown_fields)]
        #[cfg_attr(test, derive(proptest_derive::Arbitrary))]
        pub struct $name {
            $(
                $(#[$fmeta])*
                $( #[serde($default, skip_serializing_if = "crate::plan::decode::is_default")] )?
                pub $field: $ty,
            )*
        }

        impl $crate::plan::decode::DecodeTable for $name {
            const KEYS: &'static [&'static str] = &[$(stringify!($field)),*];
            fn read(r: &mut $crate::plan::decode::TableReader<'_, '_>) -> Option<Self> {
                // Read every key before giving up, so every problem is reported.
                $( let $field = plan_table!(@read r, $field, $ty $(, $default)?); )*
                Some(Self { $($field: $field?),* })
            }
        }

        impl $crate::plan::decode::Decode for $name {
            fn decode(item: &$crate::plan::decode::Item<'_>, cx: &mut $crate::plan::decode::Cx) -> Option<Self> {
                $crate::plan::decode::decode_table(item, cx)
            }
        }
    };
    (@read $r:ident, $field:ident, $ty:ty) => { $r.required::<$ty>(stringify!($field)) };
    (@read $r:ident, $field:ident, $ty:ty, default) => { $r.optional::<$ty>(stringify!($field)) };
}
pub(crate) use plan_table;

/// Defines a closed set of words (`vital`, `essential`…): the enum, its
/// text form, and a decoder that suggests the closest word on a typo.
macro_rules! plan_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema)]
        #[cfg_attr(test, derive(proptest_derive::Arbitrary))]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant, )*
        }

        impl $name {
            /// Every word this enum accepts.
            pub const WORDS: &'static [&'static str] = &[$($text),*];

            pub fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $text, )* }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::plan::decode::Decode for $name {
            fn decode(item: &$crate::plan::decode::Item<'_>, cx: &mut $crate::plan::decode::Cx) -> Option<Self> {
                $crate::plan::decode::decode_word(item, cx, Self::WORDS)
                    .map(|i| [$($name::$variant),*][i])
            }
        }
    };
}
pub(crate) use plan_enum;

/// Reads one of `words`; returns its index.
pub(crate) fn decode_word(item: &Item<'_>, cx: &mut Cx, words: &[&str]) -> Option<usize> {
    let list = quoted(words);
    match item.get_ref() {
        DeValue::String(s) => {
            if let Some(i) = words.iter().position(|w| *w == s.as_ref()) {
                return Some(i);
            }
            let lower = s.to_lowercase();
            let hint = match did_you_mean(&lower, words) {
                Some(w) => say!("plan-did-you-mean-word", word = w),
                None => say!("plan-write-one-of", words = list),
            };
            cx.error(
                item.span(),
                "unknown-word",
                say!(
                    "plan-unknown-word",
                    field = cx.field_name(),
                    value = s.as_ref(),
                    words = list
                ),
                Some(hint),
            );
            None
        }
        _ => {
            cx.wrong_type(item, say!("plan-one-of", words = list), None);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_finds_typos_but_not_strangers() {
        let known = ["depends_on", "rto", "rpo", "mtpd", "owner"];
        assert_eq!(did_you_mean("depend_on", &known), Some("depends_on"));
        assert_eq!(did_you_mean("dependson", &known), Some("depends_on"));
        assert_eq!(did_you_mean("onwer", &known), Some("owner"));
        assert_eq!(did_you_mean("banana", &known), None);
    }
}
