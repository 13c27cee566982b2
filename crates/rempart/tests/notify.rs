//! Notifications through a real `rempart serve` to real HTTP receivers:
//! signed webhooks, chat and ntfy formats, drill `notify` steps, give-ups
//! recorded, and 50 notifications pending when the server is SIGKILLed
//! all delivered after the restart, none twice.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{
    Got, Scratch, Server, SmtpServer, free_port, local_plan, receiver, receiver_on, rempart,
    wait_for,
};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::Sha256;

const SECRET: &str = "webhook-shared-secret";

fn plan(dir: &Path, port: u16) -> String {
    std::fs::create_dir_all(dir.join("secrets")).unwrap();
    std::fs::write(dir.join("secrets/hook"), format!("{SECRET}\n")).unwrap();
    std::fs::write(
        dir.join("secrets/chat"),
        format!("http://127.0.0.1:{port}/chat\n"),
    )
    .unwrap();
    let extra = format!(
        r#"
[[channel]]
id = "hook"
kind = "webhook"
url = "http://127.0.0.1:{port}/hook"
secret = {{ file = "secrets/hook" }}

[[channel]]
id = "chat"
kind = "mattermost"
url = {{ file = "secrets/chat" }}

[[channel]]
id = "phone"
kind = "ntfy"
url = "http://127.0.0.1:{port}/ntfy/rempart"

[[channel]]
id = "gone"
kind = "webhook"
url = "http://127.0.0.1:{port}/gone"

[[scenario]]
id = "announce"
name = "Tell the crisis cell"
process = "billing"
steps = [
  {{ name = "Drill starts", notify = ["hook", "chat"], message = "The ERP restore drill starts" }},
]
"#
    );
    local_plan(dir, "repos/nas", "seq 1 10", &extra)
}

fn with(plan: &str, data: &str, args: &[&str]) -> std::process::Output {
    let mut all = args.to_vec();
    all.extend(["-c", plan, "--data-dir", data]);
    rempart(&all)
}

fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn outbox(plan: &str, data: &str) -> Vec<Value> {
    let out = ok(&with(
        plan,
        data,
        &["notify", "list", "--limit", "1000", "--json"],
    ));
    serde_json::from_str::<Value>(&out).unwrap()["notifications"]
        .as_array()
        .unwrap()
        .clone()
}

