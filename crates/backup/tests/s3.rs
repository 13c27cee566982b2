//! Off-site repositories on S3-compatible storage: a real local S3 server
//! (moto, started per test), read back by Debian's `restic`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rempart_backup::repository::Target;
use rempart_backup::restore::{Pick, Request, restore};
use rempart_backup::run::run;
use rempart_backup::secrets::Resolver;
use rempart_core::plan::{self, Plan};

struct S3Server {
    child: Child,
    port: u16,
}

impl S3Server {
    fn start() -> S3Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server (scripts/services installs it)");
        let deadline = Instant::now() + Duration::from_secs(30);
        while ureq::get(&format!("http://127.0.0.1:{port}/"))
            .call()
            .is_err()
        {
            assert!(Instant::now() < deadline, "moto_server did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        S3Server { child, port }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn create_bucket(&self, bucket: &str) {
        ureq::put(&format!("{}/{bucket}", self.endpoint()))
            .send_empty()
            .expect("create bucket");
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("rempart-s3-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("secrets")).unwrap();
    Scratch(dir)
}

/// The base plan with the NAS as a local folder and the cloud on `endpoint`.
fn plan(dir: &Path, endpoint: &str) -> Plan {
    checked(&plan_text(dir, endpoint))
}

fn checked(text: &str) -> Plan {
    let checked = plan::check(text);
    checked
        .valid_plan()
        .cloned()
        .unwrap_or_else(|| panic!("{:#?}", checked.findings))
}

fn plan_text(dir: &Path, endpoint: &str) -> String {
    for (file, value) in [
        ("nas", "nas-password"),
        ("cloud", "cloud-password"),
        ("key", "test-key"),
        ("secret", "test-secret"),
    ] {
        std::fs::write(dir.join("secrets").join(file), value).unwrap();
    }
    include_str!("../../core/tests/plans/base.toml")
        .replace("location = \"/srv/repo\"", "location = \"repos/nas\"")
        .replace("password = { env = \"NAS_PASSWORD\" }", "password = { file = \"secrets/nas\" }")
        .replace(
            "password = { env = \"S3_PASSWORD\" }",
            &format!(
                "password = {{ file = \"secrets/cloud\" }}\nendpoint = \"{endpoint}\"\nregion = \"us-east-1\"\naccess_key_id = {{ file = \"secrets/key\" }}\nsecret_access_key = {{ file = \"secrets/secret\" }}"
            ),
        )
        .replace("command = \"pg_dump -Fc app\"", "command = \"seq 1 100000\"")
}

/// Creates both repositories, each with a key of its own.
fn init_apart(plan: &Plan, dir: &Path, cache: &Path) {
    for repo in ["nas", "s3"] {
        assert!(
            Target::from_plan(plan, repo, &Resolver::msp(dir), cache)
                .unwrap()
                .init()
                .unwrap()
        );
    }
}

fn restic_s3(endpoint: &str, dir: &Path, args: &[&str]) -> String {
    let out = Command::new("restic")
        .args([
            "-r",
            &format!("s3:{endpoint}/test-bucket/rempart"),
            "--no-cache",
            "--password-file",
        ])
        .arg(dir.join("secrets/cloud"))
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "test-key")
        .env("AWS_SECRET_ACCESS_KEY", "test-secret")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .output()
        .expect("restic");
    assert!(
        out.status.success(),
        "restic {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_copy_on_s3_is_readable_by_restic_and_restorable() {
    let s3 = S3Server::start();
    s3.create_bucket("test-bucket");
    let s = scratch("copy");
    let dir = &s.0;
    let plan = plan(dir, &s3.endpoint());
    let cache = dir.join("cache");
    init_apart(&plan, dir, &cache);
    let results = run(&plan, "db", &Resolver::msp(dir), &cache).unwrap();
    assert!(results.iter().all(|r| r.outcome.is_ok()), "{results:?}");
    assert_eq!(
        results[1].location,
        format!("s3://test-bucket/rempart at {}", s3.endpoint())
    );

    let endpoint = s3.endpoint();
    let snapshots: serde_json::Value =
        serde_json::from_str(&restic_s3(&endpoint, dir, &["snapshots", "--json"])).unwrap();
    assert_eq!(snapshots.as_array().unwrap().len(), 1);
    restic_s3(&endpoint, dir, &["check", "--read-data"]);
    let dumped = restic_s3(&endpoint, dir, &["dump", "latest", "app.dump"]);
    let expected: String = (1..=100_000).map(|i| format!("{i}\n")).collect();
    assert!(dumped == expected);

    let to = dir.join("restored");
    let request = Request {
        to: &to,
        which: Pick::Latest,
        site: Some("cloud"),
        progress: None,
    };
    let r = restore(&plan, "db", &Resolver::msp(dir), &cache, &request).unwrap();
    assert_eq!(r.site, "cloud");
    assert!(std::fs::read_to_string(to.join("app.dump")).unwrap() == expected);
}

#[test]
fn an_unreachable_endpoint_fails_the_copy_and_names_it() {
    let s = scratch("down");
    let dir = &s.0;
    // Nothing listens on this port.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let endpoint = format!("http://127.0.0.1:{port}");
    let plan = plan(dir, &endpoint);
    let cache = dir.join("cache");
    Target::from_plan(&plan, "nas", &Resolver::msp(dir), &cache)
        .unwrap()
        .init()
        .unwrap();
    let clock = Instant::now();
    let results = run(&plan, "db", &Resolver::msp(dir), &cache).unwrap();
    assert!(results[0].outcome.is_ok(), "the local backup stands");
    let why = results[1].outcome.as_ref().unwrap_err();
    assert!(why.contains(&endpoint), "{why}");
    assert!(
        clock.elapsed() < Duration::from_secs(120),
        "retries are bounded"
    );
}

/// A proxy in front of the S3 server that answers every `fail_every`-th
/// request with 503 Slow Down instead of forwarding it: a partly failing
/// endpoint. One request per connection.
struct FlakyProxy {
    port: u16,
    failed: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl FlakyProxy {
    fn start(upstream: u16, fail_every: usize) -> FlakyProxy {
        use std::io::{BufRead, BufReader, Read, Write};
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(AtomicUsize::new(0));
        let failed = Arc::new(AtomicUsize::new(0));
        let failed_out = failed.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let (seen, failed) = (seen.clone(), failed.clone());
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(client.try_clone().expect("clone"));
                    let mut head = Vec::new();
                    let mut length = 0usize;
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if line == "\r\n" {
                            break;
                        }
                        let lower = line.to_ascii_lowercase();
                        if let Some(v) = lower.strip_prefix("content-length:") {
                            length = v.trim().parse().unwrap_or(0);
                        }
                        if !lower.starts_with("connection:") {
                            head.extend_from_slice(line.as_bytes());
                        }
                    }
                    let mut body = vec![0u8; length];
                    if reader.read_exact(&mut body).is_err() {
                        return;
                    }
                    let mut client = client;
                    if seen.fetch_add(1, Ordering::SeqCst) % fail_every == fail_every - 1 {
                        failed.fetch_add(1, Ordering::SeqCst);
                        let _ = client.write_all(
                            b"HTTP/1.1 503 Slow Down\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        );
                        return;
                    }
                    let Ok(mut up) = std::net::TcpStream::connect(("127.0.0.1", upstream)) else {
                        return;
                    };
                    head.extend_from_slice(b"Connection: close\r\n\r\n");
                    if up
                        .write_all(&head)
                        .and_then(|()| up.write_all(&body))
                        .is_err()
                    {
                        return;
                    }
                    let mut response = Vec::new();
                    let _ = up.read_to_end(&mut response);
                    let _ = client.write_all(&response);
                });
            }
        });
        FlakyProxy {
            port,
            failed: failed_out,
        }
    }
}

