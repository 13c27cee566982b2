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

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::finding::{Finding, SourceMap, Text};
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
        message: impl Into<Text>,
        hint: Option<Text>,
    ) {
        let f = Finding::error(code, self.path.clone(), message)
            .hint_maybe(hint)
            .at(Some(span));
        self.findings.push(f);
    }

    /// "expected X, found Y" for the value being decoded.
    pub fn wrong_type(&mut self, item: &Item<'_>, expected: &str, hint: Option<String>) {
        let found = describe(item.get_ref());
        self.error(
            item.span(),
            "wrong-type",
            format!(
                "`{}` should be {expected}, found {found}",
                self.field_name()
            ),
            hint.map(Text::from),
        );
    }

    /// The last key of the path, for messages: `rto` in `process[2].rto`.
    pub fn field_name(&self) -> String {
        let last = self.path.rsplit('.').next().unwrap_or(&self.path);
        last.split('[').next().unwrap_or(last).to_owned()
    }
}

/// "a string", "an integer"… for messages about wrong types.
pub(crate) fn describe(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
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
                cx.wrong_type(item, "a string", None);
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
                cx.wrong_type(item, "a boolean", Some(format!("write {s} without quotes")));
                None
            }
            _ => {
                cx.wrong_type(item, "a boolean (true or false)", None);
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
                                format!("`{}` = {i} is out of range ({}..={})", cx.field_name(), <$t>::MIN, <$t>::MAX),
                                None,
                            );
                        }
                        parsed
                    }
                    DeValue::String(s) if s.parse::<$t>().is_ok() => {
                        cx.wrong_type(item, "an integer", Some(format!("write {s} without quotes")));
                        None
                    }
                    _ => {
                        cx.wrong_type(item, "an integer", None);
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
                    "a number",
                    Some(format!("write {n} without quotes or %")),
                );
                return None;
            }
            _ => None,
        };
        match value {
            Some(v) if v.is_finite() => Some(Percent(v)),
            _ => {
                cx.wrong_type(item, "a percentage such as 99.5", None);
                None
            }
        }
    }
}

