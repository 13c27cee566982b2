//! The small value types of a plan: identifiers, human durations, schedules,
//! secret references, repository locations and percentages. Each knows how
//! to parse itself from the text a person writes and how to print itself
//! back in the same form, so a plan survives a round trip unchanged.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use rempart_i18n::{Lang, say};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Serialize, Serializer};

/// Why a value was refused: a sentence of the catalogue (`say!`), said in
/// the reader's language ([`Said::tell`]); shown in English (`Display`) in
/// logs and errors for operators. It serialises as the sentence itself, so
/// it can be a variable of another: `say!("…", why = why)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Said(serde_json::Value);

impl Said {
    /// The sentence, as the catalogue's key and variables.
    pub fn value(&self) -> &serde_json::Value {
        &self.0
    }

    /// The sentence in `lang`.
    pub fn tell(&self, lang: Lang) -> String {
        rempart_i18n::tell(lang, &self.0).unwrap_or_else(|| self.0.to_string())
    }
}

impl From<serde_json::Value> for Said {
    fn from(said: serde_json::Value) -> Self {
        Said(said)
    }
}

impl From<Said> for serde_json::Value {
    fn from(said: Said) -> Self {
        said.0
    }
}

/// In English, for callers that keep errors as text.
impl From<Said> for String {
    fn from(said: Said) -> Self {
        said.to_string()
    }
}

impl fmt::Display for Said {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.tell(Lang::En))
    }
}

impl std::error::Error for Said {}

/// The identifier of a plan element (`erp-db`, `nas`, `cloud`): ASCII
/// letters, digits, `-`, `_` and `.`, starting with a letter or digit, at
/// most 64 characters. Other elements refer to it by this id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Id(String);

/// Longest accepted identifier, in characters.
pub const ID_MAX_LEN: usize = 64;

impl Id {
    /// Checks `text` and returns it as an id, or why it is not one.
    pub fn parse(text: &str) -> Result<Id, Said> {
        if text.is_empty() {
            return Err(say!("plan-id-empty").into());
        }
        if text.len() > ID_MAX_LEN {
            return Err(say!("plan-id-too-long", max = ID_MAX_LEN).into());
        }
        let first_ok = text
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        let rest_ok = text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !first_ok || !rest_ok {
            return Err(say!("plan-id-chars").into());
        }
        Ok(Id(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl JsonSchema for Id {
    fn schema_name() -> Cow<'static, str> {
        "Id".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
            "description": "Identifier: ASCII letters, digits, '-', '_', '.'; other elements refer to it."
        })
    }
}

/// A span of time, in milliseconds, written by people as `500ms`, `90s`,
/// `15m`, `4h`, `2d`, `1w` or a sum such as `1h30m`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration(u64);

/// Units and their length in milliseconds, longest first.
const UNITS: [(&str, u64); 6] = [
    ("w", 604_800_000),
    ("d", 86_400_000),
    ("h", 3_600_000),
    ("m", 60_000),
    ("s", 1_000),
    ("ms", 1),
];

/// The longest duration a plan may write: 100 years (of 365.25 days). No
/// arithmetic on a plan's durations can overflow below it.
pub const MAX_DURATION_MS: u64 = 36_525 * 86_400_000;

impl Duration {
    pub const fn from_secs(seconds: u64) -> Duration {
        Duration(seconds.saturating_mul(1_000))
    }

    pub const fn from_millis(millis: u64) -> Duration {
        Duration(millis)
    }

    /// The duration in whole seconds (rounded down).
    pub const fn as_secs(self) -> u64 {
        self.0 / 1_000
    }

    /// The duration in milliseconds.
    pub const fn as_millis(self) -> u64 {
        self.0
    }