fn hmac_hex(body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn notifications_are_delivered_signed_and_recorded() {
    let s = Scratch::new("notify");
    let (port, got) = receiver();
    let plan = plan(&s.0, port);
    let data = s.join("data").display().to_string();
    let server = Server::start(&["-c", &plan, "--data-dir", &data], &s.join("serve.log"));

    ok(&with(
        &plan,
        &data,
        &["notify", "test", "hook", "--message", "hello"],
    ));
    ok(&with(&plan, &data, &["notify", "test", "phone"]));
    ok(&with(&plan, &data, &["notify", "test", "gone"]));
    let drill = with(&plan, &data, &["drill", "run", "announce"]);
    assert!(ok(&drill).contains("queued for hook, chat"));
    // An unknown receiver is bad usage, nothing queued.
    let unknown = with(&plan, &data, &["notify", "test", "nobody"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unknown.stderr)
            .contains("\"nobody\" is not a channel, contact or team")
    );

    let received = wait_for("four deliveries", Duration::from_secs(30), || {
        let g = got.lock().unwrap().clone();
        (g.iter().filter(|r| !r.path.starts_with("/gone")).count() >= 4).then_some(g)
    });
    let hooks: Vec<&Got> = received.iter().filter(|r| r.path == "/hook").collect();
    assert_eq!(hooks.len(), 2, "the test message and the drill's");
    for h in &hooks {
        let sig = h.headers.get("x-rempart-signature").expect("signed");
        assert_eq!(
            sig,
            &format!("sha256={}", hmac_hex(&h.body)),
            "HMAC-SHA256 of the body"
        );
        assert!(
            h.headers
                .get("x-rempart-delivery")
                .is_some_and(|d| d.starts_with("default-"))
        );
    }
    let bodies: Vec<Value> = hooks
        .iter()
        .map(|h| serde_json::from_slice(&h.body).unwrap())
        .collect();
    assert!(
        bodies
            .iter()
            .any(|b| b["text"] == "hello" && b["kind"] == "test"),
        "{bodies:?}"
    );
    assert!(
        bodies
            .iter()
            .any(|b| b["text"] == "The ERP restore drill starts" && b["kind"] == "drill"),
        "{bodies:?}"
    );
    let chat = received
        .iter()
        .find(|r| r.path == "/chat")
        .expect("mattermost");
    let chat: Value = serde_json::from_slice(&chat.body).unwrap();
    assert!(
        chat["text"]
            .as_str()
            .unwrap()
            .contains("The ERP restore drill starts"),
        "{chat}"
    );
    let ntfy = received
        .iter()
        .find(|r| r.path == "/ntfy/rempart")
        .expect("ntfy");
    assert_eq!(
        ntfy.headers.get("title").map(String::as_str),
        Some("Rempart test message")
    );

    // A receiver that refuses (404) is given up at once, recorded.
    let notes = wait_for("the give-up", Duration::from_secs(30), || {
        let o = outbox(&plan, &data);
        o.iter()
            .any(|n| n["channel"] == "gone" && !n["gave_up_ms"].is_null())
            .then_some(o)
    });
    let gone = notes.iter().find(|n| n["channel"] == "gone").unwrap();
    assert_eq!(gone["attempts"], 1);
    assert!(gone["last_error"].as_str().unwrap().contains("404"));
    assert!(
        notes
            .iter()
            .filter(|n| n["channel"] != "gone")
            .all(|n| !n["sent_ms"].is_null()),
        "{notes:#?}"
    );
    assert_eq!(server.stop(), Some(0));

    let evidence = ok(&with(
        &plan,
        &data,
        &["evidence", "list", "--kind", "notification", "--json"],
    ));
    let records: Value = serde_json::from_str(&evidence).unwrap();
    let records = records["records"].as_array().unwrap();
    assert_eq!(
        records.iter().filter(|r| r["outcome"] == "success").count(),
        4
    );
    let failed: Vec<&Value> = records
        .iter()
        .filter(|r| r["outcome"] == "failure")
        .collect();
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0]["message"]
            .as_str()
            .unwrap()
            .contains("given up after 1 attempt")
    );
    // The chat channel's URL is a secret: never in the evidence.
    assert!(!evidence.contains("/chat"), "{evidence}");
}

