//! The monthly SLA report from real evidence: a monitored service that
//! goes down and comes back under a real `rempart serve`, a backup on two
//! local repositories, a verification and a drill. The PDF in both
//! languages, read back with `pdftotext`: the month's uptime and the
//! outage with its duration, cause and records; the backup, verification
//! and drill cited; "not measured yet" where nothing ran; no English
//! sentence in the French report; the same evidence gives the same bytes.
//! Then the monthly job, run through the server: the report e-mailed to
//! the plan's `report_to` contact through a real SMTP server (aiosmtpd),
//! the PDF attached, its SHA-256 the one its `report` record keeps; run
//! again, and again after a restart, it sends nothing more.

mod common;

use std::time::Duration;

use common::{
    Scratch, Server, SmtpServer, local_plan, ok, pdf_words, quoted_printable_decode, rempart,
    wait_for,
};
use rempart_i18n::{Lang, tr};
use serde_json::Value;

/// A percentage as the report writes it: at most three decimals.
fn percent(p: f64, lang: &str) -> String {
    let text = format!("{p:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    let text = if lang == "fr" {
        text.replace('.', ",")
    } else {
        text.to_owned()
    };
    format!("{text} %")
}

/// `phrase` in `text` as whole words ("command" is not in "commande").
fn has_phrase(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// A duration as French writes it: `1m5s` is `1 min 5 s`, `998ms` is `998 ms`.
fn in_french(compact: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let (mut number, mut unit) = (String::new(), String::new());
    for c in compact.chars().chain(['0']) {
        if c.is_ascii_digit() && !unit.is_empty() {
            let unit = match std::mem::take(&mut unit).as_str() {
                "d" => "j".to_owned(),
                "m" => "min".to_owned(),
                other => other.to_owned(),
            };
            parts.push(format!("{} {unit}", std::mem::take(&mut number)));
        }
        if c.is_ascii_digit() {
            number.push(c);
        } else {
            unit.push(c);
        }
    }
    parts.join(" ")
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Standard base64 (RFC 4648), line breaks ignored.
fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let v = ALPHABET
            .iter()
            .position(|a| *a == c)
            .unwrap_or_else(|| panic!("{:?} is not base64", c as char));
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// A plan with a monitored "service" (a command that passes while
/// `DIR/up` exists), an uptime target, the monthly report for contact
/// "boss", and a scenario never drilled; the organisation speaks French.
struct Tenant {
    dir: Scratch,
    plan: String,
    data: String,
}

impl Tenant {
    fn new(name: &str) -> Tenant {
        let dir = Scratch::new(name);
        let extra = "\n[[scenario]]\nid = \"never-drilled\"\nname = \"Rebuild the application server\"\nprocess = \"billing\"\nsteps = [{ name = \"Reinstall\", manual = \"Reinstall the server\", who = \"boss\" }]\n\n[sla]\ntargets = [{ monitor = \"web\", uptime = 99.9 }]\nreport_to = [\"boss\"]\n";
        let plan = local_plan(
            &dir.0,
            &dir.join("repos/nas").display().to_string(),
            "printf invoices-2026",
            extra,
        );
        let web = "[[monitor]]\nid = \"web\"\nkind = \"http\"\ntarget = \"https://app.example.com/\"\ninterval = \"1m\"\n";
        let text = std::fs::read_to_string(&plan).unwrap();
        assert!(text.contains(web), "the base plan's web monitor changed");
        let text = text
            .replace(
                web,
                &format!(
                    "[[monitor]]\nid = \"web\"\nname = \"ERP portal\"\nkind = \"command\"\ntarget = \"test -e {}\"\ninterval = \"1s\"\ntimeout = \"5s\"\nconfirm = 1\n",
                    dir.join("up").display()
                ),
            )
            .replace("language = \"en\"", "language = \"fr\"");
        std::fs::write(&plan, text).unwrap();
        let data = dir.join("data").display().to_string();
        let t = Tenant { dir, plan, data };
        t.run(&["repo", "init"]);
        t
    }

    fn args<'a>(&'a self, more: &[&'a str]) -> Vec<&'a str> {
        let mut a = vec!["-c", self.plan.as_str(), "--data-dir", self.data.as_str()];
        a.extend_from_slice(more);
        a
    }

    fn run(&self, more: &[&str]) -> String {
        ok(rempart(&self.args(more)))
    }

    fn json(&self, more: &[&str]) -> Value {
        let mut all = more.to_vec();
        all.push("--json");
        serde_json::from_str(&self.run(&all)).expect("json")
    }

    fn evidence(&self, kind: &str) -> Vec<Value> {
        self.json(&["evidence", "list", "--kind", kind, "--limit", "1000"])["records"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The service's state as the server last saved it.
    fn state(&self) -> Option<String> {
        let out = rempart(&self.args(&["monitors", "--json"]));
        let v: Value = serde_json::from_slice(&out.stdout).ok()?;
        v["monitors"]
            .as_array()?
            .iter()
            .find(|m| m["id"] == "web")?["state"]
            .as_str()
            .map(str::to_owned)
    }

    fn serve(&self, env: &[(&str, &str)], log: &str) -> Server {
        Server::start_with(
            &["-c", &self.plan, "--data-dir", &self.data],
            env,
            &self.dir.join(log),
        )
    }
}

#[test]
fn the_monthly_report_gives_uptime_outages_and_the_months_evidence() {
    let t = Tenant::new("sla-report");
    // The service is up, goes down, comes back: one outage.
    std::fs::write(t.dir.join("up"), "").unwrap();
    let server = t.serve(&[], "serve.log");
    wait_for("the service up", Duration::from_secs(30), || {
        (t.state().as_deref() == Some("up")).then_some(())
    });
    std::fs::remove_file(t.dir.join("up")).unwrap();
    wait_for("the service down", Duration::from_secs(30), || {
        (t.state().as_deref() == Some("down")).then_some(())
    });
    std::fs::write(t.dir.join("up"), "").unwrap();
    wait_for("the service back", Duration::from_secs(30), || {
        (t.state().as_deref() == Some("up")).then_some(())
    });
    assert_eq!(server.stop(), Some(0));
    // The month's backup, verification and drill, after the checks.
    t.run(&["backup", "run", "db"]);
    t.run(&["verify", "--read-data", "100%"]);
    t.run(&["drill", "run", "restore-db"]);

    // What `rempart sla` measured: the figures the report must print.
    let sla = rempart(&t.args(&["sla", "--json"]));
    let sla: Value = serde_json::from_slice(&sla.stdout).expect("sla json");
    let web = sla["monitors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["monitor"] == "web")
        .unwrap()
        .clone();
    let uptime = web["uptime_percent"].as_f64().expect("an uptime");
    assert!(uptime < 100.0 && uptime > 0.0, "{web:#}");
    let outages = web["outages"].as_array().unwrap();
    assert_eq!(outages.len(), 1, "{web:#}");
    let down_ms = outages[0]["duration_ms"].as_i64().unwrap();
    let changes: Vec<Value> = t
        .evidence("probe")
        .into_iter()
        .filter(|r| r["measurements"]["changed"].is_string())
        .collect();
    let seq_of = |state: &str| {
        changes
            .iter()
            .rev()
            .find(|r| r["measurements"]["changed"] == state)
            .and_then(|r| r["seq"].as_i64())
            .unwrap_or_else(|| panic!("no change to {state}: {changes:#?}"))
    };
    let records = format!("#{} → #{}", seq_of("down"), seq_of("up"));
    // The newest record of `kinds`, as the report cites it.
    let cite = |kinds: &[&str], lang: &str| {
        let seq = kinds
            .iter()
            .flat_map(|k| t.evidence(k))
            .filter_map(|r| r["seq"].as_i64())
            .max()
            .unwrap_or_else(|| panic!("no {kinds:?} record"));
        match lang {
            "fr" => format!("preuve n° {seq}"),
            _ => format!("evidence #{seq}"),
        }
    };

    let mut made = Vec::new();
    for lang in ["en", "fr"] {
        let pdf = t.dir.join(&format!("sla-{lang}.pdf"));
        let said = t.json(&["--lang", lang, "report", "sla", "-o", pdf.to_str().unwrap()]);
        let flat = pdf_words(&pdf);
        let figure = percent(uptime, lang);
        assert!(
            flat.contains(&figure),
            "{lang}: no uptime {figure:?} in {flat}"
        );
        assert!(flat.contains(&records), "{lang}: no {records:?} in {flat}");
        for kinds in [&["backup", "copy"][..], &["verify"], &["drill"]] {
            let cited = cite(kinds, lang);
            assert!(
                flat.contains(&cited),
                "{lang}: {kinds:?} not cited ({cited}) in {flat}"
            );
        }
        let human = rempart_core::assessment::human(down_ms);
        match lang {
            "en" => {
                assert!(flat.contains("Monthly service report"), "{flat}");
                assert!(
                    flat.contains(&format!("1 outage, {human} in all")),
                    "no outage of {human} in {flat}"
                );
                assert!(flat.contains("ERP portal down"), "{flat}");
                assert!(flat.contains("exit 1 (expected 0)"), "the cause: {flat}");
                assert!(flat.contains("(missed)"), "99.9 % was not met: {flat}");
                assert!(
                    flat.contains("not measured yet"),
                    "the scenario never drilled"
                );
                assert!(flat.contains("not drilled during the period"), "{flat}");
            }
            _ => {
                assert!(flat.contains("Rapport de service mensuel"), "{flat}");
                let french = in_french(&human);
                assert!(
                    flat.contains(&format!("1 interruption, {french} au total")),
                    "no outage of {french} in {flat}"
                );
                assert!(flat.contains("ERP portal hors service"), "{flat}");
                assert!(flat.contains("code de sortie 1 (attendu : 0)"), "{flat}");
                assert!(flat.contains("(non atteint)"), "{flat}");
                assert!(flat.contains("pas encore mesuré"), "{flat}");
                assert!(flat.contains("aucun exercice pendant la période"), "{flat}");
            }
        }
        // The digest the report record keeps is the file's, with its month.
        let bytes = std::fs::read(&pdf).unwrap();
        let kept = t.evidence("report");
        let last = kept.last().unwrap();
        assert_eq!(last["seq"], said["evidence_seq"]);
        assert_eq!(
            last["measurements"]["sha256"].as_str(),
            Some(sha256(&bytes).as_str())
        );
        assert_eq!(last["measurements"]["month"], sla["month"]);
        made.push(flat);
    }

    // No English sentence of the catalogue in the French report.
    let fr = &made[1];
    for key in [
        "report-not-measured",
        "sla-doc-summary",
        "sla-doc-period",
        "sla-doc-availability",
        "sla-doc-outages",
        "sla-doc-objectives",
        "sla-doc-activity",
        "sla-doc-drills",
        "sla-doc-outages-intro",
        "sla-doc-activity-intro",
        "sla-doc-drills-intro",
        "sla-doc-col-service",
        "sla-doc-col-uptime",
        "sla-doc-col-checks",
        "sla-doc-col-maintenance",
        "sla-doc-col-downtime",
        "sla-doc-col-state",
        "sla-doc-col-start",
        "sla-doc-col-end",
        "sla-doc-col-duration",
        "sla-doc-col-records",
        "sla-doc-col-backup",
        "sla-doc-col-runs",
        "sla-doc-col-failed",
        "sla-doc-col-latest-success",
        "sla-doc-col-restore-point",
        "sla-doc-col-repository",
        "sla-doc-col-latest",
        "sla-doc-col-scenario",
        "sla-doc-col-result",
        "sla-doc-col-record",
        "sla-doc-col-rto-measured",
        "sla-doc-col-rpo-measured",
        "sla-doc-col-rto-achieved",
        "sla-doc-col-rpo-exposure",
        "sla-doc-state-down",
        "sla-doc-not-drilled",
        "sla-doc-evidence-log",
        "sla-doc-fact-targets",
        "sla-doc-fact-outages",
        "sla-doc-fact-backups",
        "sla-doc-fact-verifications",
        "sla-doc-fact-drills",
        "sla-doc-fact-processes",
    ] {
        let english = tr(Lang::En, key, &[]);
        let french = tr(Lang::Fr, key, &[]).replace('\u{2019}', "'");
        // ("Service" is French too.)
        assert!(
            english == french || !has_phrase(fr, &english),
            "English {key:?} ({english:?}) in the French report"
        );
        assert!(fr.contains(&french), "French {key:?} ({french:?}) missing");
    }

    // Same evidence, same bytes (the report records written in between
    // are not what a document stands on).
    let again = t.dir.join("again.pdf");
    t.run(&[
        "--lang",
        "fr",
        "report",
        "sla",
        "-o",
        again.to_str().unwrap(),
    ]);
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(t.dir.join("sla-fr.pdf")).unwrap(),
        "byte-identical from the same evidence"
    );

    // A month that is not one is bad usage, said with the expected form.
    let bad = rempart(&t.args(&["report", "sla", "--month", "2026-13"]));
    assert_eq!(bad.status.code(), Some(2));
    let said = String::from_utf8_lossy(&bad.stderr);
    assert!(
        said.contains("\"2026-13\" is not a month such as 2026-11"),
        "{said}"
    );
}

/// The MIME part of `message` whose type starts with `content_type`: its
/// headers, and its body decoded.
fn part(message: &str, content_type: &str) -> Option<(String, Vec<u8>)> {
    let message = message.replace("\r\n", "\n");
    let start = message.find(&format!("Content-Type: {content_type}"))?;
    let part = &message[start..];
    let (headers, body) = part.split_once("\n\n")?;
    let body = body.split("\n--").next()?;
    let decoded = if headers.contains("Content-Transfer-Encoding: base64") {
        base64_decode(body)
    } else if headers.contains("Content-Transfer-Encoding: quoted-printable") {
        quoted_printable_decode(body)
    } else {
        body.as_bytes().to_vec()
    };
    Some((headers.to_owned(), decoded))
}

fn run_now(server: &Server, token: &str) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let status = agent
        .post(&server.url("/api/v1/tenants/default/jobs/sla-report/monthly/run"))
        .header("Authorization", &format!("Bearer {token}"))
        .send_empty()
        .unwrap()
        .status()
        .as_u16();
    assert_eq!(status, 202);
}

/// The monthly job's state, as the API lists it.
fn monthly_job(server: &Server, token: &str) -> Value {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut answer = agent
        .get(&server.url("/api/v1/tenants/default/jobs"))
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    let jobs: Value = serde_json::from_str(&answer.body_mut().read_to_string().unwrap()).unwrap();
    jobs.as_array()
        .unwrap()
        .iter()
        .find(|j| j["kind"] == "sla-report")
        .cloned()
        .expect("the plan's report_to gives the tenant a monthly report job")
}

/// Runs the monthly job now and waits until it has run.
fn run_monthly(server: &Server, token: &str) {
    let before = monthly_job(server, token)["last_run_ms"].as_i64();
    run_now(server, token);
    wait_for("the monthly job to run", Duration::from_secs(60), || {
        let job = monthly_job(server, token);
        (job["last_run_ms"].as_i64() != before && job["running"] == false).then_some(job)
    });
}

#[test]
fn the_monthly_job_e_mails_the_report_once_with_the_pdf_attached() {
    let t = Tenant::new("sla-mail");
    std::fs::write(t.dir.join("up"), "").unwrap();
    t.run(&["backup", "run", "db"]);
    let smtp = SmtpServer::start(&t.dir.0);
    let url = format!("smtp://127.0.0.1:{}", smtp.port);
    let env = [
        ("REMPART_SMTP_URL", url.as_str()),
        ("REMPART_SMTP_FROM", "Rempart <rapports@example.fr>"),
    ];
    let server = t.serve(&env, "serve.log");
    let token = ok(rempart(&[
        "token",
        "create",
        "--name",
        "t",
        "--data-dir",
        &t.data,
    ]))
    .trim()
    .to_owned();
    let job = monthly_job(&server, &token);
    assert_eq!(job["schedule"], "0 6 1 * *", "{job}");

    run_monthly(&server, &token);
    let mails = wait_for("the report's e-mail", Duration::from_secs(30), || {
        let m = smtp.messages();
        (!m.is_empty()).then_some(m)
    });
    assert_eq!(mails.len(), 1, "{mails:#?}");
    let mail = &mails[0];
    assert!(mail.contains("To: boss@example.com"), "{mail}");
    assert!(
        mail.contains("From: Rempart <rapports@example.fr>"),
        "{mail}"
    );
    let (headers, pdf) = part(mail, "application/pdf").expect("a PDF attached");
    assert!(pdf.starts_with(b"%PDF-"), "{headers}");
    assert!(
        headers.contains("Content-Transfer-Encoding: base64"),
        "{headers}"
    );
    let (_, text) = part(mail, "text/plain").expect("a text part");
    let text = String::from_utf8(text).expect("UTF-8 text");

    // The very document the `report` record keeps, for the month before.
    let reports = t.evidence("report");
    assert_eq!(reports.len(), 1, "{reports:#?}");
    let record = &reports[0];
    let month = record["measurements"]["month"].as_str().unwrap().to_owned();
    assert_eq!(
        record["measurements"]["sha256"].as_str(),
        Some(sha256(&pdf).as_str()),
        "the attachment is the document whose digest the evidence keeps"
    );
    assert_eq!(record["measurements"]["by"], "job:sla-report");
    assert_eq!(
        record["measurements"]["lang"], "fr",
        "the organisation's language"
    );
    assert!(
        mail.contains(&format!("filename=\"sla-default-{month}.pdf\"")),
        "{headers}"
    );
    // The e-mail names the record and the digest, in French; its
    // delivery is evidence too.
    assert!(text.contains("Veuillez trouver ci-joint"), "{text}");
    assert!(text.contains(&format!("n° {}", record["seq"])), "{text}");
    assert!(text.contains(&sha256(&pdf)), "{text}");
    let delivered = wait_for("the delivery record", Duration::from_secs(30), || {
        t.evidence("notification")
            .into_iter()
            .find(|n| n["outcome"] == "success")
    });
    assert_eq!(
        delivered["measurements"]["attachment"]["sha256"],
        record["measurements"]["sha256"]
    );
    // The previous month: nothing ran then, and the report says so.
    let saved = t.dir.join("mailed.pdf");
    std::fs::write(&saved, &pdf).unwrap();
    let flat = pdf_words(&saved);
    assert!(flat.contains("Rapport de service mensuel"), "{flat}");
    assert!(flat.contains("pas encore mesuré"), "{flat}");

    // Run again, and again after a crash: the month's e-mail is not sent twice.
    run_monthly(&server, &token);
    server.kill();
    let server = t.serve(&env, "serve2.log");
    run_monthly(&server, &token);
    assert_eq!(server.stop(), Some(0));
    assert_eq!(smtp.messages().len(), 1, "sent once");
    assert_eq!(t.evidence("report").len(), 1, "made once");
}
