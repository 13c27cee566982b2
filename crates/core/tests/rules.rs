//! One failing plan per validation rule: each case changes a valid plan in
//! one place and asserts the finding's code, exact message and exact
//! line:column (the column of the text it must point at).

use rempart_core::plan::{self, Severity, finding::LineIndex};
use rempart_i18n::Lang;

const BASE: &str = include_str!("plans/base.toml");

struct Case {
    /// Replaced in BASE (must occur exactly once)…
    from: &'static str,
    /// …by this.
    to: &'static str,
    /// The finding must start where this text first occurs in the changed plan…
    at: &'static str,
    /// …plus this many characters.
    offset: usize,
    code: &'static str,
    severity: Severity,
    message: &'static str,
    /// Codes of the other findings this change also causes, if any.
    also: &'static [&'static str],
}

const fn error(
    from: &'static str,
    to: &'static str,
    at: &'static str,
    code: &'static str,
    message: &'static str,
) -> Case {
    Case {
        from,
        to,
        at,
        offset: 0,
        code,
        severity: Severity::Error,
        message,
        also: &[],
    }
}

impl Case {
    const fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }
    const fn offset(mut self, n: usize) -> Self {
        self.offset = n;
        self
    }
    const fn also(mut self, codes: &'static [&'static str]) -> Self {
        self.also = codes;
        self
    }
}

