//! Any text given to the plan checker: it must never panic, and a plan it
//! accepts must print back to TOML that reads as the same plan.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rempart_core::plan;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let checked = plan::check(text);
    let _ = plan::finding::render("fuzz.toml", Some(text), &checked.findings);
    if let Some(valid) = checked.valid_plan() {
        let again = plan::check(&valid.to_toml());
        assert_eq!(again.plan.as_ref(), Some(valid), "printing changed the plan");
    }
});