    /// Parses `500ms`, `90s`, `15m`, `4h`, `2d`, `1w`, `1h30m` (spaces between
    /// parts are allowed). A bare number is refused: its unit would be a guess.
    pub fn parse(text: &str) -> Result<Duration, Said> {
        let how = say!("plan-duration-how");
        let too_large = || Said(say!("plan-duration-too-large", text = text));
        let not_one = || Said(say!("plan-duration-not", text = text, how = how));
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(say!("plan-duration-empty", how = how).into());
        }
        let mut total: u64 = 0;
        let mut rest = trimmed;
        while !rest.is_empty() {
            rest = rest.trim_start_matches(' ');
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if digits == 0 {
                return Err(not_one());
            }
            let number: u64 = rest[..digits].parse().map_err(|_| too_large())?;
            rest = &rest[digits..];
            // "ms" before "m": the longest unit name that matches.
            let unit = ["ms", "w", "d", "h", "m", "s"]
                .into_iter()
                .find(|u| rest.starts_with(u));
            let Some(unit) = unit else {
                return Err(if rest.is_empty() {
                    say!("plan-duration-no-unit", text = text, how = how).into()
                } else {
                    not_one()
                });
            };
            let factor = UNITS
                .iter()
                .find(|(u, _)| *u == unit)
                .map_or(1, |(_, f)| *f);
            total = number
                .checked_mul(factor)
                .and_then(|ms| total.checked_add(ms))
                .ok_or_else(too_large)?;
            rest = &rest[unit.len()..];
        }
        if total > MAX_DURATION_MS {
            return Err(say!("plan-duration-over-100-years", text = text).into());
        }
        Ok(Duration(total))
    }

    /// Whether JSON output should show durations as seconds; see [`Duration::in_seconds`].
    fn seconds_mode() -> bool {
        SECONDS_MODE.with(Cell::get)
    }

    /// Runs `f` with durations serialised as seconds (a fraction when
    /// milliseconds remain) instead of human text: the normalised JSON
    /// view of a plan uses seconds, the TOML form uses text.
    pub fn in_seconds<R>(f: impl FnOnce() -> R) -> R {
        struct Restore(bool);
        impl Drop for Restore {
            fn drop(&mut self) {
                SECONDS_MODE.with(|m| m.set(self.0));
            }
        }
        let _restore = Restore(SECONDS_MODE.with(|m| m.replace(true)));
        f()
    }
}

thread_local! {
    static SECONDS_MODE: Cell<bool> = const { Cell::new(false) };
}

impl fmt::Display for Duration {
    /// The shortest human form: 5 400 000 ms print as `1h30m`, zero as `0s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("0s");
        }
        let mut rest = self.0;
        // Weeks are left out on purpose: "14d" reads better than "2w" in a BIA.
        for (unit, factor) in UNITS.iter().skip(1) {
            if rest >= *factor {
                write!(f, "{}{unit}", rest / factor)?;
                rest %= factor;
            }
        }
        Ok(())
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if !Duration::seconds_mode() {
            s.collect_str(self)
        } else if self.0.is_multiple_of(1_000) {
            s.serialize_u64(self.as_secs())
        } else {
            // Exact enough: milliseconds below 2^53 are exact in an f64.
            #[allow(clippy::cast_precision_loss)]
            s.serialize_f64(self.0 as f64 / 1_000.0)
        }
    }
}

impl JsonSchema for Duration {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^( *[0-9]+(ms|[smhdw]))+ *$",
            "description": "A duration: a number and a unit (ms, s, m, h, d, w), e.g. \"500ms\", \"90s\", \"15m\", \"4h\", \"2d\", \"1h30m\"."
        })
    }
}

/// When something runs: every fixed interval, or on a cron pattern read in
/// the organisation's time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schedule {
    /// `every 15m`
    Every(Duration),
    /// A five-field cron pattern (`0 2 * * *`) or a nickname (`@daily`).
    Cron(String),
}

/// How far ahead [`Schedule::longest_gap`] looks for cron patterns, in days:
/// long enough to see yearly patterns.
const CRON_HORIZON_DAYS: i64 = 800;
/// Most cron occurrences examined by [`Schedule::longest_gap`]: enough for
/// a quarter-hourly pattern to show its weekly shape.
const CRON_MAX_OCCURRENCES: usize = 5_000;

