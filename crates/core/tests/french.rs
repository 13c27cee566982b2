//! Reading a plan speaks the reader's language: every sentence about a
//! plan's syntax, types, keys and values comes from the catalogue, in
//! English and in French, none falls back to plain text.

use rempart_core::plan::{self, Duration, Finding, Location, Schedule, finding::render};
use rempart_i18n::Lang;

const BASE: &str = include_str!("plans/base.toml");

/// The codes of the findings of reading a plan (before its rules).
const DECODING: &[&str] = &[
    "toml-syntax",
    "wrong-type",
    "unknown-key",
    "missing-key",
    "bad-id",
    "bad-duration",
    "bad-schedule",
    "bad-location",
    "out-of-range",
    "inline-secret",
    "bad-secret-ref",
    "missing-kind",
    "ambiguous-kind",
    "unknown-word",
];

/// The plan, with each `(from, to)` replaced once.
fn changed(changes: &[(&str, &str)]) -> String {
    let mut text = BASE.to_owned();
    for (from, to) in changes {
        assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
        text = text.replacen(from, to, 1);
    }
    text
}

fn key(said: &serde_json::Value) -> &str {
    said["key"].as_str().unwrap_or_default()
}

/// Every decoding finding is a sentence of the catalogue, its hint too,
/// and reads differently in French.
fn assert_said_in_french(findings: &[Finding]) {
    for f in findings.iter().filter(|f| DECODING.contains(&f.code)) {
        assert_ne!(key(&f.say), "plain-text", "{f:#?}");
        assert!(key(&f.say).starts_with("plan-"), "{f:#?}");
        let french = f.message_in(Lang::Fr);
        assert_ne!(french, f.message, "not translated: {f:#?}");
        assert_eq!(f.message_in(Lang::En), f.message);
        // A nested sentence the catalogue does not know shows as JSON.
        assert!(!french.contains("\"key\""), "{french}");
        if let Some(hint) = &f.hint_say {
            assert_ne!(key(hint), "plain-text", "{f:#?}");
            let french = f.hint_in(Lang::Fr).unwrap_or_default();
            assert_ne!(
                Some(&french),
                f.hint.as_ref(),
                "hint not translated: {f:#?}"
            );
            assert!(!french.contains("\"key\""), "{french}");
        }
    }
}

#[test]
fn decoding_problems_are_said_in_french() {
    let text = changed(&[
        // Missing required key.
        ("name = \"Test SARL\"\n", ""),
        // Unknown enum word.
        ("kind = \"primary\"", "kind = \"primery\""),
        // Wrong type: an integer for a duration.
        ("rto = \"4h\"", "rto = 4"),
        // Bad duration.
        ("mtpd = \"2d\"", "mtpd = \"2 days\""),
        // Unknown key.
        ("depends_on = [\"app\"]", "depend_on = [\"app\"]"),
        // Bad location.
        ("location = \"/srv/repo\"", "location = \"sftp://nas/repo\""),
        // Inline secret.
        (
            "password = { env = \"NAS_PASSWORD\" }",
            "password = \"correct horse\"",
        ),
        // Bad schedule, its duration explained inside.
        ("schedule = \"every 1h\"", "schedule = \"every 1 hour\""),
        // Two kinds for one step.
        (
            "{ name = \"Check\", command = \"true\" }",
            "{ name = \"Check\", command = \"true\", manual = \"look\" }",
        ),
        // A string where a list is expected.
        ("to = [\"ops@example.com\"]", "to = \"ops@example.com\""),
        // Wrong type: a string for an integer; then out of range.
        ("probability = 2", "probability = \"2\""),
        ("impact = 5", "impact = 500"),
    ]);
    let checked = plan::check(&text);
    let codes: Vec<&str> = checked.findings.iter().map(|f| f.code).collect();
    for code in [
        "missing-key",
        "unknown-word",
        "wrong-type",
        "bad-duration",
        "unknown-key",
        "bad-location",
        "inline-secret",
        "bad-schedule",
        "ambiguous-kind",
        "out-of-range",
    ] {
        assert!(codes.contains(&code), "{code} missing in {codes:?}");
    }
    assert_said_in_french(&checked.findings);

    let english = render("rempart.toml", Some(&text), &checked.findings, Lang::En);
    let french = render("rempart.toml", Some(&text), &checked.findings, Lang::Fr);
    assert_ne!(english, french);
    assert!(french.contains(": erreur: "), "{french}");
    assert!(!french.contains("plain-text"), "{french}");
    assert!(!french.contains("horse"), "{french}");
    for sentence in [
        "la clé obligatoire `name` manque dans `organization`",
        "`kind` = « primery » ne fait pas partie des valeurs « primary », « secondary »",
        "`rto` doit être une durée comme « 15m » ou « 4h », trouvé un entier",
        "conseil : précisez une unité, par ex. « 4s », « 4m » ou « 4h »",
        "`mtpd` : « 2 days » n'est pas une durée ; écrivez un nombre suivi d'une unité",
        "clé inconnue `depend_on` dans `process[0]`",
        "conseil : vouliez-vous dire `depends_on` ?",
        "`password` est un secret écrit en clair dans le plan",
        "`schedule` : dans « every 1 hour » : « 1 hour » n'est pas une durée",
        "cette étape a à la fois `command` et `manual`",
        "`to` doit être une liste, trouvé une chaîne",
        "`probability` doit être un entier, trouvé une chaîne",
        "`impact` = 500 est hors limites (0..=255)",
    ] {
        assert!(french.contains(sentence), "{sentence:?} not in:\n{french}");
    }
    // The English stays as it was.
    for sentence in [
        "`organization` is missing the required key `name`",
        "`rto` should be a duration such as \"15m\" or \"4h\", found an integer",
        "`schedule`: in \"every 1 hour\": \"1 hour\" is not a duration",
        "this step has both `command` and `manual`; it must do exactly one thing",
    ] {
        assert!(
            english.contains(sentence),
            "{sentence:?} not in:\n{english}"
        );
    }
}

