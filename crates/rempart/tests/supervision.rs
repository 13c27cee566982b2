//! Supervision through a real `rempart serve`: a web server monitored over
//! HTTP (the parent) and its port over TCP (the child, `depends_on` the
//! parent). The server stops: exactly one root-cause alert, naming the
//! child, which is unreachable rather than down; unacknowledged, it
//! escalates to the next level; its signed link acknowledges it and the
//! escalation stops; it comes back: everyone reached hears it.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{Scratch, Server, free_port, local_plan, receiver, rempart, wait_for, web_server};
use serde_json::Value;

/// The base plan with a webhook channel `hook` (to `/alerts` on port
/// `hook`) and `extra` appended, and its default escalation's steps
/// replaced by `steps`; written to `dir/rempart.toml`, whose path is returned.
fn alerting_plan(dir: &std::path::Path, hook: u16, extra: &str, steps: &str) -> String {
    let channel = format!(
        "\n[[channel]]\nid = \"hook\"\nkind = \"webhook\"\nurl = \"http://127.0.0.1:{hook}/alerts\"\n"
    );
    let plan = local_plan(dir, "repos/nas", "seq 1 10", &(channel + extra));
    let text = std::fs::read_to_string(&plan).unwrap();
    let default = "steps = [{ notify = [\"mail\"] }]";
    assert!(text.contains(default), "the base plan's escalation changed");
    std::fs::write(&plan, text.replace(default, &format!("steps = {steps}"))).unwrap();
    plan
}