#[test]
fn a_partly_failing_endpoint_still_completes() {
    let s3 = S3Server::start();
    s3.create_bucket("test-bucket");
    let proxy = FlakyProxy::start(s3.port, 5);
    let s = scratch("flaky");
    let dir = &s.0;
    // Rempart talks to the flaky proxy; restic checks the server directly.
    let plan = plan(dir, &format!("http://127.0.0.1:{}", proxy.port));
    let cache = dir.join("cache");
    init_apart(&plan, dir, &cache);
    let results = run(&plan, "db", &Resolver::msp(dir), &cache).unwrap();
    assert!(results.iter().all(|r| r.outcome.is_ok()), "{results:?}");
    let failed = proxy.failed.load(std::sync::atomic::Ordering::SeqCst);
    assert!(
        failed > 0,
        "the proxy failed no request: the test proves nothing"
    );
    let endpoint = s3.endpoint();
    restic_s3(&endpoint, dir, &["check", "--read-data"]);
    let dumped = restic_s3(&endpoint, dir, &["dump", "latest", "app.dump"]);
    let expected: String = (1..=100_000).map(|i| format!("{i}\n")).collect();
    assert!(dumped == expected);
}

/// `immutable = true` is measured, not declared: verify reads the
/// bucket's object lock and reports a bucket that does not enforce it.
#[test]
fn an_immutable_copy_must_be_locked_by_its_bucket() {
    let s3 = S3Server::start();
    let endpoint = s3.endpoint();
    ureq::put(&format!("{endpoint}/test-bucket"))
        .header("x-amz-bucket-object-lock-enabled", "true")
        .send_empty()
        .expect("create a bucket with object lock");
    ureq::put(&format!("{endpoint}/test-bucket?object-lock"))
        .send(
            "<ObjectLockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Days>1</Days></DefaultRetention></Rule></ObjectLockConfiguration>",
        )
        .expect("set a default retention");
    s3.create_bucket("plain-bucket");
    let s = scratch("immutable");
    let dir = &s.0;
    let cache = dir.join("cache");
    let text = plan_text(dir, &endpoint).replace(
        "location = \"s3://test-bucket/rempart\"",
        "location = \"s3://test-bucket/rempart\"\nimmutable = true",
    );
    let locked = checked(&text);
    init_apart(&locked, dir, &cache);
    run(&locked, "db", &Resolver::msp(dir), &cache).unwrap();
    let v =
        rempart_backup::verify::verify(&locked, "s3", &Resolver::msp(dir), &cache, Some("100%"))
            .unwrap();
    assert!(v.errors.is_empty(), "{:?}", v.errors);
    assert_eq!(
        v.immutable,
        Some(serde_json::json!({
            "object_lock": true, "mode": "COMPLIANCE", "retention_days": 1, "enforced": true
        }))
    );
    restic_s3(&endpoint, dir, &["check", "--read-data"]);

    // The same declaration on a bucket without object lock is an error.
    let plain = checked(&text.replace("s3://test-bucket/", "s3://plain-bucket/"));
    Target::from_plan(&plain, "s3", &Resolver::msp(dir), &dir.join("cache-plain"))
        .unwrap()
        .init()
        .unwrap();
    let v = rempart_backup::verify::verify(
        &plain,
        "s3",
        &Resolver::msp(dir),
        &dir.join("cache-plain"),
        None,
    )
    .unwrap();
    assert_eq!(v.errors.len(), 1, "{:?}", v.errors);
    assert!(
        v.errors[0].contains("immutable, but bucket \"plain-bucket\" has no object lock"),
        "{:?}",
        v.errors
    );
    assert_eq!(v.immutable.as_ref().unwrap()["enforced"], false);
    // A repository not declared immutable is not asked about.
    let v = rempart_backup::verify::verify(
        &plan(dir, &endpoint),
        "nas",
        &Resolver::msp(dir),
        &cache,
        None,
    )
    .unwrap();
    assert_eq!(v.immutable, None);
}

