//! Documents from real evidence: a backup on two local repositories, a
//! verification, a drill restoring from the off-site copy. The PRA and
//! the audit in both languages, read back with `pdftotext`: the measured
//! figures and their evidence numbers are there, "not measured yet" where
//! nothing ran, no English sentence in the French document; the restic
//! commands the PRA prints restore the data with Debian's restic alone;
//! the document's SHA-256 is the one its `report` record keeps; the same
//! evidence gives the same bytes.

mod common;

use std::path::Path;
use std::process::Command;

use common::{
    Scratch, Server, code_blocks, has_phrase, local_plan, ok, pdf_words, rempart,
    run_with_restic_alone, sha256,
};
use rempart_i18n::{Lang, tr};
use serde_json::Value;

fn pages(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a page count")
}

/// A plan with real repositories, a backup, a verification and a drill
/// from the off-site copy; a second scenario never drilled.
struct Tenant {
    dir: Scratch,
    plan: String,
    data: String,
}

impl Tenant {
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
}

fn tenant(name: &str) -> Tenant {
    let dir = Scratch::new(name);
    let extra = "\n[[scenario]]\nid = \"never-drilled\"\nname = \"Rebuild the application server\"\nprocess = \"billing\"\nsteps = [{ name = \"Reinstall\", manual = \"Reinstall the server\", who = \"boss\" }]\n";
    let plan = local_plan(
        &dir.0,
        &dir.join("repos/nas").display().to_string(),
        "printf invoices-2026",
        extra,
    );
    let data = dir.join("data").display().to_string();
    let t = Tenant { dir, plan, data };
    t.run(&["repo", "init"]);
    t.run(&["backup", "run", "db"]);
    t.run(&["verify", "--read-data", "100%"]);
    t.run(&["drill", "run", "restore-db"]);
    t
}

#[test]
fn the_pra_cites_its_evidence_and_its_restic_commands_restore_the_data() {
    let t = tenant("report-pra");
    let drills = t.evidence("drill");
    assert_eq!(drills.len(), 1, "{drills:?}");
    let drill_seq = drills[0]["seq"].as_i64().unwrap();
    let rto_ms = drills[0]["measurements"]["rto_ms"].as_i64().unwrap();

    for (lang, file) in [("en", "pra-en.pdf"), ("fr", "pra-fr.pdf")] {
        let pdf = t.dir.join(file);
        let said = t.run(&[
            "--lang",
            lang,
            "report",
            "pra",
            "-o",
            pdf.to_str().unwrap(),
            "--json",
        ]);
        let said: Value = serde_json::from_str(&said).expect("json");
        let bytes = std::fs::read(&pdf).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert_eq!(said["bytes"].as_u64().unwrap() as usize, bytes.len());
        assert!(pages(&pdf) >= 4, "title, contents and body pages");
        let flat = pdf_words(&pdf);
        // The drill's measured RTO, with its evidence number.
        let rto = rempart_core::assessment::human(rto_ms);
        let cite = match lang {
            "fr" => format!("preuve n° {drill_seq}"),
            _ => format!("evidence #{drill_seq}"),
        };
        assert!(flat.contains(&cite), "{lang}: no {cite:?} in {flat}");
        // Each step's time at the latest drill, from that drill's record.
        assert!(flat.contains(&format!("(#{drill_seq})")), "{flat}");
        if lang == "en" {
            assert!(
                flat.contains(&format!("{rto} (evidence #{drill_seq}")),
                "{flat}"
            );
            assert!(
                flat.contains("not measured yet"),
                "the scenario never drilled"
            );
            assert!(flat.contains("Restoring without Rempart"));
        } else {
            assert!(flat.contains("pas encore mesuré"));
            assert!(flat.contains("Restaurer sans Rempart"));
        }
        // Where passwords are kept, never the passwords.
        assert!(flat.contains("secrets/nas"));
        assert!(!flat.contains("nas-password") && !flat.contains("usb-password"));
        assert!(
            flat.contains("restic dump latest --tag backup=db /app.dump"),
            "{flat}"
        );

        // The digest the report record keeps is the file's.
        let reports = t.evidence("report");
        let last = reports.last().expect("a report record");
        assert_eq!(last["seq"], said["evidence_seq"]);
        let digest = sha256(&bytes);
        assert_eq!(
            last["measurements"]["sha256"].as_str(),
            Some(digest.as_str())
        );
        assert_eq!(said["sha256"].as_str(), Some(digest.as_str()));
        assert_eq!(last["measurements"]["head_seq"], said["head_seq"]);
    }

    // No English sentence of the catalogue in the French document.
    let fr = pdf_words(&t.dir.join("pra-fr.pdf"));
    for key in [
        "report-not-measured",
        "report-contents",
        "report-evidence",
        "report-col-step",
        "report-col-who",
        "report-col-took",
        "report-col-measured",
        "report-drill-schedule",
        "report-owner",
        "pra-scope",
        "pra-cell",
        "pra-scenarios",
        "pra-without-rempart",
        "pra-restore-point",
        "pra-password",
        "pra-source",
        "pra-protects",
        "pra-escalation",
        "report-step-restore",
        "report-step-command",
        "report-site-primary",
    ] {
        let english = tr(Lang::En, key, &[]);
        let french = tr(Lang::Fr, key, &[]);
        assert!(
            !has_phrase(&fr, &english),
            "English {key:?} ({english:?}) in the French PRA"
        );
        assert!(
            fr.contains(&french.replace('\u{2019}', "'")),
            "French {key:?} ({french:?}) missing"
        );
    }

    // Same evidence, same bytes (the report records written in between
    // are not what a document stands on).
    let again = t.dir.join("again.pdf");
    t.run(&[
        "--lang",
        "fr",
        "report",
        "pra",
        "-o",
        again.to_str().unwrap(),
    ]);
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(t.dir.join("pra-fr.pdf")).unwrap(),
        "byte-identical from the same evidence"
    );

    // The restic commands of the Markdown PRA, run by a shell with only
    // Debian's restic: they list and restore the backup from each site.
    let md = t.dir.join("pra.md");
    t.run(&[
        "report",
        "pra",
        "--format",
        "md",
        "-o",
        md.to_str().unwrap(),
    ]);
    let md = std::fs::read_to_string(&md).unwrap();
    let blocks = code_blocks(&md);
    let restores: Vec<&String> = blocks
        .iter()
        .filter(|b| b.contains("restic dump latest --tag backup=db"))
        .collect();
    assert_eq!(restores.len(), 2, "one per site: {blocks:#?}");
    for (i, script) in restores.iter().enumerate() {
        let work = t.dir.join(&format!("restic-{i}"));
        std::fs::create_dir_all(&work).unwrap();
        let out = run_with_restic_alone(script, &work);
        assert!(
            out.status.success(),
            "{script}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("rempart"),
            "snapshots listed"
        );
        assert_eq!(
            std::fs::read_to_string(work.join("app.dump")).unwrap(),
            "invoices-2026",
            "restored by restic alone"
        );
    }
}