impl Schedule {
    /// Parses `every 15m` or a cron pattern.
    pub fn parse(text: &str) -> Result<Schedule, Said> {
        let trimmed = text.trim();
        if let Some(rest) = trimmed.strip_prefix("every")
            && rest.starts_with(' ')
        {
            let d = Duration::parse(rest.trim())
                .map_err(|why| Said(say!("plan-schedule-in", schedule = trimmed, why = why)))?;
            if d.as_millis() == 0 {
                return Err(say!("plan-schedule-every-zero").into());
            }
            return Ok(Schedule::Every(d));
        }
        let fields = trimmed.split_whitespace().count();
        if !trimmed.starts_with('@') && fields != 5 {
            return Err(say!("plan-schedule-fields", text = text, fields = fields).into());
        }
        // The parser's own explanation stays in English.
        cron_pattern(trimmed)
            .map_err(|e| Said(say!("plan-schedule-cron", text = text, why = e.to_string())))?;
        Ok(Schedule::Cron(trimmed.to_owned()))
    }

    /// The first run strictly after `after_ms` (milliseconds since the
    /// epoch), cron patterns read in time zone `tz`; `None` when the
    /// pattern never fires again or the zone is unknown.
    pub fn next_after(&self, after_ms: i64, tz: &str) -> Option<i64> {
        match self {
            Schedule::Every(d) => after_ms.checked_add(i64::try_from(d.as_millis()).ok()?),
            Schedule::Cron(p) => {
                let zone: chrono_tz::Tz = tz.parse().ok()?;
                let cron = cron_pattern(p).ok()?;
                let after = chrono::DateTime::from_timestamp_millis(after_ms)?.with_timezone(&zone);
                let next = cron.find_next_occurrence(&after, false).ok()?;
                Some(next.timestamp_millis())
            }
        }
    }

    /// The longest time between two consecutive runs, the worst case for
    /// data loss; `None` for a cron pattern that never fires.
    pub fn longest_gap(&self) -> Option<Duration> {
        match self {
            Schedule::Every(d) => Some(*d),
            Schedule::Cron(p) => {
                let cron = cron_pattern(p).ok()?;
                // A fixed Monday in a non-leap year: the result must not depend on the clock.
                let start = chrono::NaiveDate::from_ymd_opt(2025, 1, 6)?.and_hms_opt(0, 0, 0)?;
                let end = start + chrono::Duration::days(CRON_HORIZON_DAYS);
                let mut times = cron
                    .iter_from(start, croner::Direction::Forward)
                    .take_while(|t| *t <= end)
                    .take(CRON_MAX_OCCURRENCES);
                let first = times.next()?;
                let mut previous = first;
                let mut longest = 0i64;
                for t in times {
                    longest = longest.max((t - previous).num_seconds());
                    previous = t;
                }
                if previous == first {
                    // Fired once in the horizon: at least the horizon apart.
                    longest = CRON_HORIZON_DAYS * 86_400;
                }
                Some(Duration::from_secs(u64::try_from(longest).ok()?))
            }
        }
    }
}

fn cron_pattern(text: &str) -> Result<croner::Cron, croner::errors::CronError> {
    croner::parser::CronParser::builder()
        .seconds(croner::parser::Seconds::Disallowed)
        .year(croner::parser::Year::Disallowed)
        .build()
        .parse(text)
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Schedule::Every(d) => write!(f, "every {d}"),
            Schedule::Cron(p) => f.write_str(p),
        }
    }
}

impl Serialize for Schedule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl JsonSchema for Schedule {
    fn schema_name() -> Cow<'static, str> {
        "Schedule".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "\"every <duration>\" (e.g. \"every 15m\") or a five-field cron pattern (e.g. \"0 2 * * *\") in the organisation's time zone."
        })
    }
}

/// A secret given by reference, never inline: the name of an environment
/// variable or the path of a file on the server (the MSP's plans only), or
/// the name of a secret kept encrypted in the tenant's store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged, deny_unknown_fields)]
pub enum SecretRef {
    /// `{ env = "NAME" }`: the server's environment.
    Env { env: String },
    /// `{ file = "/etc/rempart/secret" }`: a file on the server.
    File { file: String },
    /// `{ secret = "name" }`: set with `rempart secret set` or the API,
    /// stored encrypted, readable only by its own tenant's plan.
    Secret { secret: String },
}

impl SecretRef {
    /// Whether resolving it reads the server's environment or files.
    pub fn is_local(&self) -> bool {
        !matches!(self, SecretRef::Secret { .. })
    }
}

