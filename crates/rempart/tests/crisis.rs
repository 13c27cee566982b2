//! Crisis mode through a real `rempart serve`, a real SMTP server and a
//! real webhook receiver: the cell called in order by e-mail, answers
//! given from the signed links, a silent lead passed over to their
//! alternate after the plan's delay, a message template sent, a
//! checklist restore run for real, the timeline in the verified evidence
//! chain, the close measuring RTO and RPO from evidence, and an exercise
//! whose every message is marked and whose inject arrives on time.

mod common;

use std::time::Duration;

use common::{Scratch, Server, SmtpServer, local_plan, receiver, rempart, wait_for};
use serde_json::Value;

fn with(plan: &str, data: &str, args: &[&str]) -> std::process::Output {
    let mut all = args.to_vec();
    all.extend(["-c", plan, "--data-dir", data]);
    rempart(&all)
}

fn ok(out: &std::process::Output) -> String {
    common::ok(out.clone())
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_str(&ok(out)).expect("JSON output")
}

/// The crisis cell, a webhook channel and its message, an exercise, to
/// append to the base plan.
fn cell(hook_port: u16) -> String {
    format!(
        r#"
[[contact]]
id = "lead"
name = "Lea Lead"
role = "Crisis lead"
email = "lead@example.com"
alternates = ["deputy"]

[[contact]]
id = "deputy"
name = "Dan Deputy"
email = "deputy@example.com"
alternates = ["lead"]

[[contact]]
id = "it"
name = "Ivy IT"
role = "IT on call"
email = "it@example.com"
alternates = ["boss"]

[crisis]
cell = ["lead", "it"]
answer_within = "4s"

[[crisis_task]]
id = "isolate"
title = "Isolate the network"
owner = "it"
within = "15m"

[[channel]]
id = "hook"
kind = "webhook"
url = "http://127.0.0.1:{hook_port}/hook"

[[crisis_message]]
id = "clients"
audience = "clients"
to = ["hook"]
subject = "{{organization}}: {{title}}"
text = "Since {{declared}}, affected: {{processes}} ({{status}})."
public = true

[status_page]
title = "Test SARL status"
monitors = ["web"]
public = true

[[exercise]]
id = "drill1"
title = "Flood exercise"
processes = ["billing"]
injects = [{{ after = "1s", text = "The basement is under water" }}]
"#
    )
}

/// The answer link of the e-mail sent to `to`, if one came.
fn link_for(smtp: &SmtpServer, to: &str) -> Option<String> {
    smtp.texts().iter().find_map(|m| {
        if !m.contains(&format!("To: {to}")) {
            return None;
        }
        let at = m.find("Answer: ")? + "Answer: ".len();
        Some(m[at..].split_whitespace().next()?.to_owned())
    })
}

