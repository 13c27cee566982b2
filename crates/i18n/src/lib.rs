//! Every sentence Rempart says to people comes from one catalogue per
//! language (`locales/LANG/*.ftl`, Project Fluent), with that language's
//! plural rules: the command line, the messages sent to people, later the
//! portal and the documents. Log lines for operators stay in English and
//! do not come from here.
//!
//! ```
//! use rempart_i18n::{Lang, t};
//! assert_eq!(t!(Lang::Fr, "count-copies", count = 1), "1 copie");
//! assert_eq!(t!(Lang::En, "count-copies", count = 2), "2 copies");
//! ```
//!
//! The language is the one asked for (`--lang`, `$REMPART_LANG`), else the
//! plan's, else the system's locale ([`choose`]).

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

pub use fluent_bundle::FluentValue as Value;
#[doc(hidden)]
pub use serde_json;

/// A language Rempart speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    /// Every language, the first one being the fallback.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The language's code, as plans and `--lang` write it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The language of a code or a locale: `fr`, `FR`, `fr-CA`,
    /// `fr_FR.UTF-8`, `fr_FR@euro`. `None` for one Rempart does not speak
    /// (and for `C` and `POSIX`).
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// One file of the catalogue: its language, its path under `locales/`,
/// its text (built into the program).
macro_rules! ftl {
    ($lang:ident, $path:literal) => {
        (
            Lang::$lang,
            $path,
            include_str!(concat!("../locales/", $path)),
        )
    };
}

/// The catalogue's files, per language, as built into the program.
pub const FILES: &[(Lang, &str, &str)] = &[
    ftl!(En, "en/audit.ftl"),
    ftl!(En, "en/cli.ftl"),
    ftl!(En, "en/crisis.ftl"),
    ftl!(En, "en/evidence.ftl"),
    ftl!(En, "en/messages.ftl"),
    ftl!(En, "en/plan.ftl"),
    ftl!(En, "en/plan-syntax.ftl"),
    ftl!(En, "en/plan-trust.ftl"),
    ftl!(En, "en/portal.ftl"),
    ftl!(En, "en/report.ftl"),
    ftl!(En, "en/report-sla.ftl"),
    ftl!(Fr, "fr/audit.ftl"),
    ftl!(Fr, "fr/cli.ftl"),
    ftl!(Fr, "fr/crisis.ftl"),
    ftl!(Fr, "fr/evidence.ftl"),
    ftl!(Fr, "fr/messages.ftl"),
    ftl!(Fr, "fr/plan.ftl"),
    ftl!(Fr, "fr/plan-syntax.ftl"),
    ftl!(Fr, "fr/plan-trust.ftl"),
    ftl!(Fr, "fr/portal.ftl"),
    ftl!(Fr, "fr/report.ftl"),
    ftl!(Fr, "fr/report-sla.ftl"),
];

/// One bundle per language, built once. A file that does not parse is a
/// bug the catalogue test catches; what parses is still used.
static BUNDLES: LazyLock<Vec<FluentBundle<FluentResource>>> = LazyLock::new(|| {
    Lang::ALL
        .into_iter()
        .map(|lang| {
            let id = lang
                .code()
                .parse()
                .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Terminals and e-mails show the isolation marks as boxes.
            bundle.set_use_isolating(false);
            for (l, _, text) in FILES {
                if *l == lang {
                    let resource = FluentResource::try_new((*text).to_owned())
                        .unwrap_or_else(|(partial, _)| partial);
                    let _ = bundle.add_resource(resource);
                }
            }
            bundle
        })
        .collect()
});

