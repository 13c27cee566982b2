//! The HTTP API of a real `rempart serve`: authentication and tenant
//! isolation, plans, evidence, jobs, bad input, and the OpenAPI document
//! checked by a validator from PyPI and against the routes.

mod common;

use std::time::Duration;

use common::{Scratch, Server, base_plan, command_monitor, rempart, wait_for};
use serde_json::Value;

/// (status, JSON body) of a request; never fails on 4xx/5xx.
fn call(method: &str, url: &str, token: Option<&str>, body: Option<&[u8]>) -> (u16, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let auth = token.map(|t| format!("Bearer {t}"));
    let response = match (method, body) {
        ("GET", _) => {
            let mut r = agent.get(url);
            if let Some(a) = &auth {
                r = r.header("Authorization", a);
            }
            r.call()
        }
        ("DELETE", _) => {
            let mut r = agent.delete(url);
            if let Some(a) = &auth {
                r = r.header("Authorization", a);
            }
            r.call()
        }
        (m, body) => {
            let mut r = match m {
                "POST" => agent.post(url),
                "PUT" => agent.put(url),
                other => panic!("method {other}"),
            };
            if let Some(a) = &auth {
                r = r.header("Authorization", a);
            }
            let body = body.unwrap_or_default();
            let content_type = if body.starts_with(b"{") {
                "application/json"
            } else {
                "application/toml"
            };
            r.header("Content-Type", content_type).send(body)
        }
    };
    let mut response = response.expect("the server answers");
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn token(data: &str, args: &[&str]) -> String {
    let mut all = vec!["token", "create", "--data-dir", data];
    all.extend_from_slice(args);
    let out = rempart(&all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn the_api_end_to_end() {
    let dir = Scratch::new("api");
    let plans = dir.join("plans");
    std::fs::create_dir_all(&plans).unwrap();
    let plan = base_plan() + &command_monitor("uptime", "uptime", "2s");
    std::fs::write(plans.join("acme.toml"), &plan).unwrap();
    let data = dir.join("data");
    let data_s = data.display().to_string();
    let server = Server::start(
        &["--plans", plans.to_str().unwrap(), "--data-dir", &data_s],
        &dir.join("serve.log"),
    );
    let msp = token(&data_s, &["--name", "msp"]);
    let acme = token(&data_s, &["--name", "acme-portal", "--tenant", "acme"]);
    let url = |p: &str| server.url(p);

    // Authentication.
    let (s, body) = call("GET", &url("/api/v1/tenants"), None, None);
    assert_eq!((s, body["error"].as_str()), (401, Some("unauthorized")));
    let (s, _) = call(
        "GET",
        &url("/api/v1/tenants"),
        Some("rpt_not-a-token"),
        None,
    );
    assert_eq!(s, 401);

    // The MSP creates a second tenant; a tenant token may not.
    let (s, body) = call(
        "POST",
        &url("/api/v1/tenants"),
        Some(&msp),
        Some(br#"{"id":"other","name":"Other SARL"}"#),
    );
    assert_eq!((s, body["id"].as_str()), (201, Some("other")));
    let (s, body) = call(
        "POST",
        &url("/api/v1/tenants"),
        Some(&acme),
        Some(br#"{"id":"x","name":"X"}"#),
    );
    assert_eq!((s, body["error"].as_str()), (403, Some("forbidden")));
    let (s, body) = call(
        "POST",
        &url("/api/v1/tenants"),
        Some(&msp),
        Some(b"{\"id\": "),
    );
    assert_eq!((s, body["error"].as_str()), (400, Some("bad-request")));

    // Isolation: a tenant token sees its tenant only, and cannot tell
    // another tenant from one that does not exist.
    let (s, body) = call("GET", &url("/api/v1/tenants"), Some(&acme), None);
    assert_eq!(s, 200);
    let ids: Vec<&str> = body
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["acme"]);
    let (_, msp_view) = call("GET", &url("/api/v1/tenants"), Some(&msp), None);
    assert_eq!(msp_view.as_array().unwrap().len(), 2);
    let (s_other, other) = call(
        "GET",
        &url("/api/v1/tenants/other/evidence"),
        Some(&acme),
        None,
    );
    let (s_none, none) = call(
        "GET",
        &url("/api/v1/tenants/nobody/evidence"),
        Some(&acme),
        None,
    );
    assert_eq!((s_other, s_none), (404, 404));
    assert_eq!(
        other["message"].as_str().unwrap().replace("other", "?"),
        none["message"].as_str().unwrap().replace("nobody", "?")
    );

    // The plan: as loaded from the file.
    let (s, body) = call("GET", &url("/api/v1/tenants/acme/plan"), Some(&acme), None);
    assert_eq!((s, body["version"].as_i64()), (200, Some(1)));
    assert_eq!(body["source"].as_str(), Some(plan.as_str()));
    assert!(body["accepted_by"].as_str().unwrap().starts_with("file:"));

    // A broken plan: 422 with the same findings as `plan check`; v1 stays.
    let broken = plan.replacen("rto = \"4h\"", "rto = \"3d\"", 1);
    let (s, body) = call(
        "PUT",
        &url("/api/v1/tenants/acme/plan"),
        Some(&acme),
        Some(broken.as_bytes()),
    );
    assert_eq!((s, body["error"].as_str()), (422, Some("invalid-plan")));
    let f = &body["findings"][0];
    assert_eq!(
        (f["code"].as_str(), f["line"].as_u64(), f["column"].as_u64()),
        (Some("rto-above-mtpd"), Some(36), Some(7))
    );
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("the RTO must be below the MTPD")
    );
    let (_, body) = call("GET", &url("/api/v1/tenants/acme/plan"), Some(&acme), None);
    assert_eq!(body["version"].as_i64(), Some(1));
    // Not UTF-8, too large: refused clearly.
    let (s, _) = call(
        "PUT",
        &url("/api/v1/tenants/acme/plan"),
        Some(&acme),
        Some(&[0xff, 0xfe, 0x00]),
    );
    assert_eq!(s, 400);
    // Just over the limit: the server answers 413 from the length alone and
    // closes; a body much larger than the socket buffers would still be
    // being written then (broken pipe instead of the answer, seen under load).
    let huge = vec![b'#'; 1024 * 1024 + 1];
    let (s, _) = call(
        "PUT",
        &url("/api/v1/tenants/acme/plan"),
        Some(&acme),
        Some(&huge),
    );
    assert_eq!(s, 413);
    // A good new version is accepted and kept.
    let edited = plan.replacen("rto = \"4h\"", "rto = \"6h\"", 1);
    let (s, body) = call(
        "PUT",
        &url("/api/v1/tenants/acme/plan"),
        Some(&acme),
        Some(edited.as_bytes()),
    );
    assert_eq!((s, body["version"].as_i64()), (200, Some(2)));
    let (_, versions) = call(
        "GET",
        &url("/api/v1/tenants/acme/plan/versions"),
        Some(&acme),
        None,
    );
    assert_eq!(versions.as_array().unwrap().len(), 2);
    assert_eq!(versions[1]["accepted_by"].as_str(), Some("api"));

    // Jobs: the backup, the evidence audit and the verifications (monitors
    // are the supervisor's, not jobs); run the audit now.
    let (s, jobs) = call("GET", &url("/api/v1/tenants/acme/jobs"), Some(&acme), None);
    assert_eq!(s, 200);
    let kinds: Vec<&str> = jobs
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["backup", "evidence-audit", "verify", "verify"]);
    let (s, body) = call(
        "POST",
        &url("/api/v1/tenants/acme/jobs/evidence-audit/evidence-log/run"),
        Some(&acme),
        None,
    );
    assert_eq!((s, body["status"].as_str()), (202, Some("scheduled")));
    let (s, _) = call(
        "POST",
        &url("/api/v1/tenants/acme/jobs/backup/nope/run"),
        Some(&acme),
        None,
    );
    assert_eq!(s, 404);

    // Evidence arrives from both jobs; it pages.
    let evidence = |q: &str| {
        call(
            "GET",
            &url(&format!("/api/v1/tenants/acme/evidence{q}")),
            Some(&acme),
            None,
        )
        .1
    };
    wait_for(
        "the probe and the audit to write evidence",
        Duration::from_secs(30),
        || {
            let page = evidence("?limit=1000");
            let records = page["records"].as_array()?.clone();
            let probe = records
                .iter()
                .any(|r| r["kind"] == "probe" && r["outcome"] == "success");
            let audit = records
                .iter()
                .any(|r| r["kind"] == "verify" && r["subject"] == "evidence-log");
            (probe && audit).then_some(())
        },
    );
    let first = evidence("?limit=1");
    assert_eq!(first["records"].as_array().unwrap().len(), 1);
    let after = first["next_after"].as_i64().expect("a next page");
    let second = evidence(&format!("?limit=1&after={after}"));
    assert_eq!(second["records"][0]["seq"].as_i64(), Some(after + 1));
    // What supervision sees: the command monitor up.
    let seen = wait_for("the monitor's state", Duration::from_secs(30), || {
        let (s, body) = call(
            "GET",
            &url("/api/v1/tenants/acme/monitors"),
            Some(&acme),
            None,
        );
        let m = body["monitors"]
            .as_array()?
            .iter()
            .find(|m| m["id"] == "uptime")?
            .clone();
        (s == 200 && m["state"] == "up").then_some(m)
    });
    assert_eq!(seen["kind"], "command");
    assert!(seen["last_check_ms"].as_i64().is_some(), "{seen:#}");
    let probes = evidence("?kind=probe&subject=uptime");
    assert!(
        probes["records"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["kind"] == "probe")
    );
    let (s, _) = call(
        "GET",
        &url("/api/v1/tenants/acme/evidence?kind=backups"),
        Some(&acme),
        None,
    );
    assert_eq!(s, 400);
    let (s, _) = call(
        "GET",
        &url("/api/v1/tenants/acme/evidence?limit=abc"),
        Some(&acme),
        None,
    );
    assert_eq!(s, 400);
    let (s, _) = call(
        "GET",
        &url("/api/v1/tenants/acme/evidence?limit=5000"),
        Some(&acme),
        None,
    );
    assert_eq!(s, 400);

    // Status: nothing measured yet, so the vital process is untested,
    // with the reasons in the plan's language; the gauges say the same.
    let (s, status) = call(
        "GET",
        &url("/api/v1/tenants/acme/status"),
        Some(&acme),
        None,
    );
    assert_eq!(s, 200, "{status}");
    assert_eq!(status["vital_failing"], true);
    let billing = &status["processes"][0];
    assert_eq!(
        (billing["id"].as_str(), billing["status"].as_str()),
        (Some("billing"), Some("untested"))
    );
    assert_eq!(billing["reasons"][0]["code"], "never-backed-up");
    assert_eq!(billing["reasons"][0]["text"], "backup \"db\" has never run");
    assert_eq!(status["backups"][0]["copies"], 1);
    let (s, _) = call(
        "GET",
        &url("/api/v1/tenants/other/status"),
        Some(&msp),
        None,
    );
    assert_eq!(s, 404, "a tenant without a plan has no status");
    // Drills: none yet; a confirmation is recorded as evidence.
    let (s, drills) = call(
        "GET",
        &url("/api/v1/tenants/acme/drills"),
        Some(&acme),
        None,
    );
    assert_eq!((s, drills["runs"].as_array().map(Vec::len)), (200, Some(0)));
    let confirm = url("/api/v1/tenants/acme/drills/restore-db-20261129-120000/steps/1/confirm");
    let (s, rec) = call(
        "POST",
        &confirm,
        Some(&acme),
        Some(br#"{"by":"boss","note":"seen"}"#),
    );
    assert_eq!(
        (s, rec["kind"].as_str()),
        (201, Some("confirmation")),
        "{rec}"
    );
    assert_eq!(rec["measurements"]["note"], "seen");
    let (s, _) = call(
        "POST",
        &confirm.replace("/1/", "/0/"),
        Some(&acme),
        Some(br#"{"by":"boss"}"#),
    );
    assert_eq!(s, 400);
    let (s, _) = call("POST", &confirm, Some(&acme), Some(br#"{"who":"boss"}"#));
    assert_eq!(s, 400, "unknown field");

    // Maintenance windows: added, listed, refused when wrong, removed.
    let maint = url("/api/v1/tenants/acme/maintenance");
    let (s, w) = call(
        "POST",
        &maint,
        Some(&acme),
        Some(br#"{"monitors":["web"],"start":"2026-01-01T00:00:00Z","end":"2099-01-01T00:00:00+01:00","reason":"server move"}"#),
    );
    assert_eq!(s, 201, "{w}");
    assert_eq!(
        (w["monitors"][0].as_str(), w["reason"].as_str()),
        (Some("web"), Some("server move"))
    );
    let (s, listed) = call("GET", &maint, Some(&acme), None);
    assert_eq!((s, listed.as_array().map(Vec::len)), (200, Some(1)));
    let (s, e) = call(
        "POST",
        &maint,
        Some(&acme),
        Some(br#"{"start":"2026-01-02T00:00:00Z","end":"2026-01-01T00:00:00Z","reason":"x"}"#),
    );
    assert_eq!(
        (s, e["message"].as_str()),
        (400, Some("`end` must come after `start`"))
    );
    let (s, e) = call("POST", &maint, Some(&acme), Some(br#"{"monitors":["nope"],"start":"2026-01-01T00:00:00Z","end":"2026-01-02T00:00:00Z","reason":"x"}"#));
    assert_eq!(
        (s, e["message"].as_str()),
        (400, Some("no such monitor in the plan: nope"))
    );
    let (s, e) = call(
        "POST",
        &maint,
        Some(&acme),
        Some(br#"{"start":"tomorrow","end":"2026-01-02T00:00:00Z","reason":"x"}"#),
    );
    assert!(
        s == 400
            && e["message"]
                .as_str()
                .unwrap()
                .contains("is not an RFC 3339 time"),
        "{e}"
    );
    let id = w["id"].as_i64().unwrap();
    let (s, _) = call("DELETE", &format!("{maint}/{id}"), Some(&acme), None);
    assert_eq!(s, 204);
    let (s, _) = call("DELETE", &format!("{maint}/{id}"), Some(&acme), None);
    assert_eq!(s, 404);

    // Operations.
    let (s, body) = call("GET", &url("/api/v1/nothing-here"), Some(&acme), None);
    assert_eq!((s, body["error"].as_str()), (404, Some("not-found")));
    let (s, metrics) = call("GET", &url("/metrics"), None, None);
    assert_eq!(s, 200);
    let metrics = metrics.as_str().unwrap().to_owned();
    assert!(metrics.contains("rempart_jobs_run_total "), "{metrics}");
    assert!(
        metrics.contains("rempart_evidence_written_total "),
        "{metrics}"
    );
    assert!(
        metrics.contains("rempart_process_status{tenant=\"acme\",process=\"billing\"} 2\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains(
            "rempart_process_rpo_target_seconds{tenant=\"acme\",process=\"billing\"} 3600\n"
        ),
        "{metrics}"
    );
    assert!(
        !metrics.contains("rempart_process_rpo_seconds{"),
        "nothing measured yet"
    );

    // The OpenAPI document: valid for a validator from PyPI, and every
    // documented operation reaches a handler (never the 404 fallback).
    let (s, doc) = call("GET", &url("/api/v1/openapi.json"), None, None);
    assert_eq!(s, 200);
    let file = dir.join("openapi.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let check = std::process::Command::new("python3")
        .args(["-m", "openapi_spec_validator"])
        .arg(&file)
        .output()
        .expect("python3 runs");
    assert!(
        check.status.success(),
        "openapi-spec-validator: {}{} (scripts/services installs it)",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 7, "{:?}", paths.keys());
    for (path, ops) in paths {
        let concrete = path
            .replace("{tenant}", "acme")
            .replace("{kind}", "evidence-audit")
            .replace("{subject}", "evidence-log")
            .replace("{id}", "999");
        for method in ops.as_object().unwrap().keys() {
            let (s, body) = call(
                &method.to_uppercase(),
                &url(&concrete),
                Some(&msp),
                Some(b""),
            );
            assert!(
                !(s == 404 && body["message"] == "no such path") && s != 405,
                "{method} {path} is documented but not routed ({s})"
            );
        }
    }

    assert_eq!(server.stop(), Some(0), "SIGTERM stops cleanly");
}
