//! Running `rempart serve` as a user would: a real process on a real port,
//! talked to over HTTP, stopped with real signals.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The command's standard output; the test fails with both streams when
/// it did not succeed.
pub fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "failed ({:?}): {}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A PDF's text as `pdftotext` reads it, in reading order (a wrapped
/// table cell stays together), its words one space apart and those
/// hyphenated at a line's end whole again; Typst sets French apostrophes
/// as typographic ones, read back as `'`.
pub fn pdf_words(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is installed (scripts/services installs poppler-utils)");
    assert!(out.status.success(), "pdftotext {}", pdf.display());
    String::from_utf8_lossy(&out.stdout)
        .replace('\u{2019}', "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("\u{ad} ", "")
}

/// `phrase` in `text` as whole words ("command" is not in "commande").
pub fn has_phrase(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The fenced code blocks of a Markdown text, each as its lines.
pub fn code_blocks(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            match current.take() {
                Some(block) => out.push(block),
                None => current = Some(String::new()),
            }
        } else if let Some(block) = current.as_mut() {
            block.push_str(line);
            block.push('\n');
        }
    }
    out
}

/// SHA-256 of `bytes`, in hex.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Runs `script` (restic commands a document prints) with `sh -eu` in
/// `work`, with nothing but Debian's `restic` on PATH and no other
/// environment: what someone restoring without Rempart has.
pub fn run_with_restic_alone(script: &str, work: &Path) -> Output {
    let bin = work.join(".restic-only");
    std::fs::create_dir_all(&bin).unwrap();
    let restic = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join("restic"))
        .find(|p| p.is_file())
        .expect("restic on PATH (scripts/services installs Debian's)");
    let link = bin.join("restic");
    if !link.exists() {
        std::os::unix::fs::symlink(&restic, &link).unwrap();
    }
    Command::new("/bin/sh")
        .arg("-euc")
        .arg(script)
        .current_dir(work)
        .env_clear()
        .env("PATH", &bin)
        .env("HOME", work)
        .output()
        .expect("sh")
}

/// A scratch directory, removed on drop.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("rempart-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        Scratch(dir)
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The `rempart` binary, with none of the environment that would choose
/// its plan, store, tenant or language for it: English unless the plan
/// says otherwise, whatever the machine's locale.
pub fn command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rempart"));
    for var in [
        "REMPART_PLAN",
        "REMPART_DATA",
        "REMPART_DATABASE_URL",
        "REMPART_TENANT",
        "REMPART_LANG",
        "LC_ALL",
        "LC_MESSAGES",
        "LANG",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// Runs a one-shot `rempart` command.
pub fn rempart(args: &[&str]) -> Output {
    command().args(args).output().expect("rempart runs")
}

/// A running `rempart serve`.
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub log: PathBuf,
}

impl Server {
    /// Starts `rempart serve ARGS --listen 127.0.0.1:PORT` and waits for `/healthz`.
    pub fn start(args: &[&str], log: &Path) -> Server {
        Server::start_with(args, &[], log)
    }