/// Longest name of a stored secret, in characters.
pub const SECRET_NAME_MAX_LEN: usize = 128;

/// Checks the name of a stored secret: ASCII letters, digits, `-`, `_`
/// and `.`, starting with a letter or digit (`nas-password`).
pub fn check_secret_name(name: &str) -> Result<(), Said> {
    let ok = !name.is_empty()
        && name.len() <= SECRET_NAME_MAX_LEN
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(say!("plan-secret-name", name = name, max = SECRET_NAME_MAX_LEN).into())
    }
}

/// Where a backup repository lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A directory, absolute or relative to the plan file.
    Local(String),
    /// `s3://bucket/prefix` on S3-compatible object storage.
    S3 { bucket: String, prefix: String },
}

impl Location {
    /// Parses a local path or an `s3://bucket/prefix` address.
    pub fn parse(text: &str) -> Result<Location, Said> {
        if text.trim().is_empty() {
            return Err(say!("plan-location-empty").into());
        }
        if let Some(rest) = text.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            check_bucket(bucket)?;
            return Ok(Location::S3 {
                bucket: bucket.to_owned(),
                prefix: prefix.trim_matches('/').to_owned(),
            });
        }
        if let Some((scheme, _)) = text.split_once("://") {
            return Err(say!("plan-location-scheme", scheme = scheme).into());
        }
        Ok(Location::Local(text.to_owned()))
    }

    pub fn is_s3(&self) -> bool {
        matches!(self, Location::S3 { .. })
    }
}

/// S3 bucket naming rules: 3-63 characters, lowercase letters, digits, '.'
/// and '-', starting and ending with a letter or digit.
fn check_bucket(bucket: &str) -> Result<(), Said> {
    let ok_len = (3..=63).contains(&bucket.len());
    let ok_chars = bucket
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
    let ok_ends = bucket.starts_with(|c: char| c.is_ascii_alphanumeric())
        && bucket.ends_with(|c: char| c.is_ascii_alphanumeric());
    if ok_len && ok_chars && ok_ends {
        Ok(())
    } else {
        Err(say!("plan-location-bucket", bucket = bucket).into())
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Local(p) => f.write_str(p),
            Location::S3 { bucket, prefix } if prefix.is_empty() => write!(f, "s3://{bucket}"),
            Location::S3 { bucket, prefix } => write!(f, "s3://{bucket}/{prefix}"),
        }
    }
}

impl Serialize for Location {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl JsonSchema for Location {
    fn schema_name() -> Cow<'static, str> {
        "Location".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A local directory (absolute, or relative to the plan file) or s3://bucket/prefix."
        })
    }
}

/// A percentage, such as an uptime target (`99.5`).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct Percent(pub f64);

#[cfg(test)]
mod arbitrary {
    //! Generators for property tests: only values a person could write.
    use super::*;
    use proptest::prelude::*;

    impl Arbitrary for Id {
        type Parameters = ();
        type Strategy = BoxedStrategy<Id>;
        fn arbitrary_with(_: ()) -> Self::Strategy {
            "[a-z0-9][a-z0-9._-]{0,12}".prop_map(Id).boxed()
        }
    }

    impl Arbitrary for Duration {
        type Parameters = ();
        type Strategy = BoxedStrategy<Duration>;
        fn arbitrary_with(_: ()) -> Self::Strategy {
            prop_oneof![
                (0u64..100_000).prop_map(|s| s * 1_000),
                0u64..=MAX_DURATION_MS
            ]
            .prop_map(Duration)
            .boxed()
        }
    }

    impl Arbitrary for Schedule {
        type Parameters = ();
        type Strategy = BoxedStrategy<Schedule>;
        fn arbitrary_with(_: ()) -> Self::Strategy {
            prop_oneof![
                (1u64..10_000_000).prop_map(|s| Schedule::Every(Duration::from_secs(s))),
                prop::sample::select(vec!["0 2 * * *", "*/15 * * * *", "30 1 * * 1-5", "@daily"])
                    .prop_map(|p| Schedule::Cron(p.to_owned())),
            ]
            .boxed()
        }
    }

