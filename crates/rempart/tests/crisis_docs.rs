//! What a crisis leaves behind, for real: the post-incident report of a
//! crisis and of an exercise (read back with `pdftotext`, in both
//! languages, each figure with its evidence number, the same bytes from
//! the same evidence, its SHA-256 in a `report` record), and the offline
//! crisis kit after a real backup (opened in headless Chromium, its
//! restic commands run with restic alone, no password in any file).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{
    Scratch, code_blocks, has_phrase, local_plan, ok, pdf_words, rempart, run_with_restic_alone,
    sha256, walk,
};
use rempart_i18n::{Lang, tr};
use serde_json::Value;

/// A plan and a data folder of the test's own.
struct Tenant {
    dir: Scratch,
    plan: String,
    data: String,
}

impl Tenant {
    /// The accounting office of the examples, as it ships.
    fn example(name: &str) -> Tenant {
        let dir = Scratch::new(name);
        let plan = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/accounting-office/rempart.toml")
            .display()
            .to_string();
        let data = dir.join("data").display().to_string();
        Tenant { dir, plan, data }
    }

    fn args<'a>(&'a self, more: &[&'a str]) -> Vec<&'a str> {
        let mut a = vec!["-c", self.plan.as_str(), "--data-dir", self.data.as_str()];
        a.extend_from_slice(more);
        a
    }

    fn run(&self, more: &[&str]) -> String {
        ok(rempart(&self.args(more)))
    }

    fn evidence(&self, kind: &str) -> Vec<Value> {
        let out = self.run(&["evidence", "list", "--kind", kind, "--json"]);
        serde_json::from_str::<Value>(&out).expect("json")["records"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The `crisis` record whose event is `event` (the first such).
    fn crisis_record(&self, event: &str) -> Value {
        self.evidence("crisis")
            .into_iter()
            .find(|e| e["measurements"]["event"] == event)
            .unwrap_or_else(|| panic!("no {event} record"))
    }

    /// `rempart [--lang LANG] report crisis -o FILE --json`, read back.
    fn report(&self, lang: &str, file: &str, more: &[&str]) -> (PathBuf, Value) {
        let path = self.dir.join(file);
        let mut args = vec![
            "--lang",
            lang,
            "report",
            "crisis",
            "-o",
            path.to_str().unwrap(),
        ];
        args.extend_from_slice(more);
        args.push("--json");
        let said: Value = serde_json::from_str(&self.run(&args)).expect("json");
        (path, said)
    }
}

fn seq(record: &Value) -> i64 {
    record["seq"].as_i64().expect("a record number")
}

/// The catalogue's sentence `key` in `lang`, as `pdftotext` reads it.
fn said(lang: Lang, key: &str) -> String {
    tr(lang, key, &[]).replace('\u{2019}', "'")
}

#[test]
fn a_closed_crisis_has_its_post_incident_report_in_both_languages() {
    let t = Tenant::example("crisis-report");
    t.run(&[
        "crisis",
        "declare",
        "--title",
        "Server room flooded",
        "--severity",
        "1",
        "--process",
        "vat-returns",
        "--significant",
    ]);
    t.run(&[
        "crisis",
        "note",
        "We restore on the MSP's replica",
        "--decision",
    ]);
    t.run(&["crisis", "note", "The insurer was called"]);
    t.run(&[
        "crisis",
        "action",
        "add",
        "offsite",
        "--title",
        "Move the backup NAS out of the server room",
        "--owner",
        "msp-oncall",
        "--due",
        "2027-01-15",
    ]);
    t.run(&["crisis", "close"]);
    let declared = seq(&t.crisis_record("declared"));
    let decision = seq(&t.crisis_record("note"));
    let action = seq(&t.crisis_record("action"));
    let closed = seq(&t.crisis_record("closed"));

    for lang in ["en", "fr"] {
        let (pdf, made) = t.report(lang, &format!("crisis-{lang}.pdf"), &[]);
        let bytes = std::fs::read(&pdf).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let flat = pdf_words(&pdf);
        let l = Lang::parse(lang).unwrap();
        for expected in [
            said(l, "report-title-crisis"),
            "Server room flooded".to_owned(),
            "We restore on the MSP's replica".to_owned(),
            "The insurer was called".to_owned(),
            "Move the backup NAS out of the server room".to_owned(),
            "Thomas Garnier".to_owned(),
            said(l, "report-not-measured"),
        ] {
            assert!(
                flat.contains(&expected),
                "{lang}: no {expected:?} in {flat}"
            );
        }
        // The declaration and the closing cited, the decision and the
        // action with their records, the RPO not measured (nothing was
        // restored) and the NIS2 early warning not submitted.
        let cite = |seq: i64| match lang {
            "fr" => format!("preuve n° {seq}"),
            _ => format!("evidence #{seq}"),
        };
        for expected in [cite(declared), cite(closed), cite(decision)] {
            assert!(
                flat.contains(&expected),
                "{lang}: no {expected:?} in {flat}"
            );
        }
        assert!(flat.contains(&format!("#{action}")), "{flat}");
        assert!(
            flat.contains(&said(l, "crisis-doc-rpo-why")),
            "{lang}: why the RPO is not measured"
        );
        assert!(
            flat.contains(&said(l, "crisis-doc-not-submitted")),
            "{flat}"
        );
        assert!(!flat.contains("EXERCISE"), "not an exercise");

        // The digest the report record keeps is the file's.
        let digest = sha256(&bytes);
        assert_eq!(made["sha256"].as_str(), Some(digest.as_str()));
        let record = t
            .evidence("report")
            .into_iter()
            .find(|e| e["seq"] == made["evidence_seq"])
            .expect("the report record");
        assert_eq!(record["measurements"]["kind"], "crisis");
        assert_eq!(
            record["measurements"]["sha256"].as_str(),
            Some(digest.as_str())
        );
        assert_eq!(record["measurements"]["head_seq"].as_i64(), Some(closed));
        assert!(
            record["measurements"]["crisis"]
                .as_str()
                .is_some_and(|c| c.starts_with("crisis-"))
        );
    }

    // No English sentence of the catalogue in the French report.
    let fr = pdf_words(&t.dir.join("crisis-fr.pdf"));
    for key in [
        "report-title-crisis",
        "report-not-measured",
        "report-evidence",
        "crisis-doc-summary",
        "crisis-doc-cell",
        "crisis-doc-outcome",
        "crisis-doc-deadlines",
        "crisis-doc-checklist",
        "crisis-doc-notes",
        "crisis-doc-decisions",
        "crisis-doc-messages",
        "crisis-doc-no-message",
        "crisis-doc-actions",
        "crisis-doc-timeline",
        "crisis-doc-col-held-by",
        "crisis-doc-col-passed-over",
        "crisis-doc-col-measured-from",
        "crisis-doc-col-obligation",
        "crisis-doc-no-answer",
        "crisis-doc-action-open",
        "crisis-doc-not-submitted",
        "crisis-doc-rpo-why",
        "crisis-doc-regulatory-nis2",
    ] {
        let (english, french) = (said(Lang::En, key), said(Lang::Fr, key));
        // A word both languages share ("Obligation") proves nothing.
        assert!(
            english == french || !has_phrase(&fr, &english),
            "English {key:?} ({english:?}) in the French report"
        );
        assert!(fr.contains(&french), "French {key:?} ({french:?}) missing");
    }

    // Same evidence, same bytes: the report records written in between
    // are not what a document stands on.
    let (again, _) = t.report("fr", "again.pdf", &[]);
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(t.dir.join("crisis-fr.pdf")).unwrap(),
        "byte-identical from the same evidence"
    );

    // The crisis named by its id; in Markdown and HTML too.
    let id = t.crisis_record("declared")["subject"]
        .as_str()
        .unwrap()
        .to_owned();
    for format in ["md", "html"] {
        let (file, _) = t.report(
            "en",
            &format!("crisis.{format}"),
            &["--crisis", &id, "--format", format],
        );
        let text = std::fs::read_to_string(file).unwrap();
        assert!(text.contains("Server room flooded") && text.contains(&id));
    }

    // A crisis that does not exist is bad input: exit 2, the known ones named.
    let out = rempart(&t.args(&["report", "crisis", "--crisis", "crisis-nope", "-o", "-"]));
    assert_eq!(out.status.code(), Some(2));
    let why = String::from_utf8_lossy(&out.stderr);
    assert!(why.contains("crisis-nope") && why.contains(&id), "{why}");
}

#[test]
fn an_exercise_report_says_so_on_every_page() {
    let t = Tenant::example("crisis-exercise");
    // Before any crisis: nothing to report on, and the command says how.
    let out = rempart(&t.args(&["report", "crisis", "-o", "-"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rempart crisis declare"));

    t.run(&["crisis", "declare", "--exercise", "ransomware"]);
    t.run(&["crisis", "answer", "c-lefevre", "yes"]);
    t.run(&["crisis", "note", "Nobody pays the ransom", "--decision"]);
    t.run(&["crisis", "close"]);
    let answered = seq(&t.crisis_record("answered"));

    for lang in ["en", "fr"] {
        let (pdf, made) = t.report(lang, &format!("exercise-{lang}.pdf"), &[]);
        let flat = pdf_words(&pdf);
        let l = Lang::parse(lang).unwrap();
        // The title page and every page's head carry the mark.
        let marks = flat.matches("EXERCICE / EXERCISE").count();
        assert!(marks >= 4, "{lang}: the mark {marks} times in {flat}");
        for expected in [
            "Ransomware on the accounting server".to_owned(),
            said(l, "crisis-doc-reactions"),
            "Claire Lefèvre".to_owned(),
            "Nobody pays the ransom".to_owned(),
            format!("(#{answered})"),
        ] {
            assert!(
                flat.contains(&expected),
                "{lang}: no {expected:?} in {flat}"
            );
        }
        assert_eq!(made["kind"], "crisis");
    }
    // The Markdown and HTML documents carry it too.
    let (md, _) = t.report("en", "exercise.md", &["--format", "md"]);
    assert!(
        std::fs::read_to_string(md)
            .unwrap()
            .starts_with("> **EXERCICE / EXERCISE**")
    );
}

/// The base plan with real local repositories, and a crisis cell with
/// phones, a first-hour task and a message template.
const CRISIS_PLAN: &str = r#"
[[contact]]
id = "ceo"
name = "Hélène Dubois"
role = "Managing director"
phone = "+33 6 12 34 56 78"
email = "helene.dubois@example.com"
alternates = ["it"]

[[contact]]
id = "it"
name = "Marc Leroy"
role = "IT manager"
phone = "+33 7 98 76 54 32"
email = "marc.leroy@example.com"
alternates = ["ceo"]

[crisis]
cell = ["ceo", "it"]

[[crisis_task]]
id = "isolate"
title = "Unplug the office from the internet"
owner = "it"
within = "15m"

[[crisis_message]]
id = "staff"
audience = "staff"
to = ["ceo", "it"]
subject = "Incident under way: {title}"
text = "Do not switch your computers on until IT says so."
"#;

/// Headless Chromium's DOM of `url`, or its screenshot at `width` into `png`.
fn chromium(scratch: &Scratch, args: &[&str]) -> String {
    let profile = scratch.join("chromium-profile");
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium is installed (scripts/services installs Debian's)");
    assert!(
        out.status.success(),
        "chromium {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_crisis_kit_works_without_rempart() {
    let dir = Scratch::new("crisis-kit");
    let plan = local_plan(
        &dir.0,
        &dir.join("repos/nas").display().to_string(),
        "printf ledger-2026",
        CRISIS_PLAN,
    );
    let data = dir.join("data").display().to_string();
    let run = |more: &[&str]| {
        let mut a = vec!["-c", plan.as_str(), "--data-dir", data.as_str()];
        a.extend_from_slice(more);
        ok(rempart(&a))
    };
    run(&["repo", "init"]);
    run(&["backup", "run", "db"]);

    let kit = dir.join("kit");
    let made: Value = serde_json::from_str(&run(&[
        "crisis",
        "kit",
        "-o",
        kit.to_str().unwrap(),
        "--json",
    ]))
    .expect("json");
    let mut names: Vec<String> = std::fs::read_dir(&kit)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "contacts.vcf",
            "index.html",
            "manifest.json",
            "pra.html",
            "pra.pdf",
            "restore.md"
        ]
    );

    // The manifest lists every other file with its SHA-256, and its own
    // digest is the one the `kit` record keeps, with the evidence head.
    let manifest_bytes = std::fs::read(kit.join("manifest.json")).unwrap();
    let manifest: Value = serde_json::from_slice(&manifest_bytes).unwrap();
    let listed = manifest["files"].as_array().unwrap();
    assert_eq!(listed.len(), 5);
    for f in listed {
        let bytes = std::fs::read(kit.join(f["path"].as_str().unwrap())).unwrap();
        assert_eq!(f["sha256"].as_str(), Some(sha256(&bytes).as_str()));
    }
    let digest = sha256(&manifest_bytes);
    assert_eq!(made["sha256"].as_str(), Some(digest.as_str()));
    let reports: Value =
        serde_json::from_str(&run(&["evidence", "list", "--kind", "report", "--json"])).unwrap();
    let record = reports["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["seq"] == made["evidence_seq"])
        .cloned()
        .expect("the kit's report record");
    assert_eq!(record["measurements"]["kind"], "kit");
    assert_eq!(
        record["measurements"]["sha256"].as_str(),
        Some(digest.as_str())
    );
    assert_eq!(manifest["head_seq"], record["measurements"]["head_seq"]);
    assert!(manifest["head_seq"].as_i64().unwrap() > 0);

    // Opened from the folder in a browser: the cell's names and phones
    // (links to call), the first-hour task, the restic commands.
    let url = format!("file://{}", kit.join("index.html").display());
    let dom = chromium(&dir, &["--dump-dom", &url]);
    for expected in [
        "Hélène Dubois",
        "Marc Leroy",
        "+33 6 12 34 56 78",
        "href=\"tel:+33612345678\"",
        "href=\"mailto:marc.leroy@example.com\"",
        "Unplug the office from the internet",
        "Incident under way: {title}",
        "24 h",
        "restic dump latest --tag backup=db /app.dump &gt; app.dump",
        "href=\"pra.pdf\"",
        "href=\"contacts.vcf\"",
    ] {
        assert!(dom.contains(expected), "no {expected:?} in the kit's page");
    }
    assert!(!dom.contains("<script"), "a page without script");
    // Screenshots for people to look at: a phone and a desktop.
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("kit-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for width in [390, 1280] {
        let png = shots.join(format!("kit-{width}.png"));
        chromium(
            &dir,
            &[
                &format!("--screenshot={}", png.display()),
                &format!("--window-size={width},2400"),
                &url,
            ],
        );
        assert!(std::fs::metadata(&png).unwrap().len() > 10_000);
    }

    // The contact cards, for a phone.
    let vcf = std::fs::read_to_string(kit.join("contacts.vcf")).unwrap();
    assert_eq!(vcf.matches("BEGIN:VCARD\r\nVERSION:3.0\r\n").count(), 2);
    assert!(
        vcf.contains("FN:Hélène Dubois\r\n")
            && vcf.contains("TEL;TYPE=CELL,VOICE:+33 7 98 76 54 32\r\n")
    );

    // The restic commands of the kit, run with restic alone: each site
    // gives the data back.
    let md = std::fs::read_to_string(kit.join("restore.md")).unwrap();
    let scripts: Vec<String> = code_blocks(&md)
        .into_iter()
        .filter(|b| b.contains("restic dump latest --tag backup=db"))
        .collect();
    assert_eq!(scripts.len(), 2, "one per site: {md}");
    for (i, script) in scripts.iter().enumerate() {
        assert!(dom.contains(&script.lines().last().unwrap().replace('>', "&gt;")));
        let work = dir.join(&format!("restore-{i}"));
        std::fs::create_dir_all(&work).unwrap();
        let out = run_with_restic_alone(script, &work);
        assert!(
            out.status.success(),
            "{script}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            std::fs::read_to_string(work.join("app.dump")).unwrap(),
            "ledger-2026",
            "restored by restic alone"
        );
    }

    // No secret in any file of the kit: where each password is, never it.
    assert!(md.contains("secrets/nas"));
    for file in walk(&kit) {
        let bytes = std::fs::read(&file).unwrap();
        for secret in ["nas-password", "usb-password"] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{} holds {secret}",
                file.display()
            );
        }
    }
    // pra.pdf is compressed: its text is read back to look in it too.
    let pra = pdf_words(&kit.join("pra.pdf"));
    assert!(pra.contains("secrets/nas") && !pra.contains("nas-password"));

    // Made again from the same evidence: the same kit, replacing the old
    // one in place; a folder that is not a kit is never replaced.
    run(&["--lang", "en", "crisis", "kit", "-o", kit.to_str().unwrap()]);
    assert_eq!(
        std::fs::read(kit.join("manifest.json")).unwrap(),
        manifest_bytes
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".kit."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let out = rempart(&[
        "-c",
        &plan,
        "--data-dir",
        &data,
        "crisis",
        "kit",
        "-o",
        dir.join("secrets").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(dir.join("secrets/nas").is_file(), "left as it was");

    // In French, with --lang.
    let fr = dir.join("kit-fr");
    run(&["--lang", "fr", "crisis", "kit", "-o", fr.to_str().unwrap()]);
    let page = std::fs::read_to_string(fr.join("index.html")).unwrap();
    assert!(page.contains("<html lang=\"fr\">") && page.contains("Cellule de crise"));
    for key in [
        "kit-cell",
        "kit-first-hour",
        "kit-deadlines",
        "kit-restore",
        "kit-files",
    ] {
        assert!(
            !has_phrase(&page, &tr(Lang::En, key, &[])),
            "English {key:?} in the French kit"
        );
    }
}

#[test]
fn serve_keeps_a_fresh_kit_for_a_plan_that_prepares_crisis_mode() {
    let dir = Scratch::new("crisis-kit-job");
    let plan = local_plan(
        &dir.0,
        &dir.join("repos/nas").display().to_string(),
        "printf ledger-2026",
        CRISIS_PLAN,
    );
    let data = dir.join("data").display().to_string();
    let server = common::Server::start(&["-c", &plan, "--data-dir", &data], &dir.join("serve.log"));
    let kit = Path::new(&data).join("kits/default");
    common::wait_for(
        "the crisis kit job",
        std::time::Duration::from_secs(60),
        || kit.join("manifest.json").is_file().then_some(()),
    );
    let page = std::fs::read_to_string(kit.join("index.html")).unwrap();
    assert!(page.contains("Hélène Dubois"));
    assert_eq!(server.stop(), Some(0));
    let reports: Value = serde_json::from_str(&ok(rempart(&[
        "-c",
        &plan,
        "--data-dir",
        &data,
        "evidence",
        "list",
        "--kind",
        "report",
        "--json",
    ])))
    .unwrap();
    let kits: Vec<&Value> = reports["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["measurements"]["kind"] == "kit")
        .collect();
    assert_eq!(kits.len(), 1, "{reports}");
    assert_eq!(kits[0]["measurements"]["by"], "job:crisis-kit");
    assert_eq!(
        kits[0]["measurements"]["sha256"].as_str(),
        Some(sha256(&std::fs::read(kit.join("manifest.json")).unwrap()).as_str())
    );
}