#[test]
fn the_cell_is_called_answers_by_link_and_a_silent_lead_passes_to_the_alternate() {
    let s = Scratch::new("crisis");
    let smtp = SmtpServer::start(&s.0);
    let (hook_port, hooks) = receiver();
    let nas = s.join("repos/nas").display().to_string();
    let plan = local_plan(&s.0, &nas, "printf crisis-data", &cell(hook_port));
    let data = s.join("data").display().to_string();
    ok(&with(&plan, &data, &["repo", "init"]));
    ok(&with(&plan, &data, &["backup", "run", "db"]));
    let url = format!("smtp://127.0.0.1:{}", smtp.port);
    let server = Server::start_with(
        &["-c", &plan, "--data-dir", &data],
        &[
            ("REMPART_SMTP_URL", url.as_str()),
            ("REMPART_SMTP_FROM", "Rempart <crise@example.fr>"),
        ],
        &s.join("serve.log"),
    );

    // Declared: both roles called at once, in the plan's order.
    let declared = json(&with(
        &plan,
        &data,
        &[
            "crisis",
            "declare",
            "--title",
            "Flooded server room",
            "--severity",
            "1",
            "--process",
            "billing",
            "--significant",
            "--json",
        ],
    ));
    let id = declared["id"].as_str().unwrap().to_owned();
    let cell: Vec<&str> = declared["cell"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["state"].as_str().unwrap())
        .collect();
    assert_eq!(cell, ["waiting", "waiting"], "{declared:#}");
    assert_eq!(declared["clocks"].as_array().unwrap().len(), 3);
    // A second declaration joins the open crisis.
    let joined = json(&with(
        &plan,
        &data,
        &["crisis", "declare", "--title", "Also the NAS", "--json"],
    ));
    assert_eq!(joined["id"], id.as_str());

    let it_link = wait_for("the call to IT", Duration::from_secs(30), || {
        link_for(&smtp, "it@example.com")
    });
    let lead_link = link_for(&smtp, "lead@example.com").expect("the lead is called too");
    assert!(
        it_link.starts_with(&server.url(&format!("/crisis/default/{id}/it/"))),
        "{it_link}"
    );
    let mails = smtp.texts();
    let to_it = mails
        .iter()
        .find(|m| m.contains("To: it@example.com"))
        .unwrap();
    assert!(to_it.contains("Subject: [CRISIS]"), "{to_it}");
    assert!(to_it.contains("IT on call"), "{to_it}");

    // Opening the link changes nothing; its button answers.
    let page = ureq::get(&it_link).call().expect("the answer page");
    let page = page.into_body().read_to_string().unwrap();
    assert!(
        page.contains("I&#39;m on it") || page.contains("I'm on it"),
        "{page}"
    );
    let status = json(&with(&plan, &data, &["crisis", "status", "--json"]));
    assert_eq!(status["cell"][1]["state"], "waiting");
    let answered = ureq::post(&it_link)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send("answer=yes")
        .expect("the answer is taken");
    let answered = answered.into_body().read_to_string().unwrap();
    assert!(answered.contains("recorded as on it"), "{answered}");
    // A forged link is refused.
    let forged = format!("{}0", &lead_link[..lead_link.len() - 1]);
    let refused = ureq::post(&forged)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send("answer=yes");
    assert!(
        matches!(refused, Err(ureq::Error::StatusCode(404))),
        "{refused:?}"
    );

    // The lead stays silent: after 4 s the deputy is called in their place.
    let deputy = wait_for("the call to the deputy", Duration::from_secs(30), || {
        link_for(&smtp, "deputy@example.com")
    });
    assert!(deputy.contains("/deputy/"), "{deputy}");
    let to_deputy = smtp
        .texts()
        .into_iter()
        .find(|m| m.contains("To: deputy@example.com"))
        .unwrap();
    assert!(to_deputy.contains("Lea Lead did not answer"), "{to_deputy}");
    let status = json(&with(&plan, &data, &["crisis", "status", "--json"]));
    assert_eq!(status["cell"][0]["holder"], "deputy", "{status:#}");
    assert_eq!(
        status["cell"][0]["tried"],
        serde_json::json!(["lead", "deputy"])
    );
    assert_eq!(status["cell"][1]["state"], "on-it");
    let timeline = json(&with(&plan, &data, &["crisis", "timeline", "--json"]));
    let records = timeline["records"].as_array().unwrap();
    let at = |event: &str, contact: &str| {
        records
            .iter()
            .find(|r| {
                r["measurements"]["event"] == event
                    && (r["measurements"]["contact"] == contact || contact.is_empty())
            })
            .map(|r| r["finished_ms"].as_i64().unwrap())
            .unwrap_or_else(|| panic!("no {event} {contact} in {timeline:#}"))
    };
    let waited = at("passed-over", "lead") - at("called", "lead");
    assert!(waited >= 4_000, "passed over after {waited} ms");
    assert_eq!(
        records
            .iter()
            .find(|r| r["measurements"]["event"] == "answered")
            .unwrap()["measurements"]["by"],
        "link:it"
    );

    // A message template, filled and sent to the webhook.
    ok(&with(&plan, &data, &["crisis", "send", "clients"]));
    let hook = wait_for("the webhook", Duration::from_secs(30), || {
        hooks
            .lock()
            .unwrap()
            .iter()
            .find(|g| g.path == "/hook")
            .cloned()
    });
    let body: Value = serde_json::from_slice(&hook.body).unwrap();
    assert_eq!(body["kind"], "crisis");
    assert_eq!(body["subject"], "Test SARL: Flooded server room");
    assert!(
        body["text"]
            .as_str()
            .unwrap()
            .contains("affected: Billing (under way)"),
        "{body:#}"
    );
    // A public message is on the tenant's status page.
    let page = ureq::get(&server.url("/status/default"))
        .call()
        .expect("the status page")
        .into_body()
        .read_to_string()
        .unwrap();
    assert!(page.contains("Incident updates"), "{page}");
    assert!(page.contains("Test SARL: Flooded server room"), "{page}");

    // The checklist's restore step, run for real: the data is back and its
    // time lands in the crisis.
    ok(&with(
        &plan,
        &data,
        &[
            "crisis",
            "task",
            "task:isolate",
            "done",
            "--note",
            "unplugged",
        ],
    ));
    let ran = with(&plan, &data, &["crisis", "task", "restore-db#1", "run"]);
    let said = ok(&ran);
    assert!(said.contains("passed"), "{said}");
    let restored: Vec<_> = common::walk(&s.join(&format!("data/crisis/{id}")))
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "app.dump"))
        .collect();
    assert_eq!(restored.len(), 1, "{restored:?}");
    assert_eq!(
        std::fs::read_to_string(&restored[0]).unwrap(),
        "crisis-data"
    );
    let status = json(&with(&plan, &data, &["crisis", "status", "--json"]));
    let task = status["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == "restore-db#1")
        .unwrap()
        .clone();
    assert_eq!(task["state"], "done", "{task:#}");
    let step_record = task["run"]["record"].as_i64().unwrap();
    assert!(task["run"]["duration_ms"].as_i64().unwrap() > 0);

    // Closed: the RTO from the declaration, the RPO from the restore.
    ok(&with(
        &plan,
        &data,
        &[
            "crisis",
            "note",
            "Restore from the cloud copy",
            "--decision",
        ],
    ));
    ok(&with(&plan, &data, &["crisis", "recovered", "billing"]));
    let closed = json(&with(&plan, &data, &["crisis", "close", "--json"]));
    let o = &closed["outcomes"][0];
    assert_eq!(o["process"], "billing");
    assert_eq!(o["from_record"], closed["declared_record"]);
    assert!(o["marked"].as_bool().unwrap());
    let rto = o["rto_ms"].as_i64().unwrap();
    assert!(rto > 4_000 && rto < 600_000, "{o:#}");
    assert_eq!(o["rpo_record"].as_i64(), Some(step_record), "{o:#}");
    assert!(o["rpo_ms"].as_i64().unwrap() >= 0);
    ok(&with(&plan, &data, &["evidence", "verify"]));
    let none = with(&plan, &data, &["crisis", "note", "too late"]);
    assert_eq!(none.status.code(), Some(2));
    // Corrective actions outlive the crisis, tracked until done.
    ok(&with(
        &plan,
        &data,
        &[
            "crisis",
            "action",
            "add",
            "offsite",
            "--title",
            "Daily off-site copy",
            "--owner",
            "it",
            "--due",
            "2027-01-15",
        ],
    ));
    let bad = with(
        &plan,
        &data,
        &[
            "crisis",
            "action",
            "add",
            "x",
            "--title",
            "t",
            "--due",
            "15/01/2027",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("2027-01-15"));
    ok(&with(
        &plan,
        &data,
        &["crisis", "action", "done", "offsite"],
    ));
    let after = json(&with(
        &plan,
        &data,
        &["crisis", "status", "--crisis", &id, "--json"],
    ));
    assert_eq!(after["actions"][0]["id"], "offsite");
    assert!(after["actions"][0]["done_ms"].is_i64(), "{after:#}");

    // An exercise: every message marked, the inject on time.
    let before = smtp.texts().len();
    let x = json(&with(
        &plan,
        &data,
        &["crisis", "declare", "--exercise", "drill1", "--json"],
    ));
    assert_eq!(x["exercise"], "drill1");
    assert_eq!(x["title"], "Flood exercise");
    let mails = wait_for(
        "the exercise's calls and inject",
        Duration::from_secs(30),
        || {
            let m = smtp.texts();
            let new: Vec<String> = m[before..].to_vec();
            (new.iter()
                .filter(|m| m.contains("The basement is under water"))
                .count()
                >= 2
                && new.len() >= 4)
                .then_some(new)
        },
    );
    for m in &mails {
        assert!(m.contains("Subject: [EXERCICE / EXERCISE]"), "{m}");
    }
    ok(&with(&plan, &data, &["crisis", "close"]));

    // The same through the API, with a client's token.
    let token = ok(&rempart(&[
        "token",
        "create",
        "--name",
        "client",
        "--tenant",
        "default",
        "--data-dir",
        &data,
    ]))
    .trim()
    .to_owned();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let api = |method: &str, path: &str, body: &str| -> (u16, Value) {
        let url = server.url(&format!("/api/v1/tenants/default{path}"));
        let auth = format!("Bearer {token}");
        let mut r = if method == "GET" {
            agent.get(&url).header("Authorization", &auth).call()
        } else {
            agent
                .post(&url)
                .header("Authorization", &auth)
                .header("Content-Type", "application/json")
                .send(body)
        }
        .expect("answered");
        let status = r.status().as_u16();
        let text = r.body_mut().read_to_string().unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    };
    assert_eq!(api("GET", "/crisis", "").1["crisis"], Value::Null);
    let (s1, made) = api(
        "POST",
        "/crisis",
        r#"{"title":"API crisis","severity":2,"processes":["billing"]}"#,
    );
    assert_eq!(s1, 201, "{made:#}");
    assert_eq!(made["crisis"]["cell"].as_array().unwrap().len(), 2);
    assert_eq!(
        api("POST", "/crisis", r#"{"title":"Again","severity":3}"#).0,
        200
    );
    assert_eq!(
        api(
            "POST",
            "/crisis/notes",
            r#"{"text":"From the API","decision":true}"#
        )
        .0,
        200
    );
    let (s2, t2) = api("POST", "/crisis/tasks/task:isolate", r#"{"state":"done"}"#);
    assert_eq!(s2, 200, "{t2:#}");
    assert_eq!(api("POST", "/crisis/messages/clients", "").0, 200);
    assert_eq!(api("POST", "/crisis/messages/nope", "").0, 422);
    assert_eq!(api("POST", "/crisis/injects", r#"{"text":"x"}"#).0, 422);
    assert_eq!(
        api("POST", "/crisis/recovered", r#"{"process":"billing"}"#).0,
        200
    );
    let (s3, closed) = api("POST", "/crisis/close", "");
    assert_eq!(s3, 200, "{closed:#}");
    assert_eq!(closed["crisis"]["outcomes"][0]["process"], "billing");
    assert_eq!(
        api(
            "POST",
            "/crisis/actions",
            r#"{"id":"review","title":"Review the cell","due":"2027-02-01"}"#
        )
        .0,
        200
    );
    let (s4, done) = api("POST", "/crisis/actions/review/done", "");
    assert_eq!(s4, 200, "{done:#}");
    assert!(done["crisis"]["actions"][0]["done_ms"].is_i64());
    let (s5, report) = api("GET", "/reports/crisis?format=md", "");
    assert_eq!(s5, 200);
    assert!(report.as_str().unwrap().contains("API crisis"), "{report}");

    let list = json(&with(&plan, &data, &["crisis", "list", "--json"]));
    assert_eq!(list["crises"].as_array().unwrap().len(), 3);
    assert_eq!(server.stop(), Some(0));
}