/// Types read from a string through a parser that explains its refusals.
macro_rules! decode_from_str {
    ($t:ty, $parse:path, $expected:literal, $code:literal) => {
        impl Decode for $t {
            fn decode(item: &Item<'_>, cx: &mut Cx) -> Option<Self> {
                match item.get_ref() {
                    DeValue::String(s) => match $parse(s) {
                        Ok(v) => Some(v),
                        Err(why) => {
                            cx.error(
                                item.span(),
                                $code,
                                format!("`{}`: {why}", cx.field_name()),
                                None,
                            );
                            None
                        }
                    },
                    DeValue::Integer(i) => {
                        let hint = (stringify!($t) == "Duration")
                            .then(|| format!("give a unit, e.g. \"{i}s\", \"{i}m\" or \"{i}h\""));
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
decode_from_str!(Id, Id::parse, "an id (a string)", "bad-id");
decode_from_str!(
    Duration,
    Duration::parse,
    "a duration such as \"15m\" or \"4h\"",
    "bad-duration"
);
decode_from_str!(
    Schedule,
    Schedule::parse,
    "a schedule such as \"every 1h\" or \"0 2 * * *\"",
    "bad-schedule"
);
decode_from_str!(
    Location,
    Location::parse,
    "a directory or s3://bucket/prefix",
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
                        format!("`{field}` is a secret written inline in the plan; secrets are given by reference only"),
                    )
                    .hint(format!(
                        "store it encrypted with `rempart secret set {secret}` and write {field} = {{ secret = \"{secret}\" }}; or (plans on the server only) an environment variable: {field} = {{ env = \"{var}\" }}, or a file readable only by Rempart: {field} = {{ file = \"/etc/rempart/secrets/{field}\" }}"
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
                            format!("\"{env}\" is not an environment variable name"),
                            Some("use letters, digits and '_', not starting with a digit, e.g. { env = \"ERP_DB_PASSWORD\" }".into()),
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
                            "the secret file path is empty",
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
                                Some("e.g. { secret = \"nas-password\" }, set with `rempart secret set nas-password`".into()),
                            );
                            None
                        }
                    },
                    _ => {
                        cx.error(
                            item.span(),
                            "bad-secret-ref",
                            format!(
                                "`{}` must name exactly one of env, file or secret",
                                cx.field_name()
                            ),
                            Some(
                                "e.g. { secret = \"name\" } (stored encrypted: rempart secret set), { env = \"NAME\" } or { file = \"/etc/rempart/secret\" }"
                                    .into(),
                            ),
                        );
                        None
                    }
                }
            }
            _ => {
                cx.wrong_type(
                    item,
                    "a secret reference: { secret = \"name\" }, { env = \"NAME\" } or { file = \"path\" }",
                    None,
                );
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
            let hint = matches!(item.get_ref(), DeValue::String(_))
                .then(|| "put it in brackets: [\"…\"]".to_owned());
            cx.wrong_type(item, "an array", hint);
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
                let where_ = if table_path.is_empty() {
                    "the plan".to_owned()
                } else {
                    format!("`{table_path}`")
                };
                let finding = Finding::error(
                    "missing-key",
                    table_path,
                    format!("{where_} is missing the required key `{key}`"),
                )
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
                cx.wrong_type(v, &format!("an array of tables: [[{key}]]"), None);
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
            let hint = did_you_mean(name, self.known)
                .map(|k| format!("did you mean `{k}`?"))
                .or_else(|| {
                    Some(format!(
                        "the keys here are: {}",
                        self.known
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                });
            let where_ = if self.cx.path().is_empty() {
                "at the top of the plan".to_owned()
            } else {
                format!("in `{}`", self.cx.path())
            };
            let path = if self.cx.path().is_empty() {
                name.to_owned()
            } else {
                format!("{}.{name}", self.cx.path())
            };
            let mut finding = Finding::error(
                "unknown-key",
                path,
                format!("unknown key `{name}` {where_}"),
            )
            .at(Some(key.span()));
            finding.hint = hint;
            self.cx.report(finding);
        }
    }
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
        cx.wrong_type(item, "a table", None);
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
pub(crate) fn which_key(item: &Item<'_>, cx: &mut Cx, kinds: &[&str], what: &str) -> Option<usize> {
    let DeValue::Table(table) = item.get_ref() else {
        cx.wrong_type(item, &format!("a table ({what})"), None);
        return None;
    };
    let present: Vec<usize> = (0..kinds.len())
        .filter(|&i| table.contains_key(kinds[i]))
        .collect();
    let list = kinds
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match present.as_slice() {
        [one] => Some(*one),
        [] => {
            let typo = table
                .iter()
                .find_map(|(k, _)| did_you_mean(k.get_ref(), kinds));
            let hint = match typo {
                Some(k) => format!("did you mean `{k}`?"),
                None => format!("add one of {list}"),
            };
            cx.error(
                item.span(),
                "missing-kind",
                format!("this {what} has none of the keys that say what it does: {list}"),
                Some(hint.into()),
            );
            None
        }
        [first, second, ..] => {
            cx.error(
                item.span(),
                "ambiguous-kind",
                format!(
                    "this {what} has both `{}` and `{}`; it must do exactly one thing",
                    kinds[*first], kinds[*second]
                ),
                Some(format!("split it in two, or keep one of {list}").into()),
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
    let list = words
        .iter()
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(", ");
    match item.get_ref() {
        DeValue::String(s) => {
            if let Some(i) = words.iter().position(|w| *w == s.as_ref()) {
                return Some(i);
            }
            let lower = s.to_lowercase();
            let hint = did_you_mean(&lower, words)
                .map(|w| format!("did you mean \"{w}\"?"))
                .unwrap_or_else(|| format!("write one of {list}"));
            cx.error(
                item.span(),
                "unknown-word",
                format!("`{}` = \"{s}\" is not one of {list}", cx.field_name()),
                Some(hint.into()),
            );
            None
        }
        _ => {
            cx.wrong_type(item, &format!("one of {list}"), None);
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