    impl Arbitrary for SecretRef {
        type Parameters = ();
        type Strategy = BoxedStrategy<SecretRef>;
        fn arbitrary_with(_: ()) -> Self::Strategy {
            prop_oneof![
                "[A-Z][A-Z0-9_]{0,20}".prop_map(|env| SecretRef::Env { env }),
                "/[a-z0-9/._-]{1,30}".prop_map(|file| SecretRef::File { file }),
                "[a-z0-9][a-z0-9._-]{0,20}".prop_map(|secret| SecretRef::Secret { secret }),
            ]
            .boxed()
        }
    }

    impl Arbitrary for Location {
        type Parameters = ();
        type Strategy = BoxedStrategy<Location>;
        fn arbitrary_with(_: ()) -> Self::Strategy {
            prop_oneof![
                "/[a-z0-9/._-]{0,30}".prop_map(Location::Local),
                (
                    "[a-z0-9][a-z0-9-]{1,20}[a-z0-9]",
                    "([a-z0-9._-]{1,10}(/[a-z0-9._-]{1,10}){0,2})?"
                )
                    .prop_map(|(bucket, prefix)| Location::S3 { bucket, prefix }),
            ]
            .boxed()
        }
    }

    impl Arbitrary for Percent {
        type Parameters = ();
        type Strategy = BoxedStrategy<Percent>;
        fn arbitrary_with(_: ()) -> Self::Strategy {
            (0u32..=100_000)
                .prop_map(|m| Percent(f64::from(m) / 1000.0))
                .boxed()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn durations_parse_with_every_unit() {
        for (text, secs) in [
            ("90s", 90),
            ("15m", 900),
            ("4h", 14_400),
            ("2d", 172_800),
            ("1w", 604_800),
            ("1h30m", 5_400),
            ("1h 30m", 5_400),
            ("0s", 0),
        ] {
            assert_eq!(
                Duration::parse(text),
                Ok(Duration::from_secs(secs)),
                "{text}"
            );
        }
        assert_eq!(Duration::parse("150ms"), Ok(Duration::from_millis(150)));
        assert_eq!(
            Duration::parse("1m500ms"),
            Ok(Duration::from_millis(60_500))
        );
    }

    #[test]
    fn durations_refuse_what_would_be_a_guess() {
        for text in [
            "",
            "15",
            "m",
            "4 hours",
            "1.5h",
            "-3h",
            "4H",
            "99999999999999999999d",
            "1mss",
        ] {
            assert!(Duration::parse(text).is_err(), "{text} should be refused");
        }
        assert!(
            Duration::parse("15")
                .unwrap_err()
                .to_string()
                .contains("without a unit")
        );
        assert!(
            Duration::parse("99999999999999999999d")
                .unwrap_err()
                .to_string()
                .contains("too large")
        );
        assert!(
            Duration::parse("36525d1ms")
                .unwrap_err()
                .to_string()
                .contains("over 100 years")
        );
        assert_eq!(
            Duration::parse("36525d").map(Duration::as_millis),
            Ok(MAX_DURATION_MS)
        );
    }

    #[test]
    fn durations_print_in_their_shortest_form() {
        assert_eq!(Duration::from_secs(5_400).to_string(), "1h30m");
        assert_eq!(Duration::from_secs(1_209_600).to_string(), "14d");
        assert_eq!(Duration::from_secs(0).to_string(), "0s");
        assert_eq!(Duration::from_secs(90_061).to_string(), "1d1h1m1s");
        assert_eq!(Duration::from_millis(1_500).to_string(), "1s500ms");
    }

    #[test]
    fn durations_serialise_as_seconds_only_inside_in_seconds() {
        let d = Duration::from_secs(900);
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"15m\"");
        let inside = Duration::in_seconds(|| serde_json::to_string(&d).unwrap());
        assert_eq!(inside, "900");
        let short = Duration::from_millis(250);
        let inside = Duration::in_seconds(|| serde_json::to_string(&short).unwrap());
        assert_eq!(inside, "0.25");
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"15m\"");
    }

