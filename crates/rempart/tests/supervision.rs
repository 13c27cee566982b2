//! Supervision through a real `rempart serve`: a web server monitored over
//! HTTP (the parent) and its port over TCP (the child, `depends_on` the
//! parent). The server stops: exactly one root-cause alert, naming the
//! child, which is unreachable rather than down; it comes back: one
//! recovery message.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{Scratch, Server, free_port, local_plan, receiver, rempart, wait_for};
use serde_json::Value;

fn web_server(port: u16) -> Child {
    let child = Command::new("python3")
        .args([
            "-m",
            "http.server",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 http.server");
    wait_for("the web server", Duration::from_secs(20), || {
        std::net::TcpStream::connect(("127.0.0.1", port)).ok()
    });
    child
}

/// The newest probe record's state of each monitor.
fn states(plan: &str, data: &str) -> (Option<String>, Option<String>) {
    let out = rempart(&[
        "evidence",
        "list",
        "--kind",
        "probe",
        "--limit",
        "1000",
        "--json",
        "-c",
        plan,
        "--data-dir",
        data,
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let empty = Vec::new();
    let records = v["records"].as_array().unwrap_or(&empty);
    let last = |id: &str| {
        records
            .iter()
            .rev()
            .find(|r| r["subject"] == id)
            .and_then(|r| r["measurements"]["state"].as_str().map(str::to_owned))
    };
    (last("web"), last("web-port"))
}

fn texts(got: &std::sync::Arc<std::sync::Mutex<Vec<common::Got>>>) -> Vec<(String, String)> {
    got.lock()
        .unwrap()
        .iter()
        .map(|g| {
            let v: Value = serde_json::from_slice(&g.body).unwrap();
            (
                v["subject"].as_str().unwrap_or("").to_owned(),
                v["text"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_parent_outage_sends_one_root_cause_alert_and_one_recovery() {
    let s = Scratch::new("supervision");
    let web = free_port();
    let hook = free_port();
    let got = receiver(hook);
    let extra = format!(
        r#"
[[channel]]
id = "hook"
kind = "webhook"
url = "http://127.0.0.1:{hook}/alerts"

[[monitor]]
id = "web-port"
kind = "tcp"
target = "127.0.0.1:{web}"
interval = "1s"
timeout = "1s"
confirm = 3
depends_on = ["web"]
"#
    );
    let plan = local_plan(&s.0, "repos/nas", "seq 1 10", &extra);
    let text = std::fs::read_to_string(&plan)
        .unwrap()
        .replace(
            "target = \"https://app.example.com/\"\ninterval = \"1m\"",
            &format!("target = \"http://127.0.0.1:{web}/\"\ninterval = \"1s\"\ntimeout = \"1s\""),
        )
        .replace(
            "steps = [{ notify = [\"mail\"] }]",
            "steps = [{ notify = [\"hook\"] }]",
        );
    std::fs::write(&plan, text).unwrap();
    let data = s.join("data").display().to_string();

    let mut server_process = web_server(web);
    let serve = Server::start(&["-c", &plan, "--data-dir", &data], &s.join("serve.log"));
    wait_for("both monitors up", Duration::from_secs(30), || {
        (states(&plan, &data) == (Some("up".into()), Some("up".into()))).then_some(())
    });
    assert!(texts(&got).is_empty(), "coming up is not news");

    // The web server stops: the parent is down, its port unreachable.
    let _ = server_process.kill();
    let _ = server_process.wait();
    wait_for(
        "the parent down and the child unreachable",
        Duration::from_secs(30),
        || {
            (states(&plan, &data) == (Some("down".into()), Some("unreachable".into())))
                .then_some(())
        },
    );
    let alerts = wait_for("the alert", Duration::from_secs(20), || {
        let t = texts(&got);
        (!t.is_empty()).then_some(t)
    });
    std::thread::sleep(Duration::from_secs(3));
    let alerts_now = texts(&got);
    assert_eq!(
        alerts_now.len(),
        1,
        "exactly one root-cause alert: {alerts_now:#?}"
    );
    let (subject, text) = &alerts[0];
    assert_eq!(subject, "[DOWN] web");
    assert!(
        text.contains("Root cause: also affected (they depend on it): web-port"),
        "{text}"
    );

    // It comes back: one recovery message, none for the child.
    let mut server_process = web_server(web);
    let all = wait_for("the recovery", Duration::from_secs(30), || {
        let t = texts(&got);
        (t.len() >= 2).then_some(t)
    });
    wait_for("both monitors up again", Duration::from_secs(30), || {
        (states(&plan, &data) == (Some("up".into()), Some("up".into()))).then_some(())
    });
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(texts(&got).len(), 2, "{:#?}", texts(&got));
    assert_eq!(all[1].0, "[UP] web");
    assert!(all[1].1.contains("Back after"), "{}", all[1].1);
    let _ = server_process.kill();
    let _ = server_process.wait();
    assert_eq!(serve.stop(), Some(0));
}