#[test]
fn the_audit_document_and_command_agree_and_exit_1_on_a_high_finding() {
    let t = tenant("report-audit");
    // The base plan has no immutable copy: a high finding stands.
    let out = rempart(&t.args(&["audit", "--json"]));
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let audit: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(audit["blocking"], true);
    let finding = |rule: &str, subject: &str| -> Value {
        audit["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == rule && f["subject"] == subject)
            .cloned()
            .unwrap_or_else(|| panic!("no {rule}:{subject}"))
    };
    let offsite = finding("restore-from-offsite", "db");
    assert_eq!(offsite["verdict"], "pass", "{offsite}");
    let drill_seq = t.evidence("drill")[0]["seq"].as_i64().unwrap();
    assert_eq!(offsite["evidence"][0]["seq"].as_i64(), Some(drill_seq));
    assert_eq!(finding("immutable-copy", "db")["verdict"], "fail");
    assert!(finding("immutable-copy", "db")["remediation"].is_string());
    assert_eq!(t.evidence("audit").len(), 1, "the audit is kept");

    let pdf = t.dir.join("audit.pdf");
    t.run(&[
        "--lang",
        "fr",
        "report",
        "audit",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    let flat = pdf_words(&pdf);
    assert!(flat.contains("Audit de conformité"));
    assert!(flat.contains("Restauration testée depuis la copie hors site"));
    assert!(flat.contains(&format!("preuve n° {drill_seq}")), "{flat}");
    assert!(flat.contains("DORA art. 12"), "regulatory mapping");
    assert!(flat.contains("Registre des risques"));
    assert!(pages(&pdf) >= 4);
}

#[test]
fn the_pca_and_the_drill_report_stand_on_the_same_evidence() {
    let t = tenant("report-pca");
    let drill = &t.evidence("drill")[0];
    let drill_seq = drill["seq"].as_i64().unwrap();
    let run = drill["measurements"]["run"].as_str().unwrap().to_owned();

    let pdf = t.dir.join("pca.pdf");
    t.run(&["--lang", "fr", "report", "pca", "-o", pdf.to_str().unwrap()]);
    let flat = pdf_words(&pdf);
    for expected in [
        "Plan de continuité d'activité",
        "Analyse d'impact sur l'activité",
        "Dépendances",
        "Redondance et bascule",
        "La règle 3-2-1-1-0 par sauvegarde",
        "Registre des risques",
    ] {
        assert!(flat.contains(expected), "{expected:?} not in {flat}");
    }
    // The measured recovery time of the process, with its drill.
    assert!(flat.contains(&format!("preuve n° {drill_seq}")), "{flat}");

    // The same documents in the other language, each citing the drill.
    for (kind, cite) in [
        ("pca", format!("evidence #{drill_seq}")),
        ("audit", format!("evidence #{drill_seq}")),
    ] {
        let pdf = t.dir.join(&format!("{kind}-en.pdf"));
        t.run(&["--lang", "en", "report", kind, "-o", pdf.to_str().unwrap()]);
        let flat = pdf_words(&pdf);
        assert!(flat.contains(&cite), "{kind}: {cite} not in {flat}");
    }
    let pdf = t.dir.join("drill-fr.pdf");
    t.run(&[
        "--lang",
        "fr",
        "report",
        "drill",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    let flat = pdf_words(&pdf);
    assert!(flat.contains("L'exercice a réussi"), "{flat}");
    assert!(flat.contains(&format!("preuve n° {drill_seq}")), "{flat}");
    for key in [
        "drill-doc-steps",
        "drill-doc-restored",
        "report-col-measured",
    ] {
        let english = tr(Lang::En, key, &[]);
        assert!(
            !has_phrase(&flat, &english),
            "English {english:?} in the French drill report"
        );
    }

    let pdf = t.dir.join("drill.pdf");
    t.run(&[
        "report",
        "drill",
        "--run",
        &run,
        "-o",
        pdf.to_str().unwrap(),
    ]);
    let flat = pdf_words(&pdf);
    assert!(flat.contains(&run));
    assert!(flat.contains("The drill passed"), "{flat}");
    assert!(flat.contains(&format!("evidence #{drill_seq}")));
    // The steps' own records, and the restored snapshot.
    let steps = t.evidence("drill-step");
    assert!(!steps.is_empty());
    for step in &steps {
        let seq = step["seq"].as_i64().unwrap();
        assert!(
            flat.contains(&format!("#{seq}")),
            "step record #{seq} in {flat}"
        );
    }
    assert!(flat.contains("snapshot"), "{flat}");

    // A run that does not exist is bad input: exit 2, the fix named.
    let out = rempart(&t.args(&["report", "drill", "--run", "nope", "-o", "-"]));
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("nope") && said.contains("rempart drill list"),
        "{said}"
    );
    let out = rempart(&t.args(&["report", "memo"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pra, pca, sla, drill, audit"));
}

/// The two example plans, as they ship (nothing can run here: their
/// servers and buckets are the clients'), in both languages: every
/// document renders, says "not measured yet" for what never ran, and the
/// French one holds none of the catalogue's English sentences.
#[test]
fn the_example_plans_documents_render_in_both_languages_before_anything_ran() {
    let dir = Scratch::new("report-examples");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    for example in ["manufacturer", "accounting-office"] {
        let plan = examples.join(example).join("rempart.toml");
        let data = dir.join(example);
        for lang in ["fr", "en"] {
            for kind in ["pra", "pca", "audit", "sla"] {
                let pdf = dir.join(&format!("{example}-{kind}-{lang}.pdf"));
                let out = rempart(&[
                    "-c",
                    plan.to_str().unwrap(),
                    "--data-dir",
                    data.to_str().unwrap(),
                    "--lang",
                    lang,
                    "report",
                    kind,
                    "-o",
                    pdf.to_str().unwrap(),
                ]);
                ok(out);
                let flat = pdf_words(&pdf);
                let unmeasured = tr(Lang::parse(lang).unwrap(), "report-not-measured", &[]);
                if kind != "sla" {
                    assert!(
                        flat.contains(&unmeasured),
                        "{example} {kind} {lang}: {flat}"
                    );
                }
                if lang == "fr" {
                    for key in [
                        "report-not-measured",
                        "report-evidence",
                        "report-col-measured",
                        "report-col-target",
                        "audit-doc-findings",
                        "audit-doc-risks",
                        "pca-bia",
                        "pca-dependencies",
                        "pra-without-rempart",
                        "audit-mitigation-unmeasured",
                    ] {
                        let english = tr(Lang::En, key, &[]);
                        assert!(
                            !has_phrase(&flat, &english),
                            "{example} {kind}: English {english:?} in French"
                        );
                    }
                }
            }
        }
    }
}

/// `GET url` with a bearer token: status, headers we look at, body.
fn get(url: &str, token: &str) -> (u16, Option<String>, Option<String>, Option<String>, Vec<u8>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut r = agent
        .get(url)
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .expect("answered");
    let header = |name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (kind, sha, seq) = (
        header("content-type"),
        header("x-rempart-sha256"),
        header("x-rempart-evidence"),
    );
    let body = r.body_mut().read_to_vec().expect("a body");
    (r.status().as_u16(), kind, sha, seq, body)
}

#[test]
fn the_api_hands_out_documents_and_the_audit_to_whoever_may_see_the_tenant() {
    let t = tenant("report-api");
    let server = Server::start(
        &["-c", &t.plan, "--data-dir", &t.data],
        &t.dir.join("serve.log"),
    );
    let token = |args: &[&str]| {
        let mut all = vec!["token", "create", "--data-dir", t.data.as_str()];
        all.extend_from_slice(args);
        ok(rempart(&all)).trim().to_owned()
    };
    let msp = token(&["--name", "msp"]);
    let client = token(&["--name", "client", "--tenant", "default"]);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let created = agent
        .post(&server.url("/api/v1/tenants"))
        .header("Authorization", &format!("Bearer {msp}"))
        .header("Content-Type", "application/json")
        .send(r#"{"id":"other","name":"Other SARL"}"#)
        .expect("answered");
    assert_eq!(created.status().as_u16(), 201);
    let stranger = token(&["--name", "stranger", "--tenant", "other"]);

    let url = server.url("/api/v1/tenants/default/reports/pra?format=pdf&lang=fr");
    let (status, kind, sha, seq, body) = get(&url, &client);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert_eq!(kind.as_deref(), Some("application/pdf"));
    assert!(body.starts_with(b"%PDF-"));
    assert_eq!(sha.as_deref(), Some(sha256(&body).as_str()));
    let seq: i64 = seq.expect("the report record").parse().unwrap();
    let report = t
        .evidence("report")
        .into_iter()
        .find(|e| e["seq"].as_i64() == Some(seq))
        .expect("kept");
    assert_eq!(report["measurements"]["sha256"].as_str(), sha.as_deref());
    assert_eq!(report["measurements"]["by"], "api:client");
    let text = pdftotext_bytes(&t.dir, &body);
    assert!(text.contains("Plan de reprise d'activité"), "{text}");

    let (status, kind, _, _, body) = get(
        &server.url("/api/v1/tenants/default/reports/audit?format=md&lang=en"),
        &msp,
    );
    assert_eq!(status, 200);
    assert_eq!(kind.as_deref(), Some("text/markdown; charset=utf-8"));
    assert!(String::from_utf8_lossy(&body).contains("Compliance audit"));

    for (path, expected) in [
        ("/api/v1/tenants/default/reports/memo", 404),
        ("/api/v1/tenants/default/reports/drill?run=nope", 422),
        ("/api/v1/tenants/default/reports/pra?format=docx", 400),
        ("/api/v1/tenants/default/reports/pra?lang=de", 400),
    ] {
        let (status, _, _, _, body) = get(&server.url(path), &msp);
        assert_eq!(
            status,
            expected,
            "{path}: {}",
            String::from_utf8_lossy(&body)
        );
    }
    // Another tenant's token sees nothing, as for what does not exist.
    let (status, _, _, _, _) = get(&url, &stranger);
    assert_eq!(status, 404);

    let (status, _, _, _, body) = get(&server.url("/api/v1/tenants/default/audit"), &client);
    assert_eq!(status, 200);
    let audit: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(audit["blocking"], true);
    assert!(audit["findings"].as_array().unwrap().len() > 5);
    assert!(audit["risks"][0]["residual"].is_number());
    assert_eq!(server.stop(), Some(0));
}

fn pdftotext_bytes(dir: &Scratch, pdf: &[u8]) -> String {
    let file = dir.join("from-api.pdf");
    std::fs::write(&file, pdf).unwrap();
    pdf_words(&file)
}
