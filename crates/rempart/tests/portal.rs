//! The portal over real HTTP against a real `rempart serve`: people added
//! with `rempart user`, logging in and out, the session cookie's
//! attributes, CSRF and `Origin` checks, the lockout, the overview seen by
//! each role, in French and English.

mod common;

use std::io::Write;
use std::process::Stdio;

use common::{
    Scratch, Server, add_user, base_plan_without_web, command, command_monitor, wait_for,
};

const PASSWORD: &str = "correct horse battery";

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A browser, as far as the portal can tell: it keeps the session cookie,
/// follows nothing by itself and sends `Origin` with its form posts.
struct Browser {
    agent: ureq::Agent,
    base: String,
    cookie: Option<String>,
    language: &'static str,
}

struct Page {
    status: u16,
    location: Option<String>,
    set_cookie: Vec<String>,
    body: String,
}

impl Page {
    /// The value of the form's hidden CSRF field.
    fn csrf(&self) -> String {
        let at = self
            .body
            .find("name=\"csrf\" value=\"")
            .expect("a CSRF field")
            + 19;
        self.body[at..]
            .split('"')
            .next()
            .unwrap_or_default()
            .to_owned()
    }
}

impl Browser {
    fn new(server: &Server, language: &'static str) -> Browser {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        Browser {
            agent,
            base: server.url(""),
            cookie: None,
            language,
        }
    }

    fn keep(&mut self, response: &mut ureq::http::Response<ureq::Body>) -> Page {
        let set_cookie: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        for c in &set_cookie {
            if let Some(pair) = c.split(';').next()
                && pair.starts_with("rempart_session=")
            {
                self.cookie = Some(pair.to_owned());
            }
        }
        Page {
            status: response.status().as_u16(),
            location: response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            set_cookie,
            body: response.body_mut().read_to_string().unwrap_or_default(),
        }
    }

    fn get(&mut self, path: &str) -> Page {
        let call = |b: &Browser| {
            let mut req = b
                .agent
                .get(&format!("{}{path}", b.base))
                .header("Accept-Language", b.language);
            if let Some(c) = &b.cookie {
                req = req.header("Cookie", c);
            }
            req.call()
        };
        // A kept-alive connection the server closed meanwhile: sent again
        // on a new one, as browsers do with a GET.
        let mut response = call(self)
            .or_else(|_| call(self))
            .unwrap_or_else(|e| panic!("GET {path} answered: {e}"));
        self.keep(&mut response)
    }

    fn post(&mut self, path: &str, origin: Option<&str>, form: &[(&str, &str)]) -> Page {
        let mut req = self
            .agent
            .post(&format!("{}{path}", self.base))
            .header("Accept-Language", self.language);
        if let Some(c) = &self.cookie {
            req = req.header("Cookie", c);
        }
        if let Some(o) = origin {
            req = req.header("Origin", o);
        }
        let mut response = req.send_form(form.iter().copied()).expect("POST answered");
        self.keep(&mut response)
    }

    fn log_in(&mut self, email: &str, password: &str) -> Page {
        let csrf = self.get("/").csrf();
        let origin = self.base.clone();
        self.post(
            "/login",
            Some(&origin),
            &[("email", email), ("password", password), ("csrf", &csrf)],
        )
    }
}

