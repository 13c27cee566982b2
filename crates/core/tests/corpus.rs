//! Replays the fuzzer's corpus and every shipped plan through the checker:
//! no input panics, and every plan it accepts prints back to TOML that reads
//! as the same plan. New inputs come from `scripts/fuzz`.

use std::path::{Path, PathBuf};

use rempart_core::plan;

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn the_corpus_never_panics_and_accepted_plans_round_trip() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut inputs = files_in(&repo.join("fuzz/corpus/check_plan"));
    inputs.extend(files_in(&repo.join("fuzz/regressions")));
    for dir in std::fs::read_dir(repo.join("examples"))
        .expect("examples/")
        .flatten()
    {
        let plan = dir.path().join("rempart.toml");
        if plan.is_file() {
            inputs.push(plan);
        }
    }
    assert!(
        inputs.len() >= 2,
        "no corpus found under {}",
        repo.display()
    );
    let (mut accepted, mut refused) = (0, 0);
    for input in &inputs {
        let bytes = std::fs::read(input).expect("readable corpus file");
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let checked = plan::check(text);
        let _ = plan::finding::render(
            "corpus.toml",
            Some(text),
            &checked.findings,
            rempart_i18n::Lang::Fr,
        );
        match checked.valid_plan() {
            Some(valid) => {
                accepted += 1;
                let again = plan::check(&valid.to_toml());
                assert_eq!(again.plan.as_ref(), Some(valid), "{}", input.display());
            }
            None => {
                refused += 1;
                assert!(
                    checked.errors() > 0,
                    "{}: refused without an error",
                    input.display()
                );
            }
        }
    }
    assert!(
        accepted >= 2,
        "the examples must be accepted ({accepted} accepted, {refused} refused)"
    );
}