fn cases() -> Vec<Case> {
    vec![
        error(
            "name = \"Billing\"",
            "name = \"Billing",
            "\"Billing",
            "toml-syntax",
            "invalid basic string, expected `\"`",
        )
        .offset(8),
        error(
            "rto = \"4h\"",
            "rto = 4",
            "4\n",
            "wrong-type",
            "`rto` should be a duration such as \"15m\" or \"4h\", found an integer",
        ),
        error(
            "probability = 2",
            "probability = \"2\"",
            "\"2\"",
            "wrong-type",
            "`probability` should be an integer, found a string",
        ),
        error(
            "depends_on = [\"app\"]",
            "depend_on = [\"app\"]",
            "depend_on",
            "unknown-key",
            "unknown key `depend_on` in `process[0]`",
        )
        .also(&["vital-without-backup"]),
        error(
            "rto = \"4h\"\n",
            "",
            "[[process]]",
            "missing-key",
            "`process[0]` is missing the required key `rto`",
        ),
        error(
            "id = \"cloud\"",
            "id = \"office\"",
            "id = \"office\"\nkind = \"cloud\"",
            "duplicate-id",
            "duplicate site id \"office\": site[0] already has it",
        )
        .offset(5)
        .also(&["dangling-reference", "dangling-reference"]),
        error(
            "depends_on = [\"app\"]",
            "depends_on = [\"ap\"]",
            "\"ap\"",
            "dangling-reference",
            "process \"billing\" refers to \"ap\", which is not an asset or a process of this plan",
        )
        .also(&["vital-without-backup"]),
        error(
            "targets = [\"nas\", \"s3\"]",
            "targets = [\"nas\", \"s4\"]",
            "\"s4\"",
            "dangling-reference",
            "backup \"db\" refers to \"s4\", which is not a repository of this plan",
        )
        .also(&["unused-repository", "no-copy-at-site", "single-site"]),
        error(
            "process = \"billing\"",
            "process = \"biling\"",
            "\"biling\"",
            "dangling-reference",
            "scenario \"restore-db\" refers to \"biling\", which is not a process of this plan",
        )
        .also(&["vital-without-scenario"]),
        error(
            "mitigated_by = [\"s3\"]",
            "mitigated_by = [\"sprinklers\"]",
            "\"sprinklers\"",
            "dangling-reference",
            "risk \"fire\" refers to \"sprinklers\", which is not a backup, a scenario, a monitor or a repository of this plan",
        ),
        error(
            "owner = \"boss\"",
            "owner = \"bos\"",
            "\"bos\"",
            "dangling-reference",
            "process \"billing\" refers to \"bos\", which is not a contact of this plan",
        ),
        error(
            "notify = [\"mail\"]",
            "notify = [\"mial\"]",
            "\"mial\"",
            "dangling-reference",
            "escalation \"default\" refers to \"mial\", which is not a channel, a contact or a team of this plan",
        ),
        error(
            "interval = \"1m\"",
            "interval = \"1m\"\nescalation = \"night\"",
            "\"night\"",
            "dangling-reference",
            "monitor \"web\" refers to \"night\", which is not an escalation of this plan",
        ),
        error(
            "kind = \"database\"",
            "kind = \"database\"\ndepends_on = [\"app\"]",
            "\"app\"]\n",
            "dependency-cycle",
            "dependency cycle: db → app → db",
        ),
        error(
            "interval = \"1m\"",
            "interval = \"1m\"\ndepends_on = [\"web\"]",
            "\"web\"]",
            "dependency-cycle",
            "monitor cycle: web → web",
        ),
        error(
            "rto = \"4h\"",
            "rto = \"3d\"",
            "\"3d\"",
            "rto-above-mtpd",
            "process \"billing\" has rto = 3d but mtpd = 2d — the RTO must be below the MTPD",
        ),
        error(
            "schedule = \"every 1h\"",
            "schedule = \"every 4h\"",
            "\"1h\"",
            "rpo-unreachable",
            "process \"billing\" has rpo = 1h but backup \"db\" of asset \"db\" runs every 4h: the data written between two runs could be lost",
        ),
        error(
            "schedule = \"every 1h\"",
            "schedule = \"30 1 * * 1-5\"",
            "\"1h\"",
            "rpo-unreachable",
            "process \"billing\" has rpo = 1h but backup \"db\" of asset \"db\" (\"30 1 * * 1-5\") runs as much as 3d apart: the data written between two runs could be lost",
        ),
        error(
            "depends_on = [\"app\"]\n",
            "",
            "\"vital\"",
            "vital-without-backup",
            "vital process \"billing\" has no backup protecting the assets it depends on",
        ),
        error(
            "process = \"billing\"",
            "process = \"archive\"",
            "\"vital\"",
            "vital-without-scenario",
            "vital process \"billing\" has no recovery scenario",
        )
        .also(&["dangling-reference"]),
        error(
            "owner = \"boss\"\n",
            "",
            "\"vital\"",
            "vital-without-owner",
            "vital process \"billing\" has no owner",
        ),
        error(
            "probability = 2",
            "probability = 0",
            "0\n",
            "score-out-of-range",
            "risk \"fire\" has probability = 0, outside 1..5",
        ),
        error(
            "impact = 5",
            "impact = 6",
            "6\n",
            "score-out-of-range",
            "risk \"fire\" has impact = 6, outside 1..5",
        ),
        error(
            "probability = 2",
            "probability = 300",
            "300",
            "out-of-range",
            "`probability` = 300 is out of range (0..=255)",
        ),
        error(
            "targets = [\"nas\", \"s3\"]",
            "targets = [\"nas\"]",
            "[\"nas\"]",
            "single-site",
            "every copy of backup \"db\" is on site \"office\": not 3-2-1, one incident there loses them all",
        )
        .warning()
        .also(&["unused-repository", "no-copy-at-site"]),
        error(
            "password = { env = \"NAS_PASSWORD\" }",
            "password = \"correct horse battery staple\"",
            "\"correct",
            "inline-secret",
            "`password` is a secret written inline in the plan; secrets are given by reference only",
        ),
        error(
            "password = { env = \"NAS_PASSWORD\" }",
            "password = { env = \"NAS PASSWORD\" }",
            "{ env = \"NAS PASSWORD\" }",
            "bad-secret-ref",
            "\"NAS PASSWORD\" is not an environment variable name",
        ),
        error(
            "rto = \"4h\"",
            "rto = \"4 hours\"",
            "\"4 hours\"",
            "bad-duration",
            "`rto`: \"4 hours\" is not a duration; write a number followed by a unit: ms, s, m, h, d or w (e.g. \"90s\", \"15m\", \"4h\", \"2d\", \"1h30m\")",
        ),
        error(
            "schedule = \"every 1h\"",
            "schedule = \"0 25 * * *\"",
            "\"0 25",
            "bad-schedule",
            "`schedule`: \"0 25 * * *\" is not a valid cron pattern: Component error: Number out of bounds.",
        ),
        error(
            "timezone = \"Europe/Paris\"",
            "timezone = \"Europe/Pari\"",
            "\"Europe/Pari\"",
            "bad-timezone",
            "\"Europe/Pari\" is not a known time zone",
        ),
        error(
            "criticality = \"vital\"",
            "criticality = \"vitale\"",
            "\"vitale\"",
            "unknown-word",
            "`criticality` = \"vitale\" is not one of \"vital\", \"essential\", \"secondary\"",
        ),
        error(
            "location = \"/srv/repo\"",
            "location = \"/srv/repo\"\nregion = \"fr-par\"",
            "\"fr-par\"",
            "s3-option-on-local",
            "repository \"nas\" is a local directory; `region` only applies to s3:// locations",
        ),
        error(
            "location = \"/srv/repo\"",
            "location = \"/srv/repo\"\nverify_within = \"12h\"",
            "\"12h\"",
            "verify-within-too-short",
            "repository \"nas\": verify_within = \"12h\" is shorter than a day; the data is read back one slice a day",
        ),
        error(
            "location = \"s3://test-bucket/rempart\"",
            "location = \"s3://test-bucket/rempart\"\naccess_key_id = { env = \"KEY_ID\" }",
            "\"s3://test-bucket",
            "incomplete-credentials",
            "repository \"s3\" has only one of access_key_id and secret_access_key",
        ),
        error(
            "location = \"s3://test-bucket/rempart\"",
            "location = \"b2://test-bucket/rempart\"",
            "\"b2://",
            "bad-location",
            "`location`: unsupported location scheme \"b2://\"; Rempart stores backups in a local directory or in s3://bucket/prefix",
        ),
        error(
            "interval = \"1m\"",
            "interval = \"1m\"\nexpect = { exit_code = 0 }",
            "0 }",
            "not-applicable",
            "`expect.exit_code` does not apply to monitor \"web\" of kind http",
        ),
        error(
            "interval = \"1m\"",
            "interval = \"1m\"\nexpect = { body_matches = \"(unclosed\" }",
            "\"(unclosed\"",
            "bad-pattern",
            "monitor \"web\"'s `expect.body_matches` is not a regular expression: unclosed group",
        ),
        error(
            "interval = \"1m\"",
            "interval = \"1m\"\nexpect = { json_path = \"a..b\", value = \"ok\" }",
            "\"a..b\"",
            "bad-json-path",
            "\"a..b\" is not a JSON path: an empty name (e.g. \"$.status.db\" or \"items[0].id\")",
        ),
        error(
            "interval = \"1m\"",
            "interval = \"1m\"\ntls_verify = false\nca = \"ca.pem\"",
            "\"ca.pem\"",
            "ignored-key",
            "monitor \"web\" does not verify certificates (tls_verify = false): its `ca` is never used",
        )
        .warning(),
        error(
            "target = \"https://app.example.com/\"",
            "target = \"app.example.com\"",
            "\"app.example.com\"",
            "bad-url",
            "target \"app.example.com\" is not an http:// or https:// URL",
        ),
        error(
            "restore = \"db\", site = \"cloud\"",
            "restore = \"db\", site = \"branch\"",
            "\"branch\" }",
            "no-copy-at-site",
            "backup \"db\" has no target repository on site \"branch\": there is nothing to restore from there",
        ),
        error(
            "targets = [\"nas\", \"s3\"]",
            "targets = [\"nas\", \"s3\"]\nretention = {}",
            "{}",
            "empty-retention",
            "backup \"db\"'s retention keeps nothing",
        ),
        error(
            "{ name = \"Check\", command = \"true\" }",
            "{ name = \"Check\", comand = \"true\" }",
            "{ name = \"Check\", comand",
            "missing-kind",
            "this step has none of the keys that say what it does: `restore`, `command`, `http`, `sql`, `wait_for`, `manual`, `notify`, `simulate`",
        ),
        error(
            "{ name = \"Check\", command = \"true\" }",
            "{ name = \"Check\", command = \"true\", manual = \"Look\" }",
            "{ name = \"Check\", command",
            "ambiguous-kind",
            "this step has both `command` and `manual`; it must do exactly one thing",
        ),
        error(
            "mtpd = \"2d\"",
            "mtpd = \"2d\"\nimpacts = [{ after = \"1d\", severity = 3, description = \"x\" }, { after = \"4h\", severity = 2, description = \"y\" }]",
            "\"4h\", severity = 2",
            "impacts-out-of-order",
            "process \"billing\"'s impacts are not in increasing order of `after`",
        )
        .warning(),
        error(
            "id = \"default\"",
            "id = \"oncall\"",
            "\"web\"",
            "no-default-escalation",
            "monitor \"web\" names no escalation and there is no escalation with id \"default\": its alerts would reach nobody",
        )
        .warning(),
        error(
            "email = \"boss@example.com\"\n",
            "",
            "\"boss\"\nname",
            "unreachable-contact",
            "contact \"boss\" has neither phone nor email: nobody can reach them in a crisis",
        )
        .warning(),
        error(
            "to = [\"ops@example.com\"]",
            "to = [\"ops.example.com\"]",
            "\"ops.example.com\"",
            "bad-email",
            "\"ops.example.com\" is not an e-mail address",
        ),
        error(
            "mitigated_by = [\"s3\"]",
            "mitigated_by = [\"s3\"]\n\n[sla]\ntargets = [{ monitor = \"web\", uptime = 120 }]",
            "120",
            "uptime-out-of-range",
            "uptime = 120 is not a percentage above 0 and at most 100",
        ),
        error(
            "mitigated_by = [\"s3\"]",
            "mitigated_by = [\"s3\"]\n\n[sla]\nreport_to = [\"bos\"]",
            "\"bos\"",
            "dangling-reference",
            "the monthly SLA report refers to \"bos\", which is not a contact of this plan",
        ),
        error(
            "mitigated_by = [\"s3\"]",
            "mitigated_by = [\"s3\"]\n\n[[contact]]\nid = \"cfo\"\nname = \"CFO\"\nphone = \"+33 1 02 03 04 05\"\n\n[sla]\nreport_to = [\"cfo\"]",
            "[\"cfo\"]",
            "no-email",
            "contact \"cfo\" is to receive the monthly SLA report by e-mail, but has no e-mail address",
        )
        .offset(1),
        error(
            "interval = \"1m\"",
            "interval = \"0s\"",
            "\"0s\"",
            "zero-duration",
            "interval cannot be 0s",
        ),
        error(
            "[[monitor]]\nid = \"web\"",
            "[[monitor]]\nid = \"beat\"\nkind = \"heartbeat\"\ngrace = \"1h\"\n\n[[monitor]]\nid = \"web\"",
            "\"heartbeat\"",
            "missing-key",
            "monitor \"beat\" is a heartbeat and needs a `period`: when the job is expected to ping",
        ),
        error(
            "name = \"Boss\"",
            "name = \"Boss\"\nalternates = [\"boss\"]",
            "[\"boss\"]",
            "self-reference",
            "contact \"boss\" is listed as their own alternate",
        ),
    ]
}