    #[test]
    fn schedules_parse_every_and_cron() {
        assert_eq!(
            Schedule::parse("every 15m"),
            Ok(Schedule::Every(Duration::from_secs(900)))
        );
        assert_eq!(
            Schedule::parse("0 2 * * *"),
            Ok(Schedule::Cron("0 2 * * *".into()))
        );
        assert!(Schedule::parse("@daily").is_ok());
        assert!(
            Schedule::parse("every 0s")
                .unwrap_err()
                .to_string()
                .contains("positive")
        );
        assert!(
            Schedule::parse("0 2 * *")
                .unwrap_err()
                .to_string()
                .contains("4 field")
        );
        assert!(
            Schedule::parse("0 25 * * *")
                .unwrap_err()
                .to_string()
                .contains("cron")
        );
        assert!(Schedule::parse("every day").is_err());
    }

    #[test]
    fn next_run_in_the_organisation_time_zone() {
        let at = |t: &str| {
            chrono::DateTime::parse_from_rfc3339(t)
                .unwrap()
                .timestamp_millis()
        };
        let every = Schedule::parse("every 15m").unwrap();
        assert_eq!(every.next_after(1_000, "Europe/Paris"), Some(901_000));
        // 02:00 in Paris is 01:00 UTC in winter, 00:00 UTC in summer.
        let nightly = Schedule::parse("0 2 * * *").unwrap();
        assert_eq!(
            nightly.next_after(at("2026-11-29T12:00:00Z"), "Europe/Paris"),
            Some(at("2026-11-30T01:00:00Z"))
        );
        assert_eq!(
            nightly.next_after(at("2026-07-01T12:00:00Z"), "Europe/Paris"),
            Some(at("2026-07-02T00:00:00Z"))
        );
        // Strictly after: a run at the exact time is the next day's.
        assert_eq!(
            nightly.next_after(at("2026-11-30T01:00:00Z"), "Europe/Paris"),
            Some(at("2026-12-01T01:00:00Z"))
        );
        assert_eq!(nightly.next_after(0, "Mars/Olympus"), None);
    }

    #[test]
    fn longest_gap_of_cron_patterns() {
        let gap = |p: &str| Schedule::parse(p).unwrap().longest_gap().unwrap().as_secs();
        assert_eq!(gap("every 4h"), 14_400);
        assert_eq!(gap("0 2 * * *"), 86_400);
        assert_eq!(gap("*/15 * * * *"), 900);
        // Weekdays only: Friday 01:30 to Monday 01:30.
        assert_eq!(gap("30 1 * * 1-5"), 3 * 86_400);
        assert_eq!(gap("0 0,6 * * *"), 18 * 3_600);
        // Monthly on the 1st: the longest month is 31 days.
        assert_eq!(gap("0 0 1 * *"), 31 * 86_400);
    }

    #[test]
    fn locations_parse_paths_and_s3() {
        assert_eq!(
            Location::parse("/mnt/nas/rempart"),
            Ok(Location::Local("/mnt/nas/rempart".into()))
        );
        assert_eq!(
            Location::parse("s3://martin-backups/rempart/erp"),
            Ok(Location::S3 {
                bucket: "martin-backups".into(),
                prefix: "rempart/erp".into()
            })
        );
        assert!(
            Location::parse("s3://UPPER/x")
                .unwrap_err()
                .to_string()
                .contains("bucket")
        );
        assert!(
            Location::parse("sftp://host/x")
                .unwrap_err()
                .to_string()
                .contains("sftp")
        );
        assert!(Location::parse("").is_err());
    }

    #[test]
    fn ids_accept_plain_names_only() {
        assert!(Id::parse("erp-db").is_ok());
        assert!(Id::parse("srv_01.lan").is_ok());
        for bad in ["", "-x", "a b", "é", &"x".repeat(65)] {
            assert!(Id::parse(bad).is_err(), "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn durations_round_trip_through_text(d in any::<Duration>()) {
            prop_assert_eq!(Duration::parse(&d.to_string()), Ok(d));
        }

        #[test]
        fn duration_parser_never_panics(s in ".{0,40}") {
            let _ = Duration::parse(&s);
            let _ = Schedule::parse(&s);
            let _ = Location::parse(&s);
        }

        #[test]
        fn schedules_round_trip_through_text(s in any::<Schedule>()) {
            prop_assert_eq!(Schedule::parse(&s.to_string()), Ok(s));
        }
    }
}
