//! Each probe kind against the real thing: HTTP and TCP servers on
//! loopback, local commands, and the RPO watch over a real store.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::time::Duration;

use rempart_core::evidence::{EvidenceKind, NewEvidence, Outcome};
use rempart_core::plan::{self, Monitor, Plan};
use rempart_engine::probe::{self, Check, ProbeCx};
use rempart_store::{Location, Store, TenantScope, now_ms};
use serde_json::json;

const BASE: &str = include_str!("../../core/tests/plans/base.toml");

/// An HTTP server: `/ok` 200 with a body, `/fail` 500, `/slow` after
/// 300 ms, `/hang` after 5 s, `/json` a JSON document, `/moved` a 302 to `/ok`.
fn http_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut buf = [0u8; 4096];
                let n = stream.read(&mut buf).unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]).into_owned();
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                let (status, body) = match path.as_str() {
                    "/ok" => ("200 OK", "hello rempart"),
                    "/json" => (
                        "200 OK",
                        r#"{"status":{"db":"ok","load":0.5},"items":[{"id":7}]}"#,
                    ),
                    "/moved" => ("302 Found\r\nLocation: /ok", ""),
                    "/fail" => ("500 Internal Server Error", "boom"),
                    "/slow" => {
                        std::thread::sleep(Duration::from_millis(300));
                        ("200 OK", "slow")
                    }
                    "/hang" => {
                        std::thread::sleep(Duration::from_secs(5));
                        ("200 OK", "late")
                    }
                    _ => ("404 Not Found", ""),
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    port
}

fn monitor(extra: &str) -> Monitor {
    let text = format!("{BASE}\n{extra}");
    let checked = plan::check(&text);
    let p = checked
        .valid_plan()
        .unwrap_or_else(|| panic!("{:?}", checked.findings));
    p.monitors.last().unwrap().clone()
}

async fn check(tenant: &TenantScope, plan: &Plan, m: &Monitor) -> Check {
    check_as(tenant, plan, m, false).await
}

/// [`check`], for a client's plan when `public_only`.
async fn check_as(tenant: &TenantScope, plan: &Plan, m: &Monitor, public_only: bool) -> Check {
    let (_, cancel) = tokio::sync::watch::channel(false);
    let cx = ProbeCx {
        tenant,
        plan,
        base: Path::new("."),
        public_only,
        timeout: m.timeout.map_or(probe::DEFAULT_TIMEOUT, |t| {
            Duration::from_millis(t.as_millis())
        }),
        cancel,
    };
    probe::for_monitor(m).unwrap().check(&cx).await
}

fn http(url: &str, expect: &str, timeout: &str) -> String {
    format!(
        "[[monitor]]\nid = \"m\"\nkind = \"http\"\ntarget = \"{url}\"\ninterval = \"1m\"\ntimeout = \"{timeout}\"\n{expect}\n"
    )
}

/// A store with one tenant, and the base plan, for a probe to check in.
struct Fixture {
    dir: std::path::PathBuf,
    store: Store,
    tenant: TenantScope,
    plan: Plan,
}