#[test]
fn people_log_in_see_what_their_role_allows_and_log_out() {
    let scratch = Scratch::new("portal");
    let data = scratch.join("data");
    let data = data.to_str().expect("utf-8 path");
    let plan = scratch.join("rempart.toml");
    // A monitor that fails at once, so that an alert opens.
    let text_of_plan = base_plan_without_web() + &command_monitor("broken", "exit 3", "1s");
    std::fs::write(&plan, text_of_plan).expect("plan written");
    let plan = plan.to_str().expect("utf-8 path");
    let server = Server::start(
        &["-c", plan, "--data-dir", data],
        &scratch.join("serve.log"),
    );
    let other = command()
        .args([
            "--data-dir",
            data,
            "tenant",
            "add",
            "other",
            "--name",
            "Other Ltd",
        ])
        .output()
        .expect("tenant add runs");
    assert!(other.status.success(), "{}", text(&other));

    // People, added from the command line; what is refused says why.
    let out = add_user(data, "tech@msp.example", "msp-operator", None, PASSWORD);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("tech@msp.example added (msp-operator)"),
        "{}",
        text(&out)
    );
    let out = add_user(
        data,
        "viewer@acme.example",
        "client-viewer",
        Some("default"),
        PASSWORD,
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = add_user(
        data,
        "short@acme.example",
        "client-viewer",
        Some("default"),
        "short",
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("shorter than 12 characters"),
        "{}",
        text(&out)
    );
    let out = add_user(data, "lost@acme.example", "client-admin", None, PASSWORD);
    assert!(
        text(&out).contains("belongs to one tenant: give --tenant"),
        "{}",
        text(&out)
    );
    let list = command()
        .args(["--data-dir", data, "user", "list", "--json"])
        .output()
        .expect("user list runs");
    let listed: serde_json::Value = serde_json::from_slice(&list.stdout).expect("JSON");
    let emails: Vec<&str> = listed["users"]
        .as_array()
        .expect("users")
        .iter()
        .filter_map(|u| u["email"].as_str())
        .collect();
    assert_eq!(emails, ["tech@msp.example", "viewer@acme.example"]);
    assert!(!String::from_utf8_lossy(&list.stdout).contains("argon2"));

    // The address of the server opens the login page, with its cookie.
    let mut browser = Browser::new(&server, "en-GB,en;q=0.9");
    let login = browser.get("/");
    assert_eq!(login.status, 200);
    assert!(login.body.contains("Log in to Rempart"), "{}", login.body);
    let cookie = login
        .set_cookie
        .iter()
        .find(|c| c.starts_with("rempart_session="))
        .expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP: no Secure flag ({cookie})"
    );
    let before = browser.cookie.clone();

    // Forged posts: no token, another site's page.
    let origin = server.url("");
    let refused = browser.post(
        "/login",
        Some(&origin),
        &[("email", "tech@msp.example"), ("password", PASSWORD)],
    );
    assert_eq!(refused.status, 403, "{}", refused.body);
    let csrf = login.csrf();
    let refused = browser.post(
        "/login",
        Some("https://evil.example"),
        &[
            ("email", "tech@msp.example"),
            ("password", PASSWORD),
            ("csrf", &csrf),
        ],
    );
    assert_eq!(refused.status, 403);
    let wrong = browser.post(
        "/login",
        Some(&origin),
        &[
            ("email", "tech@msp.example"),
            ("password", "not the password"),
            ("csrf", &csrf),
        ],
    );
    assert_eq!(wrong.status, 401);
    assert!(
        wrong.body.contains("Wrong e-mail or password."),
        "{}",
        wrong.body
    );

    // The MSP's technician: in, with a new session id, sees every tenant.
    let welcome = browser.log_in("tech@msp.example", PASSWORD);
    assert_eq!(
        (welcome.status, welcome.location.as_deref()),
        (303, Some("/overview"))
    );
    assert_ne!(browser.cookie, before, "the session id changes at login");
    let overview = browser.get("/overview");
    assert_eq!(overview.status, 200, "{}", overview.body);
    assert!(
        overview.body.contains("Clients, most urgent first"),
        "{}",
        overview.body
    );
    assert!(
        overview.body.contains("data-tenant=\"default\""),
        "{}",
        overview.body
    );
    assert!(
        overview.body.contains("data-tenant=\"other\""),
        "{}",
        overview.body
    );
    assert!(overview.body.contains("no plan yet"), "{}", overview.body);
    assert!(overview.body.contains("tech@msp.example"));
    assert!(overview.body.contains("href=\"/t/default\""));
    // The tenant's dashboard: measured figures, the 3-2-1-1-0 line, the
    // monitors, and the alert of the broken monitor, acknowledged from here.
    let dashboard = browser.get("/t/default");
    assert_eq!(dashboard.status, 200, "{}", dashboard.body);
    for wanted in [
        "Processes",
        "not measured yet, target",
        "3-2-1-1-0",
        "Monitors",
    ] {
        assert!(
            dashboard.body.contains(wanted),
            "{wanted}: {}",
            dashboard.body
        );
    }
    let dashboard = wait_for(
        "the broken monitor's alert",
        std::time::Duration::from_secs(60),
        || {
            let page = browser.get("/t/default");
            page.body.contains("data-alert=").then_some(page)
        },
    );
    let alert = dashboard
        .body
        .split("data-alert=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("an alert id")
        .to_owned();
    assert!(
        dashboard.body.contains(">Acknowledge<"),
        "{}",
        dashboard.body
    );
    let csrf = dashboard.csrf();
    let acked = browser.post(
        &format!("/t/default/alerts/{alert}/ack"),
        Some(&origin),
        &[("csrf", &csrf)],
    );
    assert_eq!(
        (acked.status, acked.location.as_deref()),
        (303, Some("/t/default"))
    );
    let dashboard = browser.get("/t/default");
    assert!(
        dashboard
            .body
            .contains("acknowledged by portal:tech@msp.example"),
        "{}",
        dashboard.body
    );
    let missing = browser.get("/t/nobody");
    assert_eq!(missing.status, 404);
    // The evidence behind it, the acknowledgement among it; the chain verified.
    let evidence = browser.get("/t/default/evidence");
    assert_eq!(evidence.status, 200, "{}", evidence.body);
    assert!(
        evidence.body.contains("data-seq=\"1\""),
        "{}",
        evidence.body
    );
    assert!(
        evidence.body.contains(">confirmation<"),
        "{}",
        evidence.body
    );
    let confirmations = browser.get("/t/default/evidence?kind=confirmation");
    assert!(
        confirmations.body.contains("portal:tech@msp.example"),
        "{}",
        confirmations.body
    );
    assert!(
        !confirmations.body.contains("data-label=\"Kind\">probe<"),
        "{}",
        confirmations.body
    );
    let csrf = evidence.csrf();
    let verified = browser.post(
        "/t/default/evidence/verify",
        Some(&origin),
        &[("csrf", &csrf)],
    );
    assert_eq!(verified.status, 200);
    assert!(
        verified.body.contains("The chain is intact:"),
        "{}",
        verified.body
    );
    assert!(
        !confirmations.body.contains("Older"),
        "the first page has nothing older"
    );
    // Logging out ends the session: its cookie opens nothing any more.
    let stale = browser.cookie.clone();
    let csrf = overview.csrf();
    let out = browser.post("/logout", Some(&origin), &[("csrf", &csrf)]);
    assert_eq!((out.status, out.location.as_deref()), (303, Some("/")));
    browser.cookie = stale;
    let gone = browser.get("/overview");
    assert_eq!((gone.status, gone.location.as_deref()), (303, Some("/")));

    // A client's viewer, in French: only their own tenant.
    let mut french = Browser::new(&server, "fr-FR,fr;q=0.9");
    let page = french.get("/");
    assert!(
        page.body.contains("Se connecter à Rempart"),
        "{}",
        page.body
    );
    assert!(page.body.contains("lang=\"fr\""));
    let welcome = french.log_in("viewer@acme.example", PASSWORD);
    assert_eq!(welcome.status, 303, "{}", welcome.body);
    // Logged in, a client reads their organisation's language (the plan's,
    // English here) until they choose another: the choice is kept.
    let overview = french.get("/overview");
    assert!(
        overview.body.contains("Clients, most urgent first"),
        "{}",
        overview.body
    );
    let csrf = overview.csrf();
    let switched = french.post(
        "/language",
        Some(&origin),
        &[("csrf", &csrf), ("lang", "fr")],
    );
    assert_eq!(switched.status, 303);
    let overview = french.get("/overview");
    assert!(
        overview
            .body
            .contains("Clients, les plus urgents d&#39;abord"),
        "{}",
        overview.body
    );
    assert!(overview.body.contains("data-tenant=\"default\""));
    assert!(
        !overview.body.contains("data-tenant=\"other\""),
        "{}",
        overview.body
    );
    assert!(!overview.body.contains("Other Ltd"));
    // Another tenant's dashboard looks like one that does not exist; the
    // viewer has no acknowledge button, and a forged one is refused.
    let theirs = french.get("/t/other");
    assert_eq!(theirs.status, 404);
    assert_eq!(french.get("/t/other/evidence").status, 404);
    assert!(!theirs.body.contains("Other Ltd"), "{}", theirs.body);
    let own = french.get("/t/default");
    assert_eq!(own.status, 200);
    assert!(
        own.body.contains("Sondes") && !own.body.contains("/ack\""),
        "{}",
        own.body
    );
    let csrf = own.csrf();
    let forged = french.post(
        &format!("/t/default/alerts/{alert}/ack"),
        Some(&origin),
        &[("csrf", &csrf)],
    );
    assert_eq!(forged.status, 403);
    assert!(
        overview.body.contains("client, en lecture seule"),
        "{}",
        overview.body
    );

    // Five wrong passwords lock the account, and the person is told for how long.
    let mut attacker = Browser::new(&server, "en");
    let mut last = None;
    for _ in 0..5 {
        let csrf = attacker.get("/").csrf();
        last = Some(attacker.post(
            "/login",
            Some(&origin),
            &[
                ("email", "viewer@acme.example"),
                ("password", "guess guess guess"),
                ("csrf", &csrf),
            ],
        ));
    }
    let locked = last.expect("five attempts");
    assert_eq!(locked.status, 429, "{}", locked.body);
    assert!(
        locked
            .body
            .contains("this account is locked for 15 more minutes"),
        "{}",
        locked.body
    );
    let still = attacker.log_in("viewer@acme.example", PASSWORD);
    assert_eq!(
        still.status, 429,
        "the right password waits for the lock too"
    );
    // The lock shows in the list; a new password lifts it.
    let list = command()
        .args(["--data-dir", data, "user", "list"])
        .output()
        .expect("user list runs");
    assert!(text(&list).contains("locked until"), "{}", text(&list));
    let mut passwd = command()
        .args(["--data-dir", data, "user", "passwd", "viewer@acme.example"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("user passwd runs");
    passwd
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"a brand new passphrase\n")
        .expect("written");
    let done = passwd.wait_with_output().expect("user passwd ends");
    assert!(done.status.success(), "{}", text(&done));
    let again = attacker.log_in("viewer@acme.example", "a brand new passphrase");
    assert_eq!(again.status, 303, "{}", again.body);

    // Nothing about the people is in the server's log.
    let log = server.logs();
    assert!(
        !log.contains("viewer@acme.example") && !log.contains(PASSWORD),
        "{log}"
    );
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn the_demo_prints_its_portal_logins_and_they_work() {
    let scratch = Scratch::new("portal-demo");
    let data = scratch.join("data");
    let data = data.to_str().expect("utf-8 path");
    let server = Server::start(&["--demo", "--data-dir", data], &scratch.join("serve.log"));
    let log = common::wait_for(
        "the demo logins",
        std::time::Duration::from_secs(30),
        || {
            let log = server.logs();
            log.contains("client@demo.rempart.example / ")
                .then_some(log)
        },
    );
    assert!(
        log.contains(&format!("Demo portal: {}", server.url(""))),
        "{log}"
    );
    let password = |email: &str| -> String {
        let at = log.find(&format!("{email} / ")).expect("the login") + email.len() + 3;
        log[at..]
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    for email in ["msp@demo.rempart.example", "client@demo.rempart.example"] {
        let mut browser = Browser::new(&server, "en");
        let welcome = browser.log_in(email, &password(email));
        assert_eq!(welcome.status, 303, "{email}: {}", welcome.body);
        let overview = browser.get("/overview");
        assert!(
            overview.body.contains("data-tenant=\"demo\""),
            "{}",
            overview.body
        );
    }
    // The MSP sees the demo's three clients, the most urgent first: the
    // pharmacy whose till server is down (red, its alert open), the law
    // firm never drilled, then the demo company; its client sees only its own.
    let mut msp = Browser::new(&server, "en");
    assert_eq!(
        msp.log_in(
            "msp@demo.rempart.example",
            &password("msp@demo.rempart.example")
        )
        .status,
        303
    );
    let overview = common::wait_for(
        "the pharmacy's till server down on the overview",
        std::time::Duration::from_secs(60),
        || {
            let page = msp.get("/overview");
            page.body
                .contains("<tr class=\"row-breached\" data-tenant=\"pharmacie\">")
                .then_some(page.body)
        },
    );
    let order: Vec<usize> = ["pharmacie", "cabinet", "demo"]
        .iter()
        .map(|t| {
            overview
                .find(&format!("data-tenant=\"{t}\""))
                .unwrap_or_else(|| panic!("{t} on the overview: {overview}"))
        })
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "{order:?}: {overview}"
    );
    let mut client = Browser::new(&server, "en");
    client.log_in(
        "client@demo.rempart.example",
        &password("client@demo.rempart.example"),
    );
    let theirs = client.get("/overview");
    assert!(
        !theirs.body.contains("pharmacie") && !theirs.body.contains("cabinet"),
        "{}",
        theirs.body
    );
    assert_eq!(client.get("/t/pharmacie").status, 404);
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn a_person_sees_and_ends_their_sessions_and_changes_their_password() {
    let scratch = Scratch::new("portal-account");
    let data = scratch.join("data");
    let data = data.to_str().expect("utf-8 path");
    let plan = scratch.join("rempart.toml");
    std::fs::write(&plan, base_plan_without_web()).expect("plan written");
    let plan = plan.to_str().expect("utf-8 path");
    let server = Server::start(
        &["-c", plan, "--data-dir", data],
        &scratch.join("serve.log"),
    );
    let out = add_user(
        data,
        "boss@acme.example",
        "client-admin",
        Some("default"),
        PASSWORD,
    );
    assert!(out.status.success(), "{}", text(&out));
    let origin = server.url("");
    // Two browsers, one person.
    let mut laptop = Browser::new(&server, "en");
    let mut phone = Browser::new(&server, "en");
    assert_eq!(laptop.log_in("boss@acme.example", PASSWORD).status, 303);
    assert_eq!(phone.log_in("boss@acme.example", PASSWORD).status, 303);
    let account = laptop.get("/account");
    assert_eq!(account.status, 200, "{}", account.body);
    assert_eq!(
        account.body.matches("data-session=").count(),
        2,
        "{}",
        account.body
    );
    assert_eq!(account.body.matches(">this session<").count(), 1);
    // The laptop ends the phone's session: the phone is sent to the login page.
    let other = account
        .body
        .split("action=\"/account/sessions/")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .expect("the other session's end button")
        .to_owned();
    let csrf = account.csrf();
    let ended = laptop.post(
        &format!("/account/sessions/{other}/end"),
        Some(&origin),
        &[("csrf", &csrf)],
    );
    assert_eq!(
        (ended.status, ended.location.as_deref()),
        (303, Some("/account"))
    );
    let gone = phone.get("/overview");
    assert_eq!((gone.status, gone.location.as_deref()), (303, Some("/")));
    // Another person's handle, or a made-up one, ends nothing.
    let nothing = laptop.post(
        "/account/sessions/0123456789abcdef/end",
        Some(&origin),
        &[("csrf", &csrf)],
    );
    assert_eq!(nothing.status, 404);

    // The password: the current one is asked again; both new ones must match.
    let change = |b: &mut Browser, current: &str, new: &str, again: &str| {
        let csrf = b.get("/account").csrf();
        b.post(
            "/account/password",
            Some(&origin),
            &[
                ("csrf", csrf.as_str()),
                ("current", current),
                ("new", new),
                ("again", again),
            ],
        )
    };
    let wrong = change(
        &mut laptop,
        "not my password",
        "a whole new phrase",
        "a whole new phrase",
    );
    assert_eq!(wrong.status, 403);
    assert!(
        wrong.body.contains("The current password is wrong"),
        "{}",
        wrong.body
    );
    let differ = change(
        &mut laptop,
        PASSWORD,
        "a whole new phrase",
        "a whole new phrasE",
    );
    assert_eq!(differ.status, 400);
    let short = change(&mut laptop, PASSWORD, "short", "short");
    assert_eq!(short.status, 400);
    assert!(
        short.body.contains("At least 12 characters"),
        "{}",
        short.body
    );
    assert_eq!(phone.log_in("boss@acme.example", PASSWORD).status, 303);
    let done = change(
        &mut laptop,
        PASSWORD,
        "a whole new phrase",
        "a whole new phrase",
    );
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(
        done.body.contains("Your password is changed"),
        "{}",
        done.body
    );
    // The laptop stays in; the phone's session ended with the change.
    assert_eq!(laptop.get("/account").status, 200);
    assert_eq!(phone.get("/overview").status, 303);
    assert_eq!(phone.log_in("boss@acme.example", PASSWORD).status, 401);
    assert_eq!(
        phone
            .log_in("boss@acme.example", "a whole new phrase")
            .status,
        303
    );

    // Dates (the plan's versions): in the plan's time zone (Europe/Paris) until the person
    // chooses theirs; a name Rempart does not know is refused and changes
    // nothing.
    let versions = laptop.get("/t/default/plan");
    assert!(
        versions.body.contains("+01:00") || versions.body.contains("+02:00"),
        "{}",
        versions.body
    );
    let set_zone = |b: &mut Browser, zone: &str| {
        let csrf = b.get("/account").csrf();
        b.post(
            "/account/timezone",
            Some(&origin),
            &[("csrf", csrf.as_str()), ("timezone", zone)],
        )
    };
    let unknown = set_zone(&mut laptop, "Mars/Olympus_Mons");
    assert_eq!(unknown.status, 400, "{}", unknown.body);
    assert!(
        unknown.body.contains("Mars/Olympus_Mons"),
        "{}",
        unknown.body
    );
    let tokyo = set_zone(&mut laptop, "Asia/Tokyo");
    assert_eq!(tokyo.status, 200, "{}", tokyo.body);
    assert!(
        tokyo.body.contains("<option selected>Asia/Tokyo</option>"),
        "{}",
        tokyo.body
    );
    let versions = laptop.get("/t/default/plan");
    assert!(versions.body.contains("+09:00"), "{}", versions.body);
    assert!(!versions.body.contains("+01:00") && !versions.body.contains("+02:00"));
    // Back to the plan's.
    let plan_zone = set_zone(&mut laptop, "");
    assert_eq!(plan_zone.status, 200, "{}", plan_zone.body);
    let versions = laptop.get("/t/default/plan");
    assert!(!versions.body.contains("+09:00"), "{}", versions.body);
    assert_eq!(server.stop(), Some(0));
}

/// Who may post to each form of a tenant's pages: the least role.
/// A new form must be added here (the walk below fails on one it does
/// not know).
fn least_role_to_post(path: &str) -> u8 {
    match path {
        "/t/{tenant}/evidence/verify" => VIEWER,
        "/t/{tenant}/plan"
        | "/t/{tenant}/drills/{run}/steps/{step}/confirm"
        | "/t/{tenant}/maintenance"
        | "/t/{tenant}/maintenance/{id}/remove"
        | "/t/{tenant}/crisis"
        | "/t/{tenant}/crisis/act" => CLIENT_ADMIN,
        "/t/{tenant}/jobs/{kind}/{subject}/run" | "/t/{tenant}/alerts/{id}/ack" => MSP,
        other => panic!("{other}: say in least_role_to_post who may post there"),
    }
}
const VIEWER: u8 = 0;
const CLIENT_ADMIN: u8 = 1;
const MSP: u8 = 2;

/// `path` with its parameters filled in, for tenant `tenant`.
fn concrete(path: &str, tenant: &str) -> String {
    path.replace("{tenant}", tenant)
        .replace("{id}", "2")
        .replace("{handle}", "0123456789abcdef")
        .replace("{kind}", "backup")
        .replace("{document}", "pra")
        .replace("{subject}", "db")
        .replace("{run}", "restore-db-20260101-000000")
        .replace("{step}", "1")
        .replace("{token}", "x")
}

/// Every route of the router, tried with a session of another tenant and
/// with each lower role: another tenant's pages and forms answer 404 (the
/// same as what does not exist) and show nothing of it; a role below a
/// form's answers 403 (with a valid token from this very site, so that
/// only the role refuses); the API takes no session.
#[test]
fn every_route_refuses_another_tenant_and_each_lower_role() {
    let scratch = Scratch::new("portal-walk");
    let data = scratch.join("data");
    let data = data.to_str().expect("utf-8 path");
    let plans = scratch.join("plans");
    std::fs::create_dir_all(&plans).expect("plans dir");
    for (id, name) in [("acme", "Acme Marker SARL"), ("beta", "Beta SARL")] {
        let plan = base_plan_without_web().replace("Test SARL", name);
        std::fs::write(plans.join(format!("{id}.toml")), plan).expect("plan written");
    }
    let server = Server::start(
        &[
            "--plans",
            plans.to_str().expect("utf-8"),
            "--data-dir",
            data,
        ],
        &scratch.join("serve.log"),
    );
    let people = [
        ("beta-admin@beta.example", "client-admin", Some("beta")),
        ("viewer@acme.example", "client-viewer", Some("acme")),
        ("admin@acme.example", "client-admin", Some("acme")),
        ("tech@msp.example", "msp-operator", None),
    ];
    for (email, role, tenant) in people {
        let out = add_user(data, email, role, tenant, PASSWORD);
        assert!(out.status.success(), "{}", text(&out));
    }
    let origin = server.url("");
    let markers = ["Acme Marker", "acme"];
    let routes = rempart_web::routes();
    let mut checked = 0;
    for (email, role, tenant) in people {
        let mut b = Browser::new(&server, "en");
        let welcome = b.log_in(email, PASSWORD);
        assert_eq!(welcome.status, 303, "{email} logs in");
        let csrf = b.get("/account").csrf();
        let rank = match role {
            "client-viewer" => VIEWER,
            "client-admin" => CLIENT_ADMIN,
            _ => MSP,
        };
        let other_tenant = tenant == Some("beta");
        for (method, path) in &routes {
            // The streams stay open (a page's live updates) and logging
            // out ends the walk: their refusals are checked on their own below.
            let endless = path == "/live" || (path.ends_with("/live") && !other_tenant);
            if method == "HEAD" || path == "/logout" || endless {
                continue;
            }
            let url = concrete(path, "acme");
            let page = match method.as_str() {
                "GET" => b.get(&url),
                "POST" => b.post(
                    &url,
                    Some(&origin),
                    &[("csrf", &csrf), ("source", "x = 1"), ("note", "walk")],
                ),
                other => {
                    // PUT, DELETE: the API's; a session is no API token.
                    let mut req = ureq::http::Request::builder()
                        .method(other)
                        .uri(server.url(&url));
                    if let Some(c) = &b.cookie {
                        req = req.header("Cookie", c);
                    }
                    let request = req.body("{}".to_owned()).expect("a request");
                    let mut r = b.agent.run(request).expect("answered");
                    b.keep(&mut r)
                }
            };
            let what = format!("{method} {path} as {email} ({role})");
            if path == "/api/v1/openapi.json" {
                // The API's description: public, nobody's data.
                assert_eq!(page.status, 200, "{what}");
                continue;
            }
            if path.starts_with("/api/") {
                assert_eq!(page.status, 401, "{what}: {}", page.body);
                continue;
            }
            if other_tenant {
                for marker in markers {
                    assert!(
                        !page.body.contains(marker),
                        "{what} showed acme's \"{marker}\": {}",
                        page.body
                    );
                }
                if path.starts_with("/t/") {
                    assert_eq!(page.status, 404, "{what}: {}", page.body);
                }
            } else if path.starts_with("/t/") && method == "POST" {
                let least = least_role_to_post(path);
                if rank < least {
                    assert_eq!(page.status, 403, "{what}: {}", page.body);
                } else {
                    // Allowed: refused, if at all, for what it asks (no
                    // alert 1, a file-managed plan), not for who asks.
                    assert_ne!(page.status, 403, "{what}: {}", page.body);
                }
            } else if path.starts_with("/t/") {
                assert_eq!(page.status, 200, "{what}: {}", page.body);
            }
            if path.starts_with("/tenants") {
                // The list is the MSP's; adding a client, its administrator's
                // (none walks here).
                let allowed = method == "GET" && rank == MSP;
                assert_eq!(
                    page.status,
                    if allowed { 200 } else { 403 },
                    "{what}: {}",
                    page.body
                );
            }
            if path.starts_with("/users") {
                // People are managed by administrators only, and person 2
                // (acme's reader) by an MSP or acme administrator only.
                let admin = role == "client-admin";
                if method == "GET" {
                    assert_eq!(page.status, if admin { 200 } else { 404 }, "{what}");
                } else if !admin || other_tenant {
                    assert!(
                        [400, 403, 404, 409].contains(&page.status),
                        "{what}: {} {}",
                        page.status,
                        page.body
                    );
                }
            }
            checked += 1;
        }
        // The streams: another tenant's answers 404 at once.
        if other_tenant {
            assert_eq!(b.get("/t/acme/live").status, 404);
        }
    }
    assert!(
        checked > 4 * 20,
        "only {checked} (route, person) pairs tried"
    );
    server.stop();
}

/// Runs `sql` on PostgreSQL's administration database.
fn admin_sql(sql: &str) {
    use sqlx::Executor;
    sqlx::any::install_default_drivers();
    let admin = std::env::var("REMPART_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(async {
            let pool = sqlx::AnyPool::connect(&admin)
                .await
                .expect("PostgreSQL (scripts/services starts it)");
            pool.execute(sqlx::AssertSqlSafe(sql.to_owned()))
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
            pool.close().await;
        });
}

/// A GET without any session, as anyone on the Internet.
fn anonymous(url: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut r = agent.get(url).call().expect("answered");
    (
        r.status().as_u16(),
        r.body_mut().read_to_string().unwrap_or_default(),
    )
}

#[test]
fn a_public_status_page_shows_only_its_monitors_and_stays_up_without_the_database() {
    let scratch = Scratch::new("portal-status");
    let name = format!("rempart_status_{}", std::process::id());
    admin_sql(&format!("CREATE DATABASE {name}"));
    let admin = std::env::var("REMPART_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let url = format!(
        "{}/{name}",
        admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b)
    );
    let plan = scratch.join("rempart.toml");
    let text_of_plan = base_plan_without_web()
        + &command_monitor("api", "true", "1s")
        + &command_monitor("mail", "exit 3", "1s")
        + &command_monitor("internal-db", "true", "1s")
        + "\n[status_page]\ntitle = \"Test SARL — service status\"\nmonitors = [\"api\", \"mail\"]\npublic = true\n";
    std::fs::write(&plan, text_of_plan).expect("plan written");
    let data = scratch.join("data");
    let server = Server::start(
        &[
            "-c",
            plan.to_str().expect("utf-8"),
            "--database-url",
            &url,
            "--data-dir",
            data.to_str().expect("utf-8"),
        ],
        &scratch.join("serve.log"),
    );
    let page = wait_for(
        "the outage on the status page",
        std::time::Duration::from_secs(30),
        || {
            let (status, body) = anonymous(&server.url("/status/default"));
            (status == 200 && body.contains("Some services are down")).then_some(body)
        },
    );
    assert!(page.contains("Test SARL — service status") && page.contains("api"));
    assert!(
        !page.contains("internal-db") && !page.contains("Billing"),
        "the page shows what it does not list: {page}"
    );
    // Another address is no status page.
    assert_eq!(anonymous(&server.url("/status/nobody")).0, 404);

    // The database stops answering: the page stays, from memory.
    admin_sql(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"));
    admin_sql(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
    ));
    let cut = common::rempart(&["evidence", "verify", "--database-url", &url]);
    assert!(!cut.status.success(), "the database still answers");
    let (status, body) = anonymous(&server.url("/status/default"));
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("Some services are down") && body.contains("mail"),
        "{body}"
    );
    admin_sql(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"));
    server.stop();
    admin_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
}

#[test]
fn administrators_add_reset_and_remove_the_people_they_manage() {
    let scratch = Scratch::new("portal-people");
    let data = scratch.join("data");
    let data = data.to_str().expect("utf-8 path");
    for (id, name) in [("acme", "Acme"), ("beta", "Beta")] {
        let out = command()
            .args(["--data-dir", data, "tenant", "add", id, "--name", name])
            .output()
            .expect("tenant add");
        assert!(out.status.success(), "{}", text(&out));
    }
    for (email, role, tenant) in [
        ("root@msp.example", "msp-admin", None),
        ("boss@acme.example", "client-admin", Some("acme")),
        ("boss@beta.example", "client-admin", Some("beta")),
    ] {
        let out = add_user(data, email, role, tenant, PASSWORD);
        assert!(out.status.success(), "{}", text(&out));
    }
    let server = Server::start(&["--data-dir", data], &scratch.join("serve.log"));
    let origin = server.url("");
    let handed = |page: &Page| {
        let at = page
            .body
            .find("class=\"password\">")
            .expect("a password shown")
            + 17;
        page.body[at..]
            .split('<')
            .next()
            .unwrap_or_default()
            .to_owned()
    };

    // Acme's administrator adds a reader to acme, and only there.
    let mut boss = Browser::new(&server, "en");
    assert_eq!(boss.log_in("boss@acme.example", PASSWORD).status, 303);
    let page = boss.get("/users");
    assert_eq!(page.status, 200);
    assert!(
        !page.body.contains("boss@beta.example"),
        "another tenant's people"
    );
    assert!(
        !page.body.contains("value=\"msp-admin\""),
        "an MSP role offered"
    );
    let csrf = page.csrf();
    let added = boss.post(
        "/users",
        Some(&origin),
        &[
            ("csrf", &csrf),
            ("email", "reader@acme.example"),
            ("role", "client-viewer"),
            ("tenant", "acme"),
        ],
    );
    assert_eq!(added.status, 200, "{}", added.body);
    let password = handed(&added);
    assert!(password.len() >= 12, "{password}");
    for (role, tenant) in [("msp-operator", ""), ("client-viewer", "beta")] {
        let refused = boss.post(
            "/users",
            Some(&origin),
            &[
                ("csrf", &csrf),
                ("email", "x@acme.example"),
                ("role", role),
                ("tenant", tenant),
            ],
        );
        assert_eq!(refused.status, 403, "{role} in {tenant}");
    }
    let mut reader = Browser::new(&server, "en");
    assert_eq!(reader.log_in("reader@acme.example", &password).status, 303);
    assert_eq!(reader.get("/users").status, 404, "a reader manages nobody");

    // The MSP's administrator resets the reader: the old password and the
    // reader's session end; the new one works.
    let mut root = Browser::new(&server, "en");
    assert_eq!(root.log_in("root@msp.example", PASSWORD).status, 303);
    let page = root.get("/users");
    assert!(page.body.contains("boss@beta.example") && page.body.contains("reader@acme.example"));
    let at = page
        .body
        .find("data-user=\"reader@acme.example\"")
        .expect("the reader's row");
    let id: String = page.body[at..]
        .split("/users/")
        .nth(1)
        .expect("an action")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let reset = root.post(
        &format!("/users/{id}/reset"),
        Some(&origin),
        &[("csrf", &page.csrf())],
    );
    assert_eq!(reset.status, 200, "{}", reset.body);
    let fresh = handed(&reset);
    assert_ne!(fresh, password);
    assert_eq!(
        reader.get("/overview").status,
        303,
        "the reader's session ended"
    );
    let mut again = Browser::new(&server, "en");
    assert_ne!(again.log_in("reader@acme.example", &password).status, 303);
    assert_eq!(again.log_in("reader@acme.example", &fresh).status, 303);
    // Beta's administrator cannot touch acme's reader; acme's removes them.
    let mut beta = Browser::new(&server, "en");
    assert_eq!(beta.log_in("boss@beta.example", PASSWORD).status, 303);
    let csrf = beta.get("/users").csrf();
    assert_eq!(
        beta.post(
            &format!("/users/{id}/remove"),
            Some(&origin),
            &[("csrf", &csrf)]
        )
        .status,
        404
    );
    let csrf = boss.get("/users").csrf();
    let removed = boss.post(
        &format!("/users/{id}/remove"),
        Some(&origin),
        &[("csrf", &csrf)],
    );
    assert!(
        removed
            .body
            .contains("reader@acme.example can no longer log in"),
        "{}",
        removed.body
    );
    assert_eq!(
        again.get("/overview").status,
        303,
        "a removed person is out"
    );
    server.stop();
}

/// An MSP administrator adds a client from the portal (an operator sees
/// the list, a client neither); a client's administrator plans and
/// removes a maintenance window, in the plan's time zone, for one monitor
/// or all; a reader sees them and may change nothing.
#[test]
fn clients_and_maintenance_windows_are_managed_from_the_portal() {
    let scratch = Scratch::new("portal-clients");
    let data = scratch.join("data");
    let data = data.to_str().expect("utf-8 path");
    let plan = scratch.join("rempart.toml");
    let mail = "\n[[monitor]]\nid = \"mail\"\nname = \"Mail server\"\nkind = \"tcp\"\ntarget = \"127.0.0.1:9\"\ninterval = \"1h\"\n";
    std::fs::write(&plan, base_plan_without_web() + mail).expect("plan written");
    let plan = plan.to_str().expect("utf-8 path");
    let server = Server::start(
        &["-c", plan, "--data-dir", data],
        &scratch.join("serve.log"),
    );
    for (email, role, tenant) in [
        ("admin@msp.example", "msp-admin", None),
        ("tech@msp.example", "msp-operator", None),
        ("boss@acme.example", "client-admin", Some("default")),
        ("reader@acme.example", "client-viewer", Some("default")),
    ] {
        let out = add_user(data, email, role, tenant, PASSWORD);
        assert!(out.status.success(), "{}", text(&out));
    }
    let origin = server.url("");
    let browser = |email: &str, lang: &'static str| {
        let mut b = Browser::new(&server, lang);
        assert_eq!(b.log_in(email, PASSWORD).status, 303, "{email} logs in");
        b
    };

    // Clients.
    let mut admin = browser("admin@msp.example", "en");
    let list = admin.get("/tenants");
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(
        list.body.contains("data-tenant=\"default\""),
        "{}",
        list.body
    );
    assert!(
        list.body.contains("action=\"/tenants\""),
        "the admin's add form"
    );
    let add = |b: &mut Browser, id: &str, name: &str| {
        let csrf = b.get("/account").csrf();
        b.post(
            "/tenants",
            Some(&origin),
            &[("csrf", csrf.as_str()), ("id", id), ("name", name)],
        )
    };
    let added = add(&mut admin, "beta", "Beta SARL");
    assert_eq!(
        (added.status, added.location.as_deref()),
        (303, Some("/t/beta/plan")),
        "{}",
        added.body
    );
    let again = add(&mut admin, "beta", "Beta again");
    assert_eq!(again.status, 422);
    assert!(again.body.contains("already a client"), "{}", again.body);
    let bad = add(&mut admin, "no spaces", "Bad");
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("“no spaces”"), "{}", bad.body);
    let list = admin.get("/tenants");
    assert!(
        list.body.contains("data-tenant=\"beta\"") && list.body.contains("no plan yet"),
        "{}",
        list.body
    );
    assert!(admin.get("/overview").body.contains("Beta SARL"));
    let mut tech = browser("tech@msp.example", "fr");
    let list = tech.get("/tenants");
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Beta SARL") && !list.body.contains("action=\"/tenants\""));
    assert_eq!(add(&mut tech, "gamma", "Gamma").status, 403);
    let mut boss = browser("boss@acme.example", "en");
    assert_eq!(boss.get("/tenants").status, 403);
    assert_eq!(add(&mut boss, "gamma", "Gamma").status, 403);
    assert!(!admin.get("/tenants").body.contains("gamma"));

    // Maintenance windows.
    let page = boss.get("/t/default/maintenance");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("No maintenance window planned"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Times in Europe/Paris"), "{}", page.body);
    let plan_window = |b: &mut Browser, fields: &[(&str, &str)]| {
        let csrf = b.get("/t/default/maintenance").csrf();
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        b.post("/t/default/maintenance", Some(&origin), &form)
    };
    let window = [
        ("start", "2030-06-01T08:00"),
        ("end", "2030-06-01T10:30"),
        ("monitor", "mail"),
        ("reason", "Mail server upgrade"),
    ];
    let added = plan_window(&mut boss, &window);
    assert_eq!(
        (added.status, added.location.as_deref()),
        (303, Some("/t/default/maintenance?done=added")),
        "{}",
        added.body
    );
    let page = boss.get("/t/default/maintenance?done=added");
    assert!(page.body.contains("The maintenance window is added"));
    assert!(
        page.body.contains("2030-06-01 08:00 → 10:30 (+02:00)")
            && page.body.contains("Mail server upgrade")
            && page.body.contains("Mail server</td>")
            && page.body.contains("boss@acme.example"),
        "{}",
        page.body
    );
    // Every monitor when none is ticked; refused: an end before the
    // start, a window already over, an unknown monitor, no reason.
    let all = plan_window(
        &mut boss,
        &[
            ("start", "2030-07-01T22:00"),
            ("end", "2030-07-02T01:00"),
            ("reason", "Power works"),
        ],
    );
    assert_eq!(all.status, 303, "{}", all.body);
    for (fields, says) in [
        (
            [
                ("start", "2030-06-01T10:00"),
                ("end", "2030-06-01T09:00"),
                ("reason", "x"),
            ],
            "The end must come after the start",
        ),
        (
            [
                ("start", "2020-01-01T08:00"),
                ("end", "2020-01-01T09:00"),
                ("reason", "x"),
            ],
            "already over",
        ),
        (
            [
                ("start", "tomorrow"),
                ("end", "2030-06-01T09:00"),
                ("reason", "x"),
            ],
            "Start: give a date and a time",
        ),
        (
            [
                ("start", "2030-06-01T08:00"),
                ("end", "2030-06-01T09:00"),
                ("reason", " "),
            ],
            "Give a reason",
        ),
    ] {
        let refused = plan_window(&mut boss, &fields);
        assert_eq!(refused.status, 422, "{fields:?}: {}", refused.body);
        assert!(refused.body.contains(says), "{fields:?}: {}", refused.body);
    }
    let unknown = plan_window(
        &mut boss,
        &[
            ("start", "2030-06-01T08:00"),
            ("end", "2030-06-01T09:00"),
            ("monitor", "nope"),
            ("reason", "x"),
        ],
    );
    assert_eq!(unknown.status, 422);
    assert!(unknown.body.contains("No such monitor in the plan: nope"));
    let page = boss.get("/t/default/maintenance");
    assert_eq!(
        page.body.matches("data-window=").count(),
        2,
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("2030-07-01 22:00 → 2030-07-02 01:00 (+02:00)")
    );
    assert!(page.body.contains("every monitor"));

    // The reader sees the windows in French, no form, and may post nothing.
    let mut reader = browser("reader@acme.example", "fr");
    let seen = reader.get("/t/default/maintenance");
    assert_eq!(seen.status, 200);
    assert!(seen.body.contains("Mail server upgrade") && seen.body.contains("every monitor"));
    assert!(
        !seen.body.contains("action=\"/t/default/maintenance"),
        "{}",
        seen.body
    );
    assert_eq!(plan_window(&mut reader, &window).status, 403);
    let first = page
        .body
        .split("data-window=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a window id")
        .to_owned();
    let csrf = reader.get("/t/default/maintenance").csrf();
    let remove = format!("/t/default/maintenance/{first}/remove");
    assert_eq!(
        reader
            .post(&remove, Some(&origin), &[("csrf", &csrf)])
            .status,
        403
    );

    // The MSP's technician removes one; removing it again finds nothing.
    let csrf = tech.get("/t/default/maintenance").csrf();
    let removed = tech.post(&remove, Some(&origin), &[("csrf", &csrf)]);
    assert_eq!(removed.status, 303, "{}", removed.body);
    assert_eq!(
        tech.post(&remove, Some(&origin), &[("csrf", &csrf)]).status,
        404
    );
    let page = tech.get("/t/default/maintenance?done=removed");
    assert!(
        page.body.contains("La fenêtre de maintenance est retirée")
            && page.body.contains("toutes les sondes"),
        "{}",
        page.body
    );
    assert_eq!(
        page.body.matches("data-window=").count(),
        1,
        "{}",
        page.body
    );
    assert_eq!(server.stop(), Some(0));
}