/// `(line, column)` of `needle` in `text`, plus `offset` characters.
fn position(text: &str, needle: &str, offset: usize) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} is not in the plan"));
    let lc = LineIndex::new(text).line_col(at);
    (lc.line, lc.column + offset)
}

#[test]
fn the_base_plan_is_clean() {
    let checked = plan::check(BASE);
    assert!(checked.findings.is_empty(), "{:#?}", checked.findings);
    assert!(checked.valid_plan().is_some());
}

#[test]
fn each_rule_reports_its_finding_at_the_right_place() {
    let mut failures = Vec::new();
    for case in cases() {
        assert_eq!(
            BASE.matches(case.from).count(),
            1,
            "{:?} must occur once in the base plan",
            case.from
        );
        let text = BASE.replacen(case.from, case.to, 1);
        let checked = plan::check(&text);
        let index = LineIndex::new(&text);
        let found = checked.findings.iter().find(|f| f.code == case.code);
        let Some(f) = found else {
            failures.push(format!(
                "[{}] not reported; got {:?}",
                case.code,
                checked
                    .findings
                    .iter()
                    .map(|f| (f.code, f.message.as_str()))
                    .collect::<Vec<_>>()
            ));
            continue;
        };
        let lc = f.span.as_ref().map(|s| index.line_col(s.start));
        let got = (
            lc.map(|l| (l.line, l.column)),
            f.severity,
            f.message.as_str(),
        );
        let want = (
            Some(position(&text, case.at, case.offset)),
            case.severity,
            case.message,
        );
        if got != want {
            failures.push(format!("[{}]\n  got  {got:?}\n  want {want:?}", case.code));
        }
        let mut codes: Vec<&str> = checked.findings.iter().map(|f| f.code).collect();
        codes.sort_unstable();
        let mut expected: Vec<&str> = case.also.iter().copied().chain([case.code]).collect();
        expected.sort_unstable();
        if codes != expected {
            failures.push(format!(
                "[{}] other findings: got {codes:?}, want {expected:?}",
                case.code
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// English words that have no business in a French finding.
const ENGLISH: &[&str] = &[
    " is not ",
    " has no ",
    " cannot ",
    "did you mean",
    " the ",
    " which ",
    " needs ",
    " e.g. ",
    " only ",
    " refers to ",
    " must ",
];

#[test]
fn every_finding_of_every_rule_is_said_in_french() {
    let mut failures = Vec::new();
    for case in cases() {
        let text = BASE.replacen(case.from, case.to, 1);
        let checked = plan::check(&text);
        for f in &checked.findings {
            let key = f.say["key"].as_str().unwrap_or_default();
            let french = f.message_in(Lang::Fr);
            let hint = f.hint_in(Lang::Fr).unwrap_or_default();
            let english = ENGLISH
                .iter()
                .find(|w| french.contains(*w) || hint.contains(*w));
            if key == "plain-text" || french == f.message || english.is_some() {
                failures.push(format!("[{}] {key}: {french} / {hint}", f.code));
            }
            if f.hint.is_some() && f.hint_in(Lang::Fr) == f.hint {
                failures.push(format!("[{}] hint not translated: {hint}", f.code));
            }
        }
        let report = plan::finding::render("plan.toml", Some(&text), &checked.findings, Lang::Fr);
        assert!(
            report.contains(": erreur: ") || report.contains(": avertissement: "),
            "{report}"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_rare_image_backup_does_not_hide_a_frequent_dump() {
    // The database also has a weekly image: its hourly dump still bounds the data loss.
    let text = format!(
        "{BASE}\n[[backup]]\nid = \"image\"\nprotects = [\"db\"]\nsource = {{ paths = [\"/\"] }}\nschedule = \"0 3 * * 0\"\ntargets = [\"nas\", \"s3\"]\n"
    );
    let checked = plan::check(&text);
    assert!(checked.findings.is_empty(), "{:#?}", checked.findings);
    // Without the dump, the weekly image is all there is: the RPO is out of reach.
    let text = text.replacen("schedule = \"every 1h\"", "schedule = \"every 2w\"", 1);
    let checked = plan::check(&text);
    let codes: Vec<&str> = checked.findings.iter().map(|f| f.code).collect();
    assert_eq!(codes, ["rpo-unreachable"], "{:#?}", checked.findings);
    assert!(
        checked.findings[0]
            .message
            .contains("backup \"image\" of asset \"db\" (\"0 3 * * 0\") runs as much as 7d apart")
    );
}

#[test]
fn hints_name_the_fix() {
    let hint = |from: &str, to: &str, code: &str| {
        let checked = plan::check(&BASE.replacen(from, to, 1));
        checked
            .findings
            .iter()
            .find(|f| f.code == code)
            .and_then(|f| f.hint.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        hint(
            "depends_on = [\"app\"]",
            "depend_on = [\"app\"]",
            "unknown-key"
        ),
        "did you mean `depends_on`?"
    );
    assert_eq!(
        hint(
            "depends_on = [\"app\"]",
            "depends_on = [\"ap\"]",
            "dangling-reference"
        ),
        "did you mean \"app\"?"
    );
    assert_eq!(
        hint(
            "timezone = \"Europe/Paris\"",
            "timezone = \"Europe/Pari\"",
            "bad-timezone"
        ),
        "did you mean \"Europe/Paris\"?"
    );
    assert_eq!(
        hint(
            "criticality = \"vital\"",
            "criticality = \"vitale\"",
            "unknown-word"
        ),
        "did you mean \"vital\"?"
    );
    assert!(
        hint(
            "password = { env = \"NAS_PASSWORD\" }",
            "password = \"s3cr3t\"",
            "inline-secret"
        )
        .contains("password = { env = \"REMPART_NAS_PASSWORD\" }")
    );
    assert_eq!(
        hint("rto = \"4h\"", "rto = 4", "wrong-type"),
        "give a unit, e.g. \"4s\", \"4m\" or \"4h\""
    );
}

#[test]
fn an_inline_secret_never_appears_in_the_report() {
    let text = BASE.replacen(
        "password = { env = \"NAS_PASSWORD\" }",
        "password = \"correct horse battery staple\"",
        1,
    );
    let checked = plan::check(&text);
    let report = plan::finding::render(
        "plan.toml",
        Some(&text),
        &checked.findings,
        rempart_i18n::Lang::En,
    );
    assert!(report.contains("inline-secret") || report.contains("secret written inline"));
    assert!(!report.contains("horse"), "{report}");
    let json = serde_json::to_string(&checked.findings).unwrap();
    assert!(!json.contains("horse"), "{json}");
}

#[test]
fn five_mistakes_give_five_findings_in_source_order() {
    let text = BASE
        .replacen("rto = \"4h\"", "rto = \"3d\"", 1)
        .replacen(
            "depends_on = [\"app\"]",
            "depends_on = [\"app\", \"erp\"]",
            1,
        )
        .replacen(
            "kind = \"primary\"",
            "kind = \"primary\"\nadress = \"1 rue de la Paix\"",
            1,
        )
        .replacen("probability = 2", "probability = 9", 1)
        .replacen("schedule = \"every 1h\"", "schedule = \"every 2h\"", 1);
    let checked = plan::check(&text);
    let report = plan::finding::render(
        "rempart.toml",
        Some(&text),
        &checked.findings,
        rempart_i18n::Lang::En,
    );
    let heads: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("rempart.toml:"))
        .collect();
    assert_eq!(
        heads,
        [
            "rempart.toml:9:1: error: unknown key `adress` in `site[0]`",
            "rempart.toml:37:7: error: process \"billing\" has rto = 3d but mtpd = 2d — the RTO must be below the MTPD",
            "rempart.toml:38:7: error: process \"billing\" has rpo = 1h but backup \"db\" of asset \"db\" runs every 2h: the data written between two runs could be lost",
            "rempart.toml:40:22: error: process \"billing\" refers to \"erp\", which is not an asset or a process of this plan",
            "rempart.toml:93:15: error: risk \"fire\" has probability = 9, outside 1..5",
        ],
        "{report}"
    );
    assert_eq!(checked.errors(), 5);
    assert!(checked.valid_plan().is_none());
}

#[test]
fn a_ca_file_that_is_not_there_is_a_warning_with_its_place() {
    let dir = std::env::temp_dir().join(format!("rempart-ca-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = BASE.replacen(
        "interval = \"1m\"",
        "interval = \"1m\"\nca = \"certs/ca.pem\"",
        1,
    );
    let mut checked = plan::check(&text);
    assert_eq!(checked.findings.len(), 0, "{:?}", checked.findings);
    checked.check_files(&dir);
    let f = &checked.findings[0];
    assert_eq!((f.code, f.severity), ("unreadable-file", Severity::Warning));
    assert!(
        f.message.starts_with(&format!(
            "monitor \"web\"'s `ca`: cannot read {}: ",
            dir.join("certs/ca.pem").display()
        )),
        "{}",
        f.message
    );
    let index = LineIndex::new(&text);
    let lc = index.line_col(f.span.clone().unwrap().start);
    assert_eq!((lc.line, lc.column), position(&text, "\"certs/ca.pem\"", 0));
    // Not a certificate, then a real one.
    std::fs::create_dir_all(dir.join("certs")).unwrap();
    std::fs::write(dir.join("certs/ca.pem"), "not a certificate").unwrap();
    let mut checked = plan::check(&text);
    checked.check_files(&dir);
    assert!(
        checked.findings[0]
            .message
            .ends_with("holds no PEM certificate; it will be down until this is fixed")
    );
    std::fs::write(
        dir.join("certs/ca.pem"),
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let mut checked = plan::check(&text);
    checked.check_files(&dir);
    assert!(checked.findings.is_empty(), "{:?}", checked.findings);
    let _ = std::fs::remove_dir_all(&dir);
}
