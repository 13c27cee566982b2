//! The JSON Schema printed by `rempart plan schema` accepts every example
//! plan and refuses what the parser refuses.

use std::path::{Path, PathBuf};

use rempart_core::plan;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every plan the project ships: examples, starter plans, test base.
fn shipped_plans() -> Vec<PathBuf> {
    let mut plans = Vec::new();
    for dir in ["examples"] {
        for entry in std::fs::read_dir(repo().join(dir)).expect("examples/ exists") {
            let file = entry.expect("readable").path().join("rempart.toml");
            if file.exists() {
                plans.push(file);
            }
        }
    }
    for entry in std::fs::read_dir(repo().join("crates/rempart/src/starter")).expect("starter/") {
        plans.push(entry.expect("readable").path());
    }
    plans.push(repo().join("crates/core/tests/plans/base.toml"));
    plans.sort();
    plans
}

fn as_json(text: &str) -> serde_json::Value {
    let value: toml::Value = toml::from_str(text).expect("valid TOML");
    serde_json::to_value(value).expect("TOML converts to JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&plan::json_schema()).expect("the schema is a valid JSON Schema")
}

#[test]
fn the_schema_accepts_every_shipped_plan() {
    let validator = validator();
    let plans = shipped_plans();
    assert!(plans.len() >= 5, "{plans:?}");
    for file in plans {
        let text = std::fs::read_to_string(&file).expect("readable plan");
        let errors: Vec<String> = validator
            .iter_errors(&as_json(&text))
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
        // And the parser agrees that it is a valid plan.
        assert!(
            plan::check(&text).valid_plan().is_some(),
            "{}",
            file.display()
        );
    }
}

#[test]
fn the_schema_refuses_what_the_parser_refuses() {
    let validator = validator();
    let base = include_str!("plans/base.toml");
    for (from, to) in [
        ("depends_on = [\"app\"]", "depend_on = [\"app\"]"),
        ("rto = \"4h\"", "rto = 4"),
        ("rto = \"4h\"", "rto = \"4 hours\""),
        ("criticality = \"vital\"", "criticality = \"vitale\""),
        (
            "{ name = \"Check\", command = \"true\" }",
            "{ name = \"Check\" }",
        ),
        (
            "{ name = \"Check\", command = \"true\" }",
            "{ command = \"true\" }",
        ),
        ("kind = \"email\"", "kind = \"pigeon\""),
        (
            "to = [\"ops@example.com\"]",
            "url = \"https://example.com\"",
        ),
        (
            "password = { env = \"NAS_PASSWORD\" }",
            "password = \"hunter2\"",
        ),
        (
            "password = { env = \"NAS_PASSWORD\" }",
            "password = { env = \"A\", file = \"/b\" }",
        ),
        (
            "source = { command = \"pg_dump -Fc app\", filename = \"app.dump\" }",
            "source = { command = \"pg_dump -Fc app\" }",
        ),
        ("rto = \"4h\"\n", ""),
        ("probability = 2", "probability = 6"),
    ] {
        assert_eq!(base.matches(from).count(), 1, "{from}");
        let text = base.replacen(from, to, 1);
        assert!(
            !validator.is_valid(&as_json(&text)),
            "the schema accepts {to:?}"
        );
        assert!(plan::check(&text).errors() > 0, "the parser accepts {to:?}");
    }
}