/// A form posted without a session (expired, say) is answered with the
/// way to the login page, never a reset connection, however big the form:
/// the page refuses it before reading it, and the server reads it anyway.
#[test]
fn a_form_posted_without_a_session_gets_the_login_page_not_a_reset() {
    let scratch = Scratch::new("portal-unread");
    let data = scratch.join("data");
    let data = data.to_str().expect("utf-8 path");
    let plan = scratch.join("rempart.toml");
    std::fs::write(&plan, base_plan_without_web()).expect("plan written");
    let server = Server::start(
        &["-c", plan.to_str().expect("utf-8"), "--data-dir", data],
        &scratch.join("serve.log"),
    );
    let origin = server.url("");
    let source = "# a long plan\n".repeat(50_000);
    for _ in 0..20 {
        // A new browser each time: a new connection, the whole form sent.
        let mut b = Browser::new(&server, "en");
        let page = b.post(
            "/t/default/plan",
            Some(&origin),
            &[("csrf", "0"), ("source", source.as_str())],
        );
        assert_eq!((page.status, page.location.as_deref()), (303, Some("/")));
    }
    // Over the limit: refused by its size, still answered.
    let huge = "x".repeat(1024 * 1024 + 1);
    let mut b = Browser::new(&server, "en");
    let page = b.post(
        "/t/default/plan",
        Some(&origin),
        &[("source", huge.as_str())],
    );
    assert_eq!(page.status, 413);
    assert_eq!(server.stop(), Some(0));
}