#[test]
fn fifty_pending_notifications_survive_a_sigkill_and_arrive_once() {
    let s = Scratch::new("notify-crash");
    let port = free_port();
    let plan = plan(&s.0, port);
    let data = s.join("data").display().to_string();
    // The receiver is down: every attempt fails and is retried.
    let server = Server::start(&["-c", &plan, "--data-dir", &data], &s.join("serve1.log"));
    for i in 0..50 {
        ok(&with(
            &plan,
            &data,
            &[
                "notify",
                "test",
                "hook",
                "--message",
                &format!("message {i}"),
            ],
        ));
    }
    wait_for("50 failed attempts", Duration::from_secs(60), || {
        let o = outbox(&plan, &data);
        (o.len() == 50 && o.iter().all(|n| n["attempts"].as_i64() >= Some(1))).then_some(())
    });
    server.kill();
    let pending = outbox(&plan, &data);
    assert!(
        pending.iter().all(|n| n["sent_ms"].is_null()),
        "none sent while the receiver was down"
    );

    // The receiver comes back, so does the server: all 50 arrive, once each.
    let (_, got) = receiver_on(port);
    let server = Server::start(&["-c", &plan, "--data-dir", &data], &s.join("serve2.log"));
    let received = wait_for("50 deliveries", Duration::from_secs(120), || {
        let g = got.lock().unwrap().clone();
        (g.len() >= 50).then_some(g)
    });
    std::thread::sleep(Duration::from_secs(2));
    let received_now = got.lock().unwrap().len();
    assert_eq!(received_now, 50, "a notification arrived twice");
    let mut ids: Vec<&String> = received
        .iter()
        .map(|r| &r.headers["x-rempart-delivery"])
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 50);
    let mut texts: Vec<String> = received
        .iter()
        .map(|r| {
            serde_json::from_slice::<Value>(&r.body).unwrap()["text"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    texts.sort();
    let mut expected: Vec<String> = (0..50).map(|i| format!("message {i}")).collect();
    expected.sort();
    assert_eq!(texts, expected);
    assert_eq!(server.stop(), Some(0));
    assert!(outbox(&plan, &data).iter().all(|n| !n["sent_ms"].is_null()));
}

#[test]
fn e_mail_goes_through_a_real_smtp_server() {
    let s = Scratch::new("notify-mail");
    let smtp = SmtpServer::start(&s.0);
    let plan = plan(&s.0, free_port());
    let data = s.join("data").display().to_string();
    let url = format!("smtp://127.0.0.1:{}", smtp.port);
    let env = [
        ("REMPART_SMTP_URL", url.as_str()),
        ("REMPART_SMTP_FROM", "Rempart <alertes@example.fr>"),
    ];
    let server = Server::start_with(
        &["-c", &plan, "--data-dir", &data],
        &env,
        &s.join("serve.log"),
    );
    // The plan's e-mail channel, and a contact (by the address the plan gives).
    ok(&with(
        &plan,
        &data,
        &["notify", "test", "mail", "--message", "mail channel works"],
    ));
    ok(&with(
        &plan,
        &data,
        &["notify", "test", "boss", "--message", "boss is reached"],
    ));
    let mails = wait_for("two e-mails", Duration::from_secs(30), || {
        let r = smtp.received();
        (r.matches("END MESSAGE").count() >= 2).then_some(r)
    });
    assert!(mails.contains("To: ops@example.com"), "{mails}");
    assert!(mails.contains("To: boss@example.com"), "{mails}");
    assert!(
        mails.contains("From: Rempart <alertes@example.fr>"),
        "{mails}"
    );
    assert!(mails.contains("Subject: Rempart test message"), "{mails}");
    assert!(
        mails.contains("mail channel works") && mails.contains("boss is reached"),
        "{mails}"
    );
    assert_eq!(server.stop(), Some(0));
    let notes = outbox(&plan, &data);
    assert!(notes.iter().all(|n| !n["sent_ms"].is_null()), "{notes:#?}");

    // Without a relay, e-mail is given up at once, saying what to set.
    let server = Server::start(&["-c", &plan, "--data-dir", &data], &s.join("serve2.log"));
    ok(&with(&plan, &data, &["notify", "test", "mail"]));
    let notes = wait_for("the give-up", Duration::from_secs(30), || {
        let o = outbox(&plan, &data);
        o.iter().any(|n| !n["gave_up_ms"].is_null()).then_some(o)
    });
    let gone = notes.iter().find(|n| !n["gave_up_ms"].is_null()).unwrap();
    assert!(
        gone["last_error"]
            .as_str()
            .unwrap()
            .contains("set REMPART_SMTP_URL"),
        "{gone}"
    );
    assert_eq!(server.stop(), Some(0));
    // A malformed relay URL stops serve at start, naming the variable.
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_rempart"))
        .args([
            "serve",
            "-c",
            &plan,
            "--data-dir",
            &data,
            "--listen",
            "127.0.0.1:0",
        ])
        .env("REMPART_SMTP_URL", "mail.example.com:587")
        .output()
        .expect("rempart runs");
    assert_eq!(bad.status.code(), Some(2));
    let said = String::from_utf8_lossy(&bad.stderr);
    assert!(
        said.contains("REMPART_SMTP_URL (mail.example.com:587) is not an SMTP URL"),
        "{said}"
    );
}