/// `rempart evidence list --json --data-dir DATA ARGS`, parsed.
fn evidence(data: &str, args: &[&str]) -> Value {
    let mut all = vec!["evidence", "list", "--json", "--data-dir", data];
    all.extend_from_slice(args);
    let out = rempart(&all);
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

/// The month's SLA of each of `ids` (`rempart sla --json`), read at once.
fn sla_of(data: &str, ids: &[&str]) -> Option<Vec<Value>> {
    let out = rempart(&["sla", "--json", "--data-dir", data, "--tenant", "default"]);
    let v: Value = serde_json::from_slice(&out.stdout).ok()?;
    let all = v["monitors"].as_array()?;
    ids.iter()
        .map(|id| all.iter().find(|m| m["monitor"] == *id).cloned())
        .collect()
}

/// The newest probe record's state of each monitor.
fn states(plan: &str, data: &str) -> (Option<String>, Option<String>) {
    let v = evidence(data, &["--kind", "probe", "--limit", "1000", "-c", plan]);
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

/// (path, body) of every message received.
fn texts(got: &std::sync::Arc<std::sync::Mutex<Vec<common::Got>>>) -> Vec<(String, Value)> {
    got.lock()
        .unwrap()
        .iter()
        .map(|g| (g.path.clone(), serde_json::from_slice(&g.body).unwrap()))
        .collect()
}

fn at(all: &[(String, Value)], path: &str) -> Vec<Value> {
    all.iter()
        .filter(|(p, _)| p == path)
        .map(|(_, v)| v.clone())
        .collect()
}

#[test]
fn a_parent_outage_alerts_once_escalates_until_acknowledged_and_recovers() {
    let s = Scratch::new("supervision");
    let web = free_port();
    let (hook, got) = receiver();
    let extra = format!(
        r#"

[[channel]]
id = "hook2"
kind = "webhook"
url = "http://127.0.0.1:{hook}/level2"

[[channel]]
id = "hook3"
kind = "webhook"
url = "http://127.0.0.1:{hook}/level3"

[[monitor]]
id = "web-port"
kind = "tcp"
target = "127.0.0.1:{web}"
interval = "1s"
timeout = "1s"
confirm = 3
depends_on = ["web"]

[sla]
targets = [{{ monitor = "web", uptime = 99.9 }}]
"#
    );
    let plan = alerting_plan(
        &s.0,
        hook,
        &extra,
        "[{ notify = [\"hook\"] }, { notify = [\"hook2\"], after = \"3s\" }, { notify = [\"hook3\"], after = \"8s\" }]",
    );
    let text = std::fs::read_to_string(&plan).unwrap().replace(
        "target = \"https://app.example.com/\"\ninterval = \"1m\"",
        &format!("target = \"http://127.0.0.1:{web}/\"\ninterval = \"1s\"\ntimeout = \"1s\""),
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
    let first = wait_for("the alert", Duration::from_secs(20), || {
        at(&texts(&got), "/alerts").first().cloned()
    });
    assert_eq!(first["subject"], "[DOWN] web");
    let text = first["text"].as_str().unwrap();
    assert!(
        text.contains("Root cause: also affected (they depend on it): web-port"),
        "{text}"
    );
    let alert = first["alert"].as_i64().expect("an alert number");

    // Nobody acknowledges: the second level is notified after 3 s.
    let level2 = wait_for("the escalation", Duration::from_secs(20), || {
        at(&texts(&got), "/level2").first().cloned()
    });
    assert!(
        level2["text"]
            .as_str()
            .unwrap()
            .contains("not acknowledged"),
        "{level2}"
    );
    assert_eq!(level2["alert"], alert);
    // Its acknowledgement link stops the escalation: no third level at 8 s.
    let link = level2["ack_url"]
        .as_str()
        .expect("an acknowledgement link")
        .to_owned();
    let mut forged = link.clone();
    forged.replace_range(forged.len() - 4.., "0000");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    assert_eq!(
        agent.get(&forged).call().unwrap().status().as_u16(),
        404,
        "a forged link is refused"
    );
    // Opening the link (a mail scanner, a chat preview) only shows it.
    assert_eq!(agent.head(&link).call().unwrap().status().as_u16(), 200);
    let mut shown = agent.get(&link).call().unwrap();
    assert_eq!(shown.status().as_u16(), 200);
    let page = shown.body_mut().read_to_string().unwrap();
    assert!(
        page.contains("<form method=\"post\">") && page.contains("not acknowledged"),
        "{page}"
    );
    assert!(
        evidence(&data, &["--kind", "confirmation"])["records"]
            .as_array()
            .unwrap()
            .is_empty(),
        "a GET acknowledged"
    );
    // The page's button acknowledges, in the receiver's name.
    let mut acked = agent.post(&link).send_empty().unwrap();
    assert_eq!(acked.status().as_u16(), 200);
    let page = acked.body_mut().read_to_string().unwrap();
    assert!(page.contains("Alert acknowledged"), "{page}");
    let record = &evidence(&data, &["--kind", "confirmation"])["records"][0];
    assert_eq!(
        (
            record["measurements"]["by"].as_str(),
            record["measurements"]["via"].as_str()
        ),
        (Some("hook2"), Some("link")),
        "{record:#}"
    );
    std::thread::sleep(Duration::from_secs(8));
    let all = texts(&got);
    assert!(
        at(&all, "/level3").is_empty(),
        "escalated past an acknowledgement: {all:#?}"
    );
    assert_eq!(
        at(&all, "/alerts").len(),
        1,
        "exactly one root-cause alert: {all:#?}"
    );
    // What supervision sees now: the parent down, the child unreachable.
    let now = rempart(&[
        "monitors",
        "--json",
        "--data-dir",
        &data,
        "--tenant",
        "default",
    ]);
    assert_eq!(now.status.code(), Some(1), "a monitor is down");
    let v: Value = serde_json::from_slice(&now.stdout).unwrap();
    let seen = |id: &str| {
        v["monitors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .cloned()
            .unwrap()
    };
    let (web_now, port_now) = (seen("web"), seen("web-port"));
    assert_eq!(
        (web_now["state"].as_str(), port_now["state"].as_str()),
        (Some("down"), Some("unreachable")),
        "{v:#}"
    );
    let since = web_now["since_ms"].as_i64().expect("since when it is down");
    let checked = web_now["last_check_ms"].as_i64().expect("its last check");
    assert!(since <= checked, "{web_now:#}");
    assert!(web_now["failing_checks"].as_i64() >= Some(1), "{web_now:#}");
    assert_eq!(port_now["depends_on"][0], "web");
    let again = rempart(&["ack", &alert.to_string(), "--data-dir", &data]);
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("was already acknowledged by hook2"),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );

    // It comes back: everyone reached hears it, nothing about the child.
    let mut server_process = web_server(web);
    wait_for("the recovery", Duration::from_secs(30), || {
        let t = texts(&got);
        (at(&t, "/alerts").len() >= 2 && at(&t, "/level2").len() >= 2).then_some(())
    });
    wait_for("both monitors up again", Duration::from_secs(30), || {
        (states(&plan, &data) == (Some("up".into()), Some("up".into()))).then_some(())
    });
    std::thread::sleep(Duration::from_secs(2));
    let all = texts(&got);
    assert_eq!(all.len(), 4, "{all:#?}");
    let up = &at(&all, "/alerts")[1];
    assert_eq!(up["subject"], "[UP] web");
    assert!(up["text"].as_str().unwrap().contains("Back after"), "{up}");
    let _ = server_process.kill();
    let _ = server_process.wait();
    assert_eq!(serve.stop(), Some(0));
    let v = evidence(&data, &["--kind", "confirmation"]);
    assert_eq!(v["records"][0]["subject"], format!("alert/{alert}"));
    assert_eq!(v["records"][0]["measurements"]["via"], "link");

    // The month's SLA: the outage is there, the 99.9 % target is breached.
    let sla = rempart(&["sla", "--json", "--data-dir", &data, "--tenant", "default"]);
    assert_eq!(
        sla.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&sla.stderr)
    );
    let v: Value = serde_json::from_slice(&sla.stdout).unwrap();
    let web_sla = v["monitors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["monitor"] == "web")
        .unwrap()
        .clone();
    let pct = web_sla["uptime_percent"].as_f64().unwrap();
    assert!(pct > 0.0 && pct < 100.0, "{web_sla:#}");
    assert_eq!(web_sla["compliant"], false);
    // Per day: today's (and yesterday's across midnight), the same checks.
    let days = web_sla["days"].as_array().unwrap();
    assert!((1..=2).contains(&days.len()), "{web_sla:#}");
    let per_day: i64 = days.iter().map(|d| d["checks"].as_i64().unwrap()).sum();
    assert_eq!(Some(per_day), web_sla["checks"].as_i64(), "{web_sla:#}");
    assert!(
        days.iter()
            .any(|d| d["uptime_percent"].as_f64() < Some(100.0))
    );
    let outages = web_sla["outages"].as_array().unwrap();
    assert_eq!(outages.len(), 1, "{web_sla:#}");
    assert_eq!(
        (outages[0]["state"].as_str(), outages[0]["open"].as_bool()),
        (Some("down"), Some(false))
    );
    assert!(
        outages[0]["duration_ms"].as_i64().unwrap() >= 8_000,
        "{web_sla:#}"
    );
    let port_sla = v["monitors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["monitor"] == "web-port")
        .unwrap()
        .clone();
    assert_eq!(port_sla["outages"][0]["state"], "unreachable");
    assert!(
        port_sla["outages"][0]["cause"]
            .as_str()
            .unwrap()
            .contains("depends on web")
    );
    let human = rempart(&["sla", "--data-dir", &data, "--tenant", "default"]);
    let said = String::from_utf8_lossy(&human.stdout);
    assert!(
        said.contains("99.9 %: BREACHED") && said.contains("Connection refused"),
        "{said}"
    );
    let bad = rempart(&[
        "sla",
        "--month",
        "2026-13",
        "--data-dir",
        &data,
        "--tenant",
        "default",
    ]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn a_monitor_in_maintenance_is_checked_but_raises_nothing() {
    let s = Scratch::new("maintenance");
    let (hook, got) = receiver();
    let closed = free_port();
    let now = utc_in(0);
    let later = utc_in(3_600);
    let extra = format!(
        r#"

[[monitor]]
id = "db-port"
kind = "tcp"
target = "127.0.0.1:{closed}"
interval = "1s"
timeout = "1s"
confirm = 1

[[maintenance]]
id = "db-upgrade"
monitors = ["db-port"]
start = "{now}"
end = "{later}"
reason = "PostgreSQL upgrade"
"#
    );
    let plan = alerting_plan(&s.0, hook, &extra, "[{ notify = [\"hook\"] }]");
    let data = s.join("data").display().to_string();
    let serve = Server::start(&["-c", &plan, "--data-dir", &data], &s.join("serve.log"));
    // Every check is counted for the SLA, apart: none counts against it.
    let sla = || sla_of(&data, &["db-port"]).map(|mut v| v.remove(0));
    let counted = wait_for("three checks counted", Duration::from_secs(30), || {
        sla().filter(|m| m["maintenance_checks"].as_i64() >= Some(3))
    });
    let now = rempart(&["monitors", "--data-dir", &data, "--tenant", "default"]);
    let said = String::from_utf8_lossy(&now.stdout);
    assert_eq!(now.status.code(), Some(0), "in maintenance: {said}");
    assert!(
        said.contains("db-port") && said.contains("(maintenance db-upgrade)"),
        "{said}"
    );
    assert_eq!(serve.stop(), Some(0));
    assert_eq!(counted["checks"], 0, "{counted:#}");
    assert_eq!(counted["outages"].as_array().map(Vec::len), Some(0));
    // Evidence: the first check, then only changes (and one every 10
    // minutes by default): the same closed port, once.
    let v = evidence(&data, &["--kind", "probe", "--subject", "db-port"]);
    let records = v["records"].as_array().unwrap();
    assert_eq!(records.len(), 1, "{v:#}");
    for r in records {
        assert_eq!(r["outcome"], "failure", "the port is closed");
        assert_eq!(r["measurements"]["maintenance"], "db-upgrade");
        assert_eq!(
            r["measurements"]["state"],
            Value::Null,
            "the state is left as it was"
        );
    }
    assert!(
        got.lock().unwrap().is_empty(),
        "no alert in a maintenance window"
    );
}

/// Now plus `seconds`, as RFC 3339 (UTC), without a date library.
fn utc_in(seconds: i64) -> String {
    let out = Command::new("date")
        .args([
            "-u",
            "-d",
            &format!("@{}", unix_now() + seconds),
            "+%Y-%m-%dT%H:%M:%SZ",
        ])
        .output()
        .expect("date");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}

/// The first heartbeat monitor of the default tenant, as `rempart
/// heartbeat --json` shows it (its ping URL on `serve`).
fn heartbeat(serve: &Server, data: &str) -> Value {
    let out = rempart(&[
        "heartbeat",
        "--json",
        "--public-url",
        &serve.url(""),
        "--data-dir",
        data,
        "--tenant",
        "default",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    v["heartbeats"][0].clone()
}

#[test]
fn heartbeats_report_in_and_a_missed_ping_alerts() {
    let s = Scratch::new("heartbeat");
    let (hook, got) = receiver();
    let extra = "\n[[monitor]]\nid = \"nightly\"\nkind = \"heartbeat\"\nperiod = \"every 3s\"\ngrace = \"1s\"\n";
    let plan = alerting_plan(&s.0, hook, extra, "[{ notify = [\"hook\"] }]");
    let data = s.join("data").display().to_string();
    // Each alert alone: this test times a second outage right after the first.
    let serve = Server::start(
        &["-c", &plan, "--data-dir", &data, "--group-alerts", "0s"],
        &s.join("serve.log"),
    );
    let url = heartbeat(&serve, &data)["url"]
        .as_str()
        .expect("a ping URL")
        .to_owned();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let hit = |u: &str| {
        agent
            .get(u)
            .call()
            .map(|r| r.status().as_u16())
            .unwrap_or(0)
    };
    assert_eq!(hit(&format!("{url}/start")), 200);
    assert_eq!(hit(&format!("{url}/0")), 200);
    assert_eq!(
        hit(&serve.url("/ping/0123456789abcdef")),
        404,
        "unknown token"
    );
    assert_eq!(hit(&format!("{url}/later")), 400);
    // The job keeps its rhythm for a few periods: nothing to say.
    for _ in 0..4 {
        std::thread::sleep(Duration::from_millis(1_500));
        assert_eq!(hit(&url), 200);
    }
    assert!(texts(&got).is_empty(), "{:#?}", texts(&got));
    // It stops pinging: one alert once the period and grace are past.
    let down = wait_for("the missed-ping alert", Duration::from_secs(20), || {
        at(&texts(&got), "/alerts").first().cloned()
    });
    assert_eq!(down["subject"], "[DOWN] nightly");
    assert!(
        down["text"].as_str().unwrap().contains("no ping since"),
        "{down}"
    );
    // It pings again: back up. Then it reports a failure: down at once.
    assert_eq!(hit(&url), 200);
    wait_for("the recovery", Duration::from_secs(20), || {
        (at(&texts(&got), "/alerts").len() >= 2).then_some(())
    });
    assert_eq!(hit(&format!("{url}/fail")), 200);
    let failed = wait_for("the failure alert", Duration::from_secs(20), || {
        at(&texts(&got), "/alerts").get(2).cloned()
    });
    assert!(
        failed["text"]
            .as_str()
            .unwrap()
            .contains("the job reported a failure"),
        "{failed}"
    );
    assert_eq!(serve.stop(), Some(0));
}

#[test]
fn an_unacknowledged_alert_is_repeated_until_acknowledged() {
    let s = Scratch::new("reminders");
    let (hook, got) = receiver();
    let closed = free_port();
    let extra = format!(
        r#"

[[monitor]]
id = "vpn"
kind = "tcp"
target = "127.0.0.1:{closed}"
interval = "1s"
timeout = "1s"
confirm = 1
"#
    );
    let plan = alerting_plan(
        &s.0,
        hook,
        &extra,
        "[{ notify = [\"hook\"] }]\nrepeat = \"2s\"",
    );
    let data = s.join("data").display().to_string();
    let serve = Server::start(&["-c", &plan, "--data-dir", &data], &s.join("serve.log"));
    let first = wait_for(
        "the alert and two reminders",
        Duration::from_secs(30),
        || {
            let all = at(&texts(&got), "/alerts");
            (all.len() >= 3).then_some(all)
        },
    );
    assert_eq!(first[0]["subject"], "[DOWN] vpn");
    assert!(
        first[1]["text"]
            .as_str()
            .unwrap()
            .starts_with("Reminder: still down"),
        "{:#}",
        first[1]
    );
    let alert = first[0]["alert"].as_i64().unwrap();
    let acked = rempart(&["ack", &alert.to_string(), "--data-dir", &data]);
    assert!(
        String::from_utf8_lossy(&acked.stdout).contains("acknowledged by cli:"),
        "{}",
        String::from_utf8_lossy(&acked.stderr)
    );
    std::thread::sleep(Duration::from_millis(500));
    let after_ack = at(&texts(&got), "/alerts").len();
    std::thread::sleep(Duration::from_secs(5));
    assert_eq!(
        at(&texts(&got), "/alerts").len(),
        after_ack,
        "no reminder after the acknowledgement"
    );
    assert_eq!(serve.stop(), Some(0));
}

#[test]
fn an_acknowledgement_link_names_its_receiver_and_expires() {
    let s = Scratch::new("ack-expiry");
    let (hook, got) = receiver();
    let closed = free_port();
    let extra = format!(
        "\n[[monitor]]\nid = \"vpn\"\nkind = \"tcp\"\ntarget = \"127.0.0.1:{closed}\"\ninterval = \"1s\"\ntimeout = \"1s\"\nconfirm = 1\n"
    );
    let plan = alerting_plan(&s.0, hook, &extra, "[{ notify = [\"hook\"] }]");
    let data = s.join("data").display().to_string();
    let serve = Server::start(
        &["-c", &plan, "--data-dir", &data, "--ack-links-valid", "3s"],
        &s.join("serve.log"),
    );
    let alert = wait_for("the alert", Duration::from_secs(30), || {
        at(&texts(&got), "/alerts").first().cloned()
    });
    let link = alert["ack_url"].as_str().unwrap().to_owned();
    // The link names the receiver it went to; another receiver's name breaks it.
    assert!(link.contains("/hook/"), "{link}");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let other = link.replace("/hook/", "/hook2/");
    assert_eq!(
        agent.post(&other).send_empty().unwrap().status().as_u16(),
        404
    );
    // Once past its validity it shows why and acknowledges nothing.
    let page = wait_for("the link to expire", Duration::from_secs(20), || {
        let mut r = agent.get(&link).call().ok()?;
        (r.status().as_u16() == 410).then(|| r.body_mut().read_to_string().unwrap())
    });
    assert!(
        page.contains("expired") && page.contains("rempart ack"),
        "{page}"
    );
    assert_eq!(
        agent.post(&link).send_empty().unwrap().status().as_u16(),
        410
    );
    assert_eq!(serve.stop(), Some(0));
    let v = evidence(&data, &["--kind", "confirmation"]);
    assert!(v["records"].as_array().unwrap().is_empty(), "{v:#}");
}

#[test]
fn an_incident_touching_many_monitors_goes_out_as_few_messages() {
    let s = Scratch::new("grouping");
    let (hook, got) = receiver();
    // Five unrelated services, all down (closed ports): five alerts, but
    // the first goes at once and the others follow it in one message.
    let ids: Vec<String> = (1..=5).map(|i| format!("svc-{i}")).collect();
    let extra: String = ids
        .iter()
        .map(|id| {
            format!(
                "\n[[monitor]]\nid = \"{id}\"\nkind = \"tcp\"\ntarget = \"127.0.0.1:{}\"\ninterval = \"1s\"\ntimeout = \"1s\"\nconfirm = 1\n",
                free_port()
            )
        })
        .collect();
    let plan = alerting_plan(&s.0, hook, &extra, "[{ notify = [\"hook\"] }]");
    let data = s.join("data").display().to_string();
    let serve = Server::start(
        &["-c", &plan, "--data-dir", &data, "--group-alerts", "4s"],
        &s.join("serve.log"),
    );
    // Every alert, alone or in a group: (subject, alert id, ack link).
    let named = |all: &[Value]| -> Vec<(String, i64, String)> {
        all.iter()
            .flat_map(|m| match m["grouped"].as_array() {
                Some(items) => items.clone(),
                None => vec![m.clone()],
            })
            .filter_map(|m| {
                Some((
                    m["subject"].as_str()?.to_owned(),
                    m["alert"].as_i64()?,
                    m["ack_url"].as_str()?.to_owned(),
                ))
            })
            .collect()
    };
    let messages = wait_for("five alerts", Duration::from_secs(30), || {
        let all = at(&texts(&got), "/alerts");
        (named(&all).len() >= 5).then_some(all)
    });
    // Nothing more comes: each alert once.
    std::thread::sleep(Duration::from_secs(6));
    let all = at(&texts(&got), "/alerts");
    assert_eq!(all.len(), messages.len(), "{all:#?}");
    assert!(
        all.len() <= 2,
        "five alerts in {} messages: {all:#?}",
        all.len()
    );
    let alerts = named(&all);
    let mut subjects: Vec<&str> = alerts.iter().map(|a| a.0.as_str()).collect();
    subjects.sort_unstable();
    let wanted: Vec<String> = ids.iter().map(|id| format!("[DOWN] {id}")).collect();
    assert_eq!(subjects, wanted, "{all:#?}");
    let grouped = all
        .iter()
        .find(|m| m["grouped"].is_array())
        .expect("a grouped message");
    let n = grouped["grouped"].as_array().unwrap().len();
    assert!(
        grouped["subject"]
            .as_str()
            .unwrap()
            .starts_with(&format!("[DOWN] {n} monitors: svc-")),
        "{grouped:#}"
    );
    assert_eq!(grouped["alert"], Value::Null);
    // Each alert of the group is acknowledged by its own link.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let (_, id, link) = named(std::slice::from_ref(grouped))[0].clone();
    assert_eq!(
        agent.post(&link).send_empty().unwrap().status().as_u16(),
        200
    );
    assert_eq!(serve.stop(), Some(0));
    let v = evidence(&data, &["--kind", "confirmation"]);
    assert_eq!(v["records"][0]["subject"], format!("alert/{id}"));
    // Every notification's delivery is evidence, the grouped ones saying with which.
    let v = evidence(&data, &["--kind", "notification"]);
    let records = v["records"].as_array().unwrap();
    assert_eq!(records.len(), 5, "{v:#}");
    let together = records
        .iter()
        .filter(|r| r["measurements"]["sent_with"].as_array().map(Vec::len) == Some(n))
        .count();
    assert_eq!(together, n, "{v:#}");
}

#[test]
fn a_hanging_target_times_out_without_holding_the_others() {
    let s = Scratch::new("hanging");
    let (hook, _got) = receiver();
    // One server accepts and never answers; another simply accepts.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let open = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let (silent_port, open_port) = (
        silent.local_addr().unwrap().port(),
        open.local_addr().unwrap().port(),
    );
    for listener in [silent, open] {
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in listener.incoming().flatten() {
                held.push(stream);
            }
        });
    }
    let extra = format!(
        r#"
[[monitor]]
id = "stuck"
kind = "http"
target = "http://127.0.0.1:{silent_port}/"
interval = "1s"
timeout = "2s"
confirm = 1

[[monitor]]
id = "fine"
kind = "tcp"
target = "127.0.0.1:{open_port}"
interval = "1s"
timeout = "1s"
"#
    );
    let plan = alerting_plan(&s.0, hook, &extra, "[{ notify = [\"hook\"] }]");
    let data = s.join("data").display().to_string();
    let serve = Server::start(&["-c", &plan, "--data-dir", &data], &s.join("serve.log"));
    // The stuck one times out and is down; meanwhile the other is checked
    // every second: twice as often as the stuck one, whose turns are
    // skipped while its check hangs.
    wait_for("the stuck monitor down", Duration::from_secs(30), || {
        sla_of(&data, &["stuck"])
            .map(|mut v| v.remove(0))
            .filter(|m| m["outages"].as_array().is_some_and(|o| !o.is_empty()))
    });
    let (stuck, fine) = wait_for("ten checks of the other", Duration::from_secs(30), || {
        let v = sla_of(&data, &["stuck", "fine"])?;
        (v[1]["checks"].as_i64()? >= 10).then(|| (v[0].clone(), v[1].clone()))
    });
    let (n_stuck, n_fine) = (
        stuck["checks"].as_i64().unwrap(),
        fine["checks"].as_i64().unwrap(),
    );
    assert!(
        n_fine * 2 >= n_stuck * 3,
        "{n_fine} checks of the other beside {n_stuck} hanging ones"
    );
    assert_eq!(serve.stop(), Some(0));
    assert_eq!(stuck["outages"][0]["state"], "down");
    let cause = stuck["outages"][0]["cause"].as_str().unwrap();
    assert!(cause.contains("timed out"), "{cause}");
    assert_eq!(fine["up"], fine["checks"], "{fine:#}");
}

/// A job pinging with the lines Healthchecks documents (`curl -fsS -m 10
/// --retry 5 --data-raw "$m" URL/$?`): its state follows each ping at once
/// (not at the monitor's next turn, 30 s later), and what it sent is kept
/// and shown with the ping and in the alert.
#[test]
fn heartbeat_pings_as_healthchecks_documents_them() {
    let s = Scratch::new("heartbeat-hc");
    let (hook, got) = receiver();
    // A nightly job: judged every 30 s, its next ping expected in a day.
    let extra = "\n[[monitor]]\nid = \"certbot\"\nkind = \"heartbeat\"\nperiod = \"every 1d\"\ngrace = \"1h\"\n";
    let plan = alerting_plan(&s.0, hook, extra, "[{ notify = [\"hook\"] }]");
    let data = s.join("data").display().to_string();
    let serve = Server::start(
        &["-c", &plan, "--data-dir", &data, "--group-alerts", "0s"],
        &s.join("serve.log"),
    );
    let heard = || heartbeat(&serve, &data);
    let url = heard()["url"].as_str().expect("a ping URL").to_owned();
    let state = || -> Option<String> {
        let out = rempart(&[
            "monitors",
            "--json",
            "--data-dir",
            &data,
            "--tenant",
            "default",
        ]);
        let v: Value = serde_json::from_slice(&out.stdout).ok()?;
        let m = v["monitors"]
            .as_array()?
            .iter()
            .find(|m| m["id"] == "certbot")?
            .clone();
        m["state"].as_str().map(str::to_owned)
    };
    let sh = |script: &str| {
        let out = Command::new("sh")
            .args(["-c", script])
            .env("URL", &url)
            .output()
            .expect("sh");
        assert!(
            out.status.success(),
            "{script}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    // Start, then success: up.
    sh(r#"curl -fsS -m 10 --retry 5 -o /dev/null "$URL/start""#);
    sh(r#"curl -fsS -m 10 --retry 5 -o /dev/null "$URL""#);
    wait_for("up", Duration::from_secs(40), || {
        (state().as_deref() == Some("up")).then_some(())
    });
    // The job fails, its output POSTed with its exit code: down at once,
    // well before the monitor's next turn.
    let sent = Instant::now();
    sh(
        r#"m=$(sh -c 'echo "renewing example.fr"; echo "ERROR: disk full" >&2; exit 3' 2>&1); curl -fsS -m 10 --retry 5 --data-raw "$m" "$URL/$?""#,
    );
    let alert = wait_for("the failure alert", Duration::from_secs(40), || {
        at(&texts(&got), "/alerts").first().cloned()
    });
    assert!(
        sent.elapsed() < Duration::from_secs(15),
        "the state followed the ping at once, not at the next 30 s turn ({:?})",
        sent.elapsed()
    );
    let text = alert["text"].as_str().unwrap();
    assert!(text.contains("exit 3"), "{text}");
    assert!(
        text.contains("renewing example.fr\nERROR: disk full"),
        "{text}"
    );
    let h = heard();
    assert_eq!(h["last_exit"], 3);
    assert_eq!(h["last_body_kind"], "3");
    assert_eq!(h["last_fail_body"], "renewing example.fr\nERROR: disk full");
    // /log says something without changing anything; a long log is cut.
    let long = s.join("long.log");
    std::fs::write(&long, "0123456789".repeat(5_000)).unwrap();
    sh(&format!(
        r#"curl -fsS -m 10 --retry 5 --data-binary @{} "$URL/log""#,
        long.display()
    ));
    let h = heard();
    assert_eq!(h["last_body_kind"], "log");
    let body = h["last_body"].as_str().unwrap();
    assert!(
        body.starts_with("0123456789")
            && body.ends_with("(cut: the first 10000 of 50000 bytes kept)"),
        "{}",
        &body[body.len() - 80..]
    );
    assert_eq!(h["last_fail_body"], "renewing example.fr\nERROR: disk full");
    assert_eq!(state().as_deref(), Some("down"), "a log changes no state");
    // `rempart monitors` (as the API's /monitors) shows it with the monitor.
    let out = rempart(&[
        "monitors",
        "--json",
        "--data-dir",
        &data,
        "--tenant",
        "default",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let m = v["monitors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "certbot")
        .unwrap()
        .clone();
    assert_eq!(m["heartbeat"]["last_exit"], 3, "{m:#}");
    // Success again: up at once.
    sh(r#"curl -fsS -m 10 --retry 5 -o /dev/null "$URL/0""#);
    wait_for("the recovery", Duration::from_secs(40), || {
        (at(&texts(&got), "/alerts").len() >= 2).then_some(())
    });
    assert_eq!(serve.stop(), Some(0));
}