impl Fixture {
    async fn new(name: &str) -> Fixture {
        let dir =
            std::env::temp_dir().join(format!("rempart-probes-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::open(&Location::DataDir(dir.clone())).await.unwrap();
        let tenant = store
            .upsert_tenant("acme", "Acme", &rempart_store::ManagedBy::Api)
            .await
            .unwrap();
        let plan = plan::check(BASE).valid_plan().unwrap().clone();
        Fixture {
            dir,
            store,
            tenant,
            plan,
        }
    }

    async fn check(&self, extra: &str) -> Check {
        check(&self.tenant, &self.plan, &monitor(extra)).await
    }

    async fn done(self) {
        self.store.close().await;
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_checks_status_body_latency_and_timeout() {
    let f = Fixture::new("http").await;
    let port = http_server();
    let url = |p: &str| format!("http://127.0.0.1:{port}{p}");
    let c = f
        .check(&http(
            &url("/ok"),
            "expect = { status = 200, body_contains = \"rempart\" }",
            "5s",
        ))
        .await;
    assert!(c.up, "{c:?}");
    assert_eq!(c.measurements["status"], 200);
    let c = f.check(&http(&url("/fail"), "", "5s")).await;
    assert!(!c.up);
    assert!(
        c.message.ends_with("status 500, expected 2xx"),
        "{}",
        c.message
    );
    let c = f
        .check(&http(&url("/fail"), "expect = { status = 500 }", "5s"))
        .await;
    assert!(c.up, "{c:?}");
    let c = f
        .check(&http(
            &url("/ok"),
            "expect = { body_contains = \"nope\" }",
            "5s",
        ))
        .await;
    assert!(
        !c.up && c.message.contains("the body lacks \"nope\""),
        "{}",
        c.message
    );
    let c = f
        .check(&http(
            &url("/slow"),
            "expect = { max_latency = \"100ms\" }",
            "5s",
        ))
        .await;
    assert!(
        !c.up && c.message.contains("slower than 100ms"),
        "{}",
        c.message
    );
    let started = std::time::Instant::now();
    let c = f.check(&http(&url("/hang"), "", "300ms")).await;
    assert!(!c.up && c.measurements["timed_out"] == true, "{c:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "a hanging target never blocks past the timeout"
    );
    let closed = closed_port();
    let c = f
        .check(&http(&format!("http://127.0.0.1:{closed}/"), "", "5s"))
        .await;
    assert!(
        !c.up && c.message.contains(&format!("127.0.0.1:{closed}")),
        "{}",
        c.message
    );
    f.done().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_checks_a_regex_and_json_values() {
    let f = Fixture::new("http-body").await;
    let port = http_server();
    let expect = |path: &str, e: &str| {
        http(
            &format!("http://127.0.0.1:{port}{path}"),
            &format!("expect = {{ {e} }}"),
            "5s",
        )
    };
    let c = f
        .check(&expect("/ok", r#"body_matches = "^hello r.m+part$""#))
        .await;
    assert!(c.up, "{c:?}");
    let c = f.check(&expect("/ok", r#"body_matches = "^bye""#)).await;
    assert!(
        !c.up
            && c.message
                .ends_with("status 200, but the body does not match /^bye/"),
        "{}",
        c.message
    );
    let c = f
        .check(&expect(
            "/json",
            r#"json_path = "$.status.db", value = "ok""#,
        ))
        .await;
    assert!(c.up, "{c:?}");
    assert_eq!(c.measurements["json_value"], "ok");
    let c = f
        .check(&expect(
            "/json",
            r#"json_path = "items[0].id", value = "7""#,
        ))
        .await;
    assert!(c.up, "{c:?}");
    let c = f
        .check(&expect(
            "/json",
            r#"json_path = "$.status.load", value = "0.9""#,
        ))
        .await;
    assert!(
        !c.up
            && c.message
                .ends_with("but $.status.load is 0.5, expected \"0.9\""),
        "{}",
        c.message
    );
    let c = f
        .check(&expect("/json", r#"json_path = "$.status.disk""#))
        .await;
    assert!(
        !c.up && c.message.ends_with("but $.status.disk is not in the body"),
        "{}",
        c.message
    );
    let c = f.check(&expect("/ok", r#"json_path = "$.status""#)).await;
    assert!(
        !c.up && c.message.contains("but the body is not JSON"),
        "{}",
        c.message
    );
    f.done().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_follows_redirects_unless_told_not_to() {
    let f = Fixture::new("http-redirects").await;
    let port = http_server();
    let moved = format!("http://127.0.0.1:{port}/moved");
    let c = f
        .check(&http(
            &moved,
            r#"expect = { body_contains = "rempart" }"#,
            "5s",
        ))
        .await;
    assert!(c.up, "{c:?}");
    let no_follow = |e: &str| http(&moved, e, "5s") + "redirects = 0\n";
    let c = f.check(&no_follow("")).await;
    assert!(
        !c.up && c.message.ends_with("status 302, expected 2xx"),
        "{}",
        c.message
    );
    let c = f.check(&no_follow("expect = { status = 302 }")).await;
    assert!(c.up, "{c:?}");
    f.done().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tcp_and_command_checks() {
    let f = Fixture::new("tcp-command").await;
    let port = http_server();
    let tcp = |port: u16| {
        format!(
            "[[monitor]]\nid = \"t\"\nkind = \"tcp\"\ntarget = \"127.0.0.1:{port}\"\ninterval = \"1m\"\ntimeout = \"2s\"\n"
        )
    };
    assert!(f.check(&tcp(port)).await.up);
    let c = f.check(&tcp(closed_port())).await;
    assert!(!c.up && c.message.contains("refused"), "{}", c.message);

    let cmd = |c: &str, expect: &str| {
        format!(
            "[[monitor]]\nid = \"c\"\nkind = \"command\"\ntarget = \"{c}\"\ninterval = \"1m\"\ntimeout = \"1s\"\n{expect}\n"
        )
    };
    assert!(
        f.check(&cmd(
            "echo all good",
            "expect = { body_contains = \"good\" }"
        ))
        .await
        .up
    );
    let c = f.check(&cmd("exit 3", "")).await;
    assert_eq!(c.message.split(" in ").next(), Some("exit 3 (expected 0)"));
    let c = f.check(&cmd("sleep 30", "")).await;
    assert!(
        !c.up && c.message.starts_with("timed out after 1000 ms"),
        "{}",
        c.message
    );
    f.done().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_s_monitors_never_reach_the_server_s_own_networks() {
    let f = Fixture::new("public-only").await;
    let port = http_server();
    // This machine's own name: it resolves to one of its own addresses.
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap()
        .trim()
        .to_owned();
    let resolved: Vec<std::net::SocketAddr> =
        std::net::ToSocketAddrs::to_socket_addrs(&(host.as_str(), port))
            .unwrap()
            .collect();
    assert!(
        resolved
            .iter()
            .all(|a| rempart_engine::reach::internal(a.ip())),
        "{host} should resolve to this machine: {resolved:?}"
    );
    let tcp = |target: &str| {
        format!(
            "[[monitor]]\nid = \"t\"\nkind = \"tcp\"\ntarget = \"{target}\"\ninterval = \"1m\"\ntimeout = \"2s\"\n"
        )
    };
    for target in [
        http(&format!("http://127.0.0.1:{port}/ok"), "", "5s"),
        http(&format!("http://localhost:{port}/ok"), "", "5s"),
        http(&format!("http://{host}:{port}/ok"), "", "5s"),
        tcp(&format!("{host}:{port}")),
        tcp(&format!("127.0.0.1:{port}")),
    ] {
        let m = monitor(&target);
        // The MSP's plan reaches it; a client's does not, and says why.
        let msp = check_as(&f.tenant, &f.plan, &m, false).await;
        assert!(msp.up, "{target}: {msp:?}");
        let client = check_as(&f.tenant, &f.plan, &m, true).await;
        assert!(
            !client.up
                && (client.message.contains("MSP's own networks")
                    || client.message.contains("MSP's server itself")),
            "{target}: {client:?}"
        );
    }
    // Nor through a redirect to one of them.
    let moved = monitor(&http(&format!("http://{host}:{port}/moved"), "", "5s"));
    assert!(!check_as(&f.tenant, &f.plan, &moved, true).await.up);
    f.done().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rpo_watch_reads_the_restore_points_of_the_store() {
    let f = Fixture::new("rpo").await;
    // The RPO watch of backup "db" (billing's RPO: 1h).
    let watch =
        "[[monitor]]\nid = \"rpo\"\nkind = \"backup\"\ntarget = \"db\"\ninterval = \"5m\"\n";
    let c = f.check(watch).await;
    assert!(
        !c.up && c.message.contains("no intact restore point on nas, s3"),
        "{}",
        c.message
    );
    let backed_up = |age_ms: i64| {
        let data = now_ms() - age_ms;
        ["nas", "s3"].map(|repo| NewEvidence {
            kind: if repo == "nas" {
                EvidenceKind::Backup
            } else {
                EvidenceKind::Copy
            },
            subject: "db".into(),
            started_ms: data,
            finished_ms: data + 1_000,
            outcome: Outcome::Success,
            measurements: json!({ "repository": repo, "data_time_ms": data }),
            message: String::new(),
            job_run: None,
        })
    };
    f.tenant
        .append_batch(backed_up(2 * 3_600_000).to_vec())
        .await
        .unwrap();
    let c = f.check(watch).await;
    assert!(
        !c.up && c.message.contains("is 2h old, past 1h"),
        "{}",
        c.message
    );
    f.tenant
        .append_batch(backed_up(600_000).to_vec())
        .await
        .unwrap();
    let c = f.check(watch).await;
    assert!(c.up, "{c:?}");
    assert_eq!(c.measurements["limit_ms"], 3_600_000);
    f.done().await;
}

/// A TLS server (`openssl s_server`) with a leaf for "localhost", valid
/// 10 days, signed by a CA of the test's own.
struct TlsServer {
    child: std::process::Child,
    port: u16,
    ca: std::path::PathBuf,
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tls_server(dir: &Path) -> TlsServer {
    let run = |args: &[&str]| {
        let out = std::process::Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "30",
        "-subj",
        "/CN=Rempart Test CA",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "leaf.key",
        "-out",
        "leaf.csr",
        "-subj",
        "/CN=localhost",
    ]);
    std::fs::write(
        dir.join("ext"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "leaf.pem",
        "-days",
        "10",
        "-extfile",
        "ext",
    ]);
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = std::process::Command::new("openssl")
        .args([
            "s_server",
            "-accept",
            &port.to_string(),
            "-cert",
            "leaf.pem",
            "-key",
            "leaf.key",
            "-www",
            "-quiet",
        ])
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("openssl s_server");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    TlsServer {
        child,
        port,
        ca: dir.join("ca.pem"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tls_probe_checks_the_chain_and_the_expiry() {
    let dir = std::env::temp_dir().join(format!("rempart-tls-probe-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let server = tls_server(&dir);
    let store = Store::open(&Location::DataDir(dir.join("store")))
        .await
        .unwrap();
    let tenant = store
        .upsert_tenant("acme", "Acme", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let plan = plan::check(BASE).valid_plan().unwrap().clone();
    let tls = |ca: &str, min: u32| {
        monitor(&format!(
            "[[monitor]]\nid = \"cert\"\nkind = \"tls\"\ntarget = \"localhost:{}\"\ninterval = \"1h\"\ntimeout = \"5s\"\n{ca}expect = {{ min_days_valid = {min} }}\n",
            server.port
        ))
    };
    let ca = format!("ca = \"{}\"\n", server.ca.display());
    let c = check(&tenant, &plan, &tls(&ca, 5)).await;
    assert!(c.up, "{c:?}");
    let days = c.measurements["days_left"].as_i64().unwrap();
    assert!((9..=10).contains(&days), "{c:?}");
    let c = check(&tenant, &plan, &tls(&ca, 30)).await;
    assert!(
        // The two checks may fall on either side of a whole day left.
        !c.up
            && [days, days - 1].iter().any(|d| c
                .message
                .contains(&format!("expires in {d} days, under 30"))),
        "{}",
        c.message
    );
    // Without the CA, the chain is not trusted.
    let c = check(&tenant, &plan, &tls("", 5)).await;
    assert!(
        !c.up && c.message.contains("certificate not trusted"),
        "{}",
        c.message
    );
    assert_eq!(c.measurements["chain_valid"], false);

    // The http probe over the same server: trusted with the CA, refused
    // without, accepted without verification when told so.
    let https = |extra: &str| {
        monitor(&format!(
            "[[monitor]]\nid = \"site\"\nkind = \"http\"\ntarget = \"https://localhost:{}/\"\ninterval = \"1h\"\ntimeout = \"5s\"\n{extra}",
            server.port
        ))
    };
    let c = check(&tenant, &plan, &https(&ca)).await;
    assert!(c.up, "{c:?}");
    let c = check(&tenant, &plan, &https("")).await;
    assert!(
        !c.up && c.message.to_lowercase().contains("certificate"),
        "{}",
        c.message
    );
    let c = check(&tenant, &plan, &https("tls_verify = false\n")).await;
    assert!(c.up, "{c:?}");
    let c = check(&tenant, &plan, &https("ca = \"/nonexistent/ca.pem\"\n")).await;
    assert!(
        !c.up
            && c.message
                .contains("cannot read the CA file /nonexistent/ca.pem"),
        "{}",
        c.message
    );
    drop(server);
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// A DNS server on loopback: `erp.test.` has A 10.0.0.7 and MX
/// "10 mail.erp.test."; any other name is NXDOMAIN.
fn dns_server() -> u16 {
    use hickory_proto::op::{Message, MessageType, ResponseCode};
    use hickory_proto::rr::rdata::{A, MX};
    use hickory_proto::rr::{Name, RData, Record, RecordType};
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = socket.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut buf = [0u8; 1500];
        while let Ok((n, from)) = socket.recv_from(&mut buf) {
            let Ok(q) = Message::from_vec(&buf[..n]) else {
                continue;
            };
            let mut a = Message::new();
            a.set_id(q.id()).set_message_type(MessageType::Response);
            let Some(query) = q.queries().first().cloned() else {
                continue;
            };
            let name = query.name().clone();
            a.add_query(query.clone());
            if name == Name::from_utf8("erp.test.").unwrap() {
                match query.query_type() {
                    RecordType::A => {
                        a.add_answer(Record::from_rdata(name, 60, RData::A(A::new(10, 0, 0, 7))));
                    }
                    RecordType::MX => {
                        let mx = MX::new(10, Name::from_utf8("mail.erp.test.").unwrap());
                        a.add_answer(Record::from_rdata(name, 60, RData::MX(mx)));
                    }
                    _ => {}
                }
            } else {
                a.set_response_code(ResponseCode::NXDomain);
            }
            let _ = socket.send_to(&a.to_vec().unwrap(), from);
        }
    });
    port
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dns_probe_checks_records_against_a_real_server() {
    let dir = std::env::temp_dir().join(format!("rempart-dns-probe-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = Store::open(&Location::DataDir(dir.clone())).await.unwrap();
    let tenant = store
        .upsert_tenant("acme", "Acme", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let plan = plan::check(BASE).valid_plan().unwrap().clone();
    let port = dns_server();
    let dns = |name: &str, expect: &str| {
        monitor(&format!(
            "[[monitor]]\nid = \"d\"\nkind = \"dns\"\ntarget = \"{name}@127.0.0.1:{port}\"\ninterval = \"1m\"\ntimeout = \"2s\"\n{expect}\n"
        ))
    };
    let c = check(
        &tenant,
        &plan,
        &dns("erp.test", "expect = { value = \"10.0.0.7\" }"),
    )
    .await;
    assert!(c.up, "{c:?}");
    let c = check(
        &tenant,
        &plan,
        &dns("erp.test", "expect = { value = \"10.0.0.8\" }"),
    )
    .await;
    assert!(
        !c.up && c.message.contains("is 10.0.0.7, not 10.0.0.8"),
        "{}",
        c.message
    );
    let c = check(
        &tenant,
        &plan,
        &dns(
            "erp.test",
            "expect = { record = \"MX\", value = \"10 mail.erp.test\" }",
        ),
    )
    .await;
    assert!(c.up, "{c:?}");
    let c = check(
        &tenant,
        &plan,
        &dns("erp.test", "expect = { record = \"TXT\" }"),
    )
    .await;
    assert!(
        !c.up && c.message.contains("has no TXT record"),
        "{}",
        c.message
    );
    let c = check(&tenant, &plan, &dns("gone.test", "")).await;
    assert!(
        !c.up && c.message.contains("Non-Existent Domain"),
        "{}",
        c.message
    );
    // A server that never answers: cut at the timeout.
    let silent = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let quiet = silent.local_addr().unwrap().port();
    let m = monitor(&format!(
        "[[monitor]]\nid = \"d\"\nkind = \"dns\"\ntarget = \"erp.test@127.0.0.1:{quiet}\"\ninterval = \"1m\"\ntimeout = \"300ms\"\n"
    ));
    let started = std::time::Instant::now();
    let c = check(&tenant, &plan, &m).await;
    assert!(
        !c.up && c.message.contains("no answer within 300 ms"),
        "{}",
        c.message
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_icmp_probe_pings_for_real() {
    let dir = std::env::temp_dir().join(format!("rempart-icmp-probe-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = Store::open(&Location::DataDir(dir.clone())).await.unwrap();
    let tenant = store
        .upsert_tenant("acme", "Acme", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let plan = plan::check(BASE).valid_plan().unwrap().clone();
    let icmp = |host: &str, expect: &str| {
        monitor(&format!(
            "[[monitor]]\nid = \"p\"\nkind = \"icmp\"\ntarget = \"{host}\"\ninterval = \"1m\"\ntimeout = \"2s\"\n{expect}\n"
        ))
    };
    let c = check(
        &tenant,
        &plan,
        &icmp(
            "127.0.0.1",
            "expect = { max_loss = 25, max_latency = \"500ms\" }",
        ),
    )
    .await;
    assert!(
        c.up,
        "{c:?} (the tests run with CAP_NET_RAW, or a ping group)"
    );
    assert_eq!(c.measurements["received"], 4);
    let c = check(&tenant, &plan, &icmp("localhost", "")).await;
    assert!(c.up, "{c:?}");
    // The IPv6 documentation prefix (RFC 3849) never answers.
    let c = check(&tenant, &plan, &icmp("2001:db8::1", "")).await;
    assert!(
        !c.up && c.message.contains("no echo reply"),
        "{}",
        c.message
    );
    assert_eq!(c.measurements["loss_percent"], 100.0);
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