/// Sites sharing a master key (`init_in_plan`): the copy uploads the
/// backup's pack files to S3 as they are; restic checks and reads them.
#[test]
fn a_shared_key_copy_to_s3_moves_the_packs_and_restic_reads_them() {
    use rempart_backup::repository::{Initialised, init_in_plan};
    let s3 = S3Server::start();
    s3.create_bucket("test-bucket");
    let s = scratch("shared");
    let dir = &s.0;
    let endpoint = s3.endpoint();
    let plan = plan(dir, &endpoint);
    let cache = dir.join("cache");
    init_in_plan(&plan, "nas", &Resolver::msp(dir), &cache).unwrap();
    assert_eq!(
        init_in_plan(&plan, "s3", &Resolver::msp(dir), &cache)
            .unwrap()
            .1,
        Initialised::SharingKeyWith("nas".into())
    );
    let results = run(&plan, "db", &Resolver::msp(dir), &cache).unwrap();
    let copy = results[1].outcome.as_ref().unwrap();
    assert!(
        copy.summary["packs_moved"].as_u64().unwrap() >= 1,
        "{copy:?}"
    );
    restic_s3(&endpoint, dir, &["check", "--read-data"]);
    let dumped = restic_s3(&endpoint, dir, &["dump", "latest", "app.dump"]);
    let expected: String = (1..=100_000).map(|i| format!("{i}\n")).collect();
    assert!(dumped == expected);
}