/// The message `key` in `lang` with its variables. A key missing in
/// `lang` falls back to English, then to the key itself (never a panic;
/// the catalogue test keeps both from happening).
pub fn tr(lang: Lang, key: &str, args: &[(&str, Value<'_>)]) -> String {
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    for lang in [lang, Lang::En] {
        let bundle = &BUNDLES[lang.index()];
        if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            return bundle
                .format_pattern(pattern, Some(&fluent_args), &mut errors)
                .into_owned();
        }
    }
    key.to_owned()
}

/// `t!(lang, "key")`, `t!(lang, "key", count = n, name = s)`: the message
/// of the catalogue, formatted. Keys are literals, so that the catalogue
/// test finds every one used.
#[macro_export]
macro_rules! t {
    ($lang:expr, $key:literal) => {
        $crate::tr($lang, $key, &[])
    };
    ($lang:expr, $key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::tr(
            $lang,
            $key,
            &[$((stringify!($name), $crate::Value::from($value))),+],
        )
    };
}

/// `say!("key", name = value)`: a sentence to be said later, in the
/// language of whoever reads it, as JSON (`{"key": …, "args": {…}}`) to
/// keep with a record; [`tell`] says it. Keys are literals, as for `t!`.
#[macro_export]
macro_rules! say {
    ($key:literal) => {
        $crate::serde_json::json!({ "key": $key, "args": {} })
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::serde_json::json!({ "key": $key, "args": { $(stringify!($name): $value),+ } })
    };
}

/// A sentence [`say!`] kept, in `lang`; `None` when it is not one (an
/// older record, a key this version does not know).
pub fn tell(lang: Lang, said: &serde_json::Value) -> Option<String> {
    let key = said.get("key")?.as_str()?;
    // A key this version does not know: the record's own message.
    BUNDLES[Lang::En.index()].get_message(key)?;
    let empty = serde_json::Map::new();
    let args = said
        .get("args")
        .and_then(|a| a.as_object())
        .unwrap_or(&empty);
    let values: Vec<(&str, Value<'_>)> = args
        .iter()
        .map(|(name, v)| (name.as_str(), argument(lang, v)))
        .collect();
    Some(tr(lang, key, &values))
}

/// One variable of a kept sentence: a number, a text, a sentence of its
/// own (`say!` inside `say!`, said in the same language), or a list of
/// those, said one after the other with commas.
fn argument(lang: Lang, v: &serde_json::Value) -> Value<'static> {
    match v {
        serde_json::Value::Number(n) => n
            .as_i64()
            .map(Value::from)
            .or_else(|| n.as_f64().map(Value::from))
            .unwrap_or_else(|| Value::from(n.to_string())),
        serde_json::Value::String(s) => Value::from(s.clone()),
        serde_json::Value::Object(_) => match tell(lang, v) {
            Some(said) => Value::from(said),
            None => Value::from(v.to_string()),
        },
        serde_json::Value::Array(items) => Value::from(
            items
                .iter()
                .map(|item| match argument(lang, item) {
                    Value::String(s) => s.into_owned(),
                    Value::Number(n) => n.as_string().into_owned(),
                    _ => String::new(),
                })
                .collect::<Vec<_>>()
                .join(", "),
        ),
        other => Value::from(other.to_string()),
    }
}

/// What a record or a check says, in `lang`: the sentence [`say!`] kept
/// in its `measurements` (under `say`), else its `message` as written.
pub fn told(lang: Lang, measurements: &serde_json::Value, message: &str) -> String {
    measurements
        .get("say")
        .and_then(|said| tell(lang, said))
        .unwrap_or_else(|| message.to_owned())
}

/// The sentence [`say!`] kept, in English: the text stored with a record,
/// for logs and for readers of an older version.
pub fn english(said: &serde_json::Value) -> String {
    tell(Lang::En, said).unwrap_or_default()
}

/// The language of the system's locale (`LC_ALL`, `LC_MESSAGES`, `LANG`,
/// the first one set, as POSIX orders them), when Rempart speaks it.
pub fn system() -> Option<Lang> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .filter_map(|var| std::env::var(var).ok())
        .find(|value| !value.is_empty())
        .and_then(|value| Lang::parse(&value))
}

/// The language to speak: the one asked for (`--lang`, `$REMPART_LANG`),
/// else the plan's, else the system's locale, else English.
pub fn choose(asked: Option<Lang>, plan: Option<Lang>) -> Lang {
    asked.or(plan).or_else(system).unwrap_or(Lang::En)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_name_their_language() {
        assert_eq!(Lang::parse("fr_FR.UTF-8"), Some(Lang::Fr));
        assert_eq!(Lang::parse("fr-CA"), Some(Lang::Fr));
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse("en_GB@euro"), Some(Lang::En));
        assert_eq!(Lang::parse("C"), None);
        assert_eq!(Lang::parse("de_DE.UTF-8"), None);
    }

    #[test]
    fn the_asked_language_comes_before_the_plan_s() {
        assert_eq!(choose(Some(Lang::En), Some(Lang::Fr)), Lang::En);
        assert_eq!(choose(None, Some(Lang::Fr)), Lang::Fr);
    }

    #[test]
    fn plurals_follow_each_language_s_rules() {
        // French: 0 and 1 are singular; English: only 1.
        assert_eq!(t!(Lang::Fr, "count-errors", count = 0), "0 erreur");
        assert_eq!(t!(Lang::Fr, "count-errors", count = 2), "2 erreurs");
        assert_eq!(t!(Lang::En, "count-errors", count = 0), "0 errors");
        assert_eq!(t!(Lang::En, "count-errors", count = 1), "1 error");
    }

    #[test]
    fn a_sentence_kept_as_json_is_said_in_the_reader_s_language() {
        let said = say!("count-copies", count = 2);
        let stored: serde_json::Value =
            serde_json::from_str(&said.to_string()).expect("JSON round trip");
        assert_eq!(english(&stored), "2 copies");
        assert_eq!(tell(Lang::Fr, &stored).as_deref(), Some("2 copies"));
        let one = say!("count-errors", count = 1);
        assert_eq!(tell(Lang::Fr, &one).as_deref(), Some("1 erreur"));
        assert_eq!(tell(Lang::Fr, &serde_json::json!({ "key": "gone" })), None);
        assert_eq!(tell(Lang::Fr, &serde_json::json!("text")), None);
    }

    #[test]
    fn an_unknown_key_is_said_as_itself() {
        assert_eq!(tr(Lang::Fr, "no-such-key", &[]), "no-such-key");
    }
}