    /// [`Server::start`] with environment variables.
    pub fn start_with(args: &[&str], env: &[(&str, &str)], log: &Path) -> Server {
        let port = free_port();
        let listen = format!("127.0.0.1:{port}");
        let log_file = std::fs::File::create(log).expect("log file");
        let child = command()
            .arg("serve")
            .args(args)
            .args(["--listen", &listen, "--log-format", "json"])
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .expect("rempart serve starts");
        let mut server = Server {
            child,
            port,
            log: log.to_owned(),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("serve exited early ({status}):\n{}", server.logs());
            }
            if ureq::get(&server.url("/healthz")).call().is_ok() {
                return server;
            }
            assert!(
                Instant::now() < deadline,
                "serve never became healthy:\n{}",
                server.logs()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn signal(&self, signal: i32) {
        let pid = i32::try_from(self.child.id()).expect("pid");
        // SAFETY: sends a signal to our own child process.
        unsafe {
            libc::kill(pid, signal);
        }
    }

    /// SIGTERM, then the exit code.
    pub fn stop(mut self) -> Option<i32> {
        self.signal(libc::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            assert!(
                Instant::now() < deadline,
                "serve did not stop:\n{}",
                self.logs()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGKILL: no chance to clean up.
    pub fn kill(mut self) {
        self.signal(libc::SIGKILL);
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `check` until it returns `Some`, or panics after `limit`.
pub fn wait_for<T>(what: &str, limit: Duration, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The valid base plan of the core tests.
pub fn base_plan() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/plans/base.toml"),
    )
    .expect("base plan")
}

/// The base plan without its http monitor (its target is out of reach
/// here): for tests that count probe jobs.
pub fn base_plan_without_web() -> String {
    let web = "[[monitor]]\nid = \"web\"\nkind = \"http\"\ntarget = \"https://app.example.com/\"\ninterval = \"1m\"\n";
    let plan = base_plan();
    assert!(plan.contains(web), "the base plan's web monitor changed");
    plan.replace(web, "")
}

/// A scenario of the base plan's `billing` process whose one step runs
/// `command`, drilled on `schedule` by `serve` (a job of the queue), to
/// append to a plan.
pub fn command_drill(id: &str, command: &str, schedule: &str) -> String {
    format!(
        "\n[[scenario]]\nid = \"{id}\"\nname = \"{id}\"\nprocess = \"billing\"\ndrill = \"{schedule}\"\nsteps = [{{ name = \"run\", command = \"{command}\", timeout = \"1m\" }}]\n"
    )
}

/// A command monitor, to append to a plan.
pub fn command_monitor(id: &str, command: &str, interval: &str) -> String {
    format!(
        "\n[[monitor]]\nid = \"{id}\"\nkind = \"command\"\ntarget = \"{command}\"\ninterval = \"{interval}\"\ntimeout = \"1m\"\n"
    )
}

/// The base plan with both repositories as local folders (the NAS at
/// `nas`, the other at `repos/usb`), passwords in files under `dir`, and
/// `command` as the database dump; written to `dir/rempart.toml`, whose
/// path is returned.
pub fn local_plan(dir: &Path, nas: &str, command: &str, extra: &str) -> String {
    std::fs::create_dir_all(dir.join("secrets")).unwrap();
    std::fs::write(dir.join("secrets/nas"), "nas-password\n").unwrap();
    std::fs::write(dir.join("secrets/usb"), "usb-password\n").unwrap();
    let plan = base_plan()
        .replace("location = \"/srv/repo\"", &format!("location = \"{nas}\""))
        .replace(
            "password = { env = \"NAS_PASSWORD\" }",
            "password = { file = \"secrets/nas\" }",
        )
        .replace(
            "location = \"s3://test-bucket/rempart\"\npassword = { env = \"S3_PASSWORD\" }",
            "location = \"repos/usb\"\npassword = { file = \"secrets/usb\" }",
        )
        .replace(
            "command = \"pg_dump -Fc app\"",
            &format!("command = \"{command}\""),
        )
        + extra;
    let file = dir.join("rempart.toml");
    std::fs::write(&file, plan).unwrap();
    file.display().to_string()
}

/// Every file under `dir`.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Debian's `restic check --read-data` on a repository Rempart wrote.
pub fn restic_check(repo: &Path, password: &Path) -> Output {
    Command::new("restic")
        .arg("-r")
        .arg(repo)
        .args(["--no-cache", "--password-file"])
        .arg(password)
        .args(["check", "--read-data"])
        .output()
        .expect("restic")
}

/// One request a receiver got.
#[derive(Debug, Clone)]
pub struct Got {
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

/// A real HTTP server on a port of its own (returned), answering 200 (404
/// under `/gone`), and keeping every request.
pub fn receiver() -> (u16, Arc<Mutex<Vec<Got>>>) {
    receiver_on(0)
}

/// [`receiver`] on a given port (0: any free one).
pub fn receiver_on(port: u16) -> (u16, Arc<Mutex<Vec<Got>>>) {
    let listener = TcpListener::bind(("127.0.0.1", port)).expect("receiver port");
    let port = listener.local_addr().expect("receiver port").port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let keep = Arc::clone(&got);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let keep = Arc::clone(&keep);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut first = String::new();
                if reader.read_line(&mut first).is_err() {
                    return;
                }
                let path = first.split_whitespace().nth(1).unwrap_or("").to_owned();
                let mut headers = HashMap::new();
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some((k, v)) = line.split_once(':') {
                        headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
                    }
                }
                let len: usize = headers
                    .get("content-length")
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(0);
                let mut body = vec![0; len];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let status = if path.starts_with("/gone") {
                    "404 Not Found"
                } else {
                    "200 OK"
                };
                keep.lock().unwrap().push(Got {
                    path,
                    headers,
                    body,
                });
                let mut stream = stream;
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            });
        }
    });
    (port, got)
}

/// `rempart user add EMAIL --role ROLE [--tenant T]`, the password on stdin.
pub fn add_user(
    data: &str,
    email: &str,
    role: &str,
    tenant: Option<&str>,
    password: &str,
) -> std::process::Output {
    let mut cmd = command();
    cmd.args(["--data-dir", data, "user", "add", email, "--role", role]);
    if let Some(t) = tenant {
        cmd.args(["--tenant", t]);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rempart user add runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{password}\n").as_bytes())
        .expect("password written");
    child.wait_with_output().expect("rempart user add ends")
}

/// `python3 -m http.server` on `port`: a real server to monitor.
pub fn web_server(port: u16) -> Child {
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

/// A real SMTP server (aiosmtpd, from PyPI) printing what it receives.
pub struct SmtpServer {
    child: std::process::Child,
    out: std::path::PathBuf,
    pub port: u16,
}

impl SmtpServer {
    pub fn start(dir: &Path) -> SmtpServer {
        let port = free_port();
        let out = dir.join("smtp.out");
        let child = std::process::Command::new("python3")
            .args([
                "-u",
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
            ])
            .stdout(std::fs::File::create(&out).unwrap())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("aiosmtpd (scripts/services installs it)");
        wait_for("the SMTP server", Duration::from_secs(20), || {
            std::net::TcpStream::connect(("127.0.0.1", port)).ok()
        });
        SmtpServer { child, out, port }
    }

    pub fn received(&self) -> String {
        std::fs::read_to_string(&self.out).unwrap_or_default()
    }

    /// Every message received so far, whole.
    pub fn messages(&self) -> Vec<String> {
        self.received()
            .split("---------- MESSAGE FOLLOWS ----------")
            .skip(1)
            .filter_map(|m| {
                m.split_once("------------ END MESSAGE ------------")
                    .map(|(whole, _)| whole.to_owned())
            })
            .collect()
    }

    /// Every message received so far, quoted-printable decoded (a long
    /// line, such as a link, comes back whole).
    pub fn texts(&self) -> Vec<String> {
        self.messages()
            .iter()
            .map(|m| {
                String::from_utf8_lossy(&quoted_printable_decode(&m.replace("\r\n", "\n")))
                    .into_owned()
            })
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Quoted-printable (RFC 2045) decoded: soft line breaks joined, `=XX` bytes.
pub fn quoted_printable_decode(text: &str) -> Vec<u8> {
    let joined = text.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}