#[test]
fn a_toml_syntax_error_is_said_in_french() {
    let text = changed(&[("name = \"Billing\"", "name = \"Billing")]);
    let checked = plan::check(&text);
    assert_eq!(checked.findings.len(), 1, "{:#?}", checked.findings);
    assert_eq!(checked.findings[0].code, "toml-syntax");
    assert_said_in_french(&checked.findings);
    let french = render("rempart.toml", Some(&text), &checked.findings, Lang::Fr);
    assert!(
        french.contains(": erreur: syntaxe TOML incorrecte : invalid basic string"),
        "{french}"
    );
    assert!(
        french.contains("conseil : corrigez d'abord la syntaxe TOML"),
        "{french}"
    );
}

#[test]
fn wrong_secret_references_and_kinds_are_said_in_french() {
    let text = changed(&[
        (
            "password = { env = \"NAS_PASSWORD\" }",
            "password = { env = \"1NAS\" }",
        ),
        (
            "password = { env = \"S3_PASSWORD\" }",
            "password = { secret = \"-bad\" }",
        ),
        (
            "{ name = \"Check\", command = \"true\" }",
            "{ name = \"Check\", comand = \"true\" }",
        ),
        ("kind = \"email\"", "kind = 3"),
        ("id = \"fire\"", "id = \"fire!\""),
        ("[organization]", "risks = 1\n\n[organization]"),
    ]);
    let checked = plan::check(&text);
    let codes: Vec<&str> = checked.findings.iter().map(|f| f.code).collect();
    for code in [
        "bad-secret-ref",
        "missing-kind",
        "wrong-type",
        "bad-id",
        "unknown-key",
    ] {
        assert!(codes.contains(&code), "{code} missing in {codes:?}");
    }
    assert_said_in_french(&checked.findings);
    let french = render("rempart.toml", Some(&text), &checked.findings, Lang::Fr);
    for sentence in [
        "« 1NAS » n'est pas un nom de variable d'environnement",
        "« -bad » n'est pas un nom de secret",
        "cette étape n'a aucune des clés qui disent ce qu'elle fait",
        "vouliez-vous dire `command` ?",
        "`kind` doit être l'une des valeurs « email », « webhook »",
        "`id` : un identifiant s'écrit avec des lettres ASCII",
        "clé inconnue `risks` au premier niveau du plan",
    ] {
        assert!(french.contains(sentence), "{sentence:?} not in:\n{french}");
    }
}

#[test]
fn refused_values_are_said_in_the_reader_s_language() {
    let why = Duration::parse("15").unwrap_err();
    assert!(why.to_string().contains("without a unit"), "{why}");
    assert!(
        why.tell(Lang::Fr).contains("« 15 » a un nombre sans unité"),
        "{}",
        why.tell(Lang::Fr)
    );
    let why = Schedule::parse("0 2 * *").unwrap_err();
    assert!(why.tell(Lang::Fr).ends_with("il a 4 champs"), "{why}");
    let why = Schedule::parse("0 2 * * * *").unwrap_err();
    assert!(why.tell(Lang::Fr).ends_with("il a 6 champs"), "{why}");
    let why = Location::parse("s3://UPPER/x").unwrap_err();
    assert!(why.tell(Lang::Fr).contains("nom de bucket S3"), "{why}");
    let why = plan::json_pointer("a[x]").unwrap_err();
    assert_eq!(
        why.tell(Lang::Fr),
        "« a[x] » n'est pas un chemin JSON : un indice est un nombre entre crochets (par ex. « $.status.db » ou « items[0].id »)"
    );
    let not_utf8 = plan::finding::utf8(b"name = \"Soci\xe9t\xe9\"").unwrap_err();
    let french = rempart_i18n::tell(Lang::Fr, &not_utf8.said()).unwrap_or_default();
    assert!(
        french.starts_with("1:13 : le plan n'est pas du texte UTF-8 (octet 0xE9"),
        "{french}"
    );
    assert!(
        not_utf8
            .to_string()
            .starts_with("1:13: the plan is not UTF-8 text (byte 0xE9 here)"),
        "{not_utf8}"
    );
}
