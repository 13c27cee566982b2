//! The portal in a real browser: Debian's Chromium driven through
//! chromedriver (WebDriver), against `rempart serve --demo`. A person logs
//! in with the demo's printed login by typing it into the form, opens the
//! overview and the dashboard on a desktop and on a 390-px phone, switches
//! to French (and no English sentence of the catalogue is left on the
//! page) and logs out. Screenshots of each page are kept as test artefacts
//! under `$CARGO_TARGET_TMPDIR/portal-screenshots/`, to be looked at.

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{Scratch, Server, add_user, free_port, local_plan, receiver, wait_for, web_server};
use fantoccini::{Client, ClientBuilder, Locator};
use rempart_i18n::{Lang, t};

/// chromedriver, killed (with its browsers) on drop.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start(scratch: &Scratch) -> Driver {
        for program in ["chromium", "chromedriver"] {
            let found = Command::new("sh")
                .args(["-c", &format!("command -v {program}")])
                .output()
                .is_ok_and(|o| o.status.success());
            assert!(
                found,
                "{program} is needed for the portal's browser tests; scripts/services installs it (Debian: chromium chromium-driver)"
            );
        }
        let port = free_port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            // Crash reports and settings stay in the scratch folder.
            .env("XDG_CONFIG_HOME", scratch.join("xdg"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        wait_for("chromedriver", Duration::from_secs(30), || {
            ureq::get(&format!("http://127.0.0.1:{port}/status"))
                .call()
                .ok()
        });
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where the screenshots go.
fn shots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("portal-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

async fn shoot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("a screenshot");
    assert!(png.len() > 1_000, "{name}: an empty screenshot");
    std::fs::write(shots().join(format!("{name}.png")), png).expect("screenshot written");
}

/// Nothing on the page is wider than the 390-px phone's screen: no
/// sideways scrolling.
async fn fits_the_phone(client: &Client, path: &str) {
    let width = client
        .execute("return document.documentElement.scrollWidth", vec![])
        .await
        .expect("the page's width");
    assert!(
        width.as_u64().is_some_and(|w| w <= 390),
        "{path} is {width} px wide on a 390-px phone"
    );
}

/// A screenshot of the whole page, not only what the window shows.
async fn shoot_whole(client: &Client, name: &str) {
    let (width, height) = client.get_window_size().await.expect("window size");
    let full = client
        .execute("return document.documentElement.scrollHeight", vec![])
        .await
        .expect("the page's height")
        .as_u64()
        .unwrap_or(800);
    let full = u32::try_from(full).unwrap_or(800).clamp(400, 6000);
    client
        .set_window_size(u32::try_from(width).unwrap_or(1280), full + 140)
        .await
        .expect("a taller window");
    shoot(client, name).await;
    client
        .set_window_size(
            u32::try_from(width).unwrap_or(1280),
            u32::try_from(height).unwrap_or(800),
        )
        .await
        .expect("the window back");
}

async fn text(client: &Client) -> String {
    client
        .execute("return document.body.innerText", vec![])
        .await
        .expect("the page's text")
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Whether `needle` is in `hay` as whole words.
fn has_words(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(at, _)| {
        let before = hay[..at].chars().next_back();
        let after = hay[at + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// A new headless Chromium window, 1280×800, English first.
async fn browser(driver: &Driver, scratch: &Scratch) -> Client {
    let profile = scratch.join(&format!("chromium-profile-{}", free_port()));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--lang=en-GB",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a browser session");
    client
        .set_window_size(1280, 800)
        .await
        .expect("desktop size");
    client
}

/// Opens the server's address and logs in by typing into the form (the
/// login page shot as `shot` first, when named).
async fn log_in(client: &Client, server: &Server, email: &str, password: &str, shot: Option<&str>) {
    client
        .goto(&server.url("/"))
        .await
        .expect("the portal opens");
    if let Some(name) = shot {
        shoot(client, name).await;
    }
    for (field, value) in [("#email", email), ("#password", password)] {
        client
            .find(Locator::Css(field))
            .await
            .expect("a login field")
            .send_keys(value)
            .await
            .expect("typed");
    }
    click_live(client, "form[action='/login'] button").await;
    // Logged in once the page has the logout button: a navigation before
    // that would abort the login.
    client
        .wait()
        .for_element(Locator::Css("form[action='/logout']"))
        .await
        .expect("logged in");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_clicks_through_the_demo_in_both_languages() {
    let scratch = Scratch::new("browser");
    let data = scratch.join("data");
    let server = Server::start(
        &["--demo", "--data-dir", data.to_str().expect("utf-8 path")],
        &scratch.join("serve.log"),
    );
    let log = wait_for("the demo logins", Duration::from_secs(30), || {
        let log = server.logs();
        log.contains("client@demo.rempart.example / ")
            .then_some(log)
    });
    let email = "msp@demo.rempart.example";
    let at = log.find(&format!("{email} / ")).expect("the MSP login") + email.len() + 3;
    let password = log[at..]
        .split_whitespace()
        .next()
        .expect("a password")
        .to_owned();

    let driver = Driver::start(&scratch);
    let client = browser(&driver, &scratch).await;
    log_in(&client, &server, email, &password, Some("login-desktop")).await;
    client
        .wait()
        .for_element(Locator::Css("tr[data-tenant='demo']"))
        .await
        .expect("the overview lists the demo");
    assert!(client.current_url().await.expect("url").path() == "/overview");
    shoot(&client, "overview-desktop").await;

    // The tenant's dashboard, on a desktop and on a phone.
    click_live(&client, "tr[data-tenant='demo'] a").await;
    client
        .wait()
        .for_element(Locator::Css("section[aria-labelledby='processes']"))
        .await
        .expect("the dashboard");
    let english = text(&client).await;
    assert!(
        english.contains("Processes") && english.contains("3-2-1-1-0"),
        "{english}"
    );
    shoot_whole(&client, "dashboard-desktop").await;
    // The evidence behind the figures, and the chain verified from the page.
    click_live(&client, "a[href='/t/demo/evidence']").await;
    client
        .wait()
        .for_element(Locator::Css("tr[data-seq]"))
        .await
        .expect("evidence records");
    client
        .find(Locator::Css(
            "form[action='/t/demo/evidence/verify'] button",
        ))
        .await
        .expect("the verify button")
        .click()
        .await
        .expect("clicked");
    client
        .wait()
        .for_element(Locator::Css(".verdict"))
        .await
        .expect("the verdict");
    let verdict = text(&client).await;
    assert!(verdict.contains("The chain is intact"), "{verdict}");
    shoot(&client, "evidence-desktop").await;
    client
        .goto(&server.url("/t/demo"))
        .await
        .expect("dashboard");
    client.set_window_size(390, 844).await.expect("phone size");
    shoot(&client, "dashboard-phone").await;
    fits_the_phone(&client, "/t/demo").await;

    // In French: the switch in the header; no English sentence is left.
    click_live(&client, "form[action='/language'] button").await;
    client
        .wait()
        .for_element(Locator::Css("html[lang='fr']"))
        .await
        .expect("the page in French");
    let french = text(&client).await;
    shoot(&client, "dashboard-phone-fr").await;
    let keys = [
        "portal-processes",
        "portal-backups",
        "portal-monitors",
        "portal-alerts",
        "portal-no-alert",
        "portal-logout",
        "portal-col-backup",
        "portal-col-offsite",
        "portal-col-immutable",
        "portal-col-errors",
        "portal-col-monitor",
        "portal-col-state",
        "portal-col-since",
        "portal-col-message",
        "portal-rule-holds",
        "portal-rule-fails",
        "portal-yes",
        "portal-no",
        "portal-up",
        "portal-down",
        "portal-role-msp-admin",
        "portal-language-name",
    ];
    let mut left = Vec::new();
    for key in keys {
        let (en, fr) = (
            rempart_i18n::tr(Lang::En, key, &[]),
            rempart_i18n::tr(Lang::Fr, key, &[]),
        );
        // "English" is the switch back, and must stay in English.
        if en != fr && key != "portal-language-name" && has_words(&french, &en) {
            left.push(en);
        }
    }
    assert!(
        left.is_empty(),
        "English left on the French page: {left:?}\n{french}"
    );
    for words in ["mesuré", "cible", "Processus", "Sondes"] {
        assert!(french.contains(words), "{words}: {french}");
    }
    assert!(french.contains(&t!(Lang::Fr, "portal-logout")), "{french}");

    // The overview on the phone, then out.
    client
        .goto(&server.url("/overview"))
        .await
        .expect("overview");
    shoot(&client, "overview-phone-fr").await;
    // The other pages on the phone, none wider than its screen.
    for (path, name, shown) in [
        (
            "/t/demo/maintenance",
            "maintenance-phone-fr",
            "Prévoir une fenêtre de maintenance",
        ),
        ("/t/demo/jobs", "jobs-phone-fr", "Tâches"),
        ("/t/demo/plan", "plan-phone-fr", "Versions"),
        ("/tenants", "clients-phone-fr", "Ajouter un client"),
        ("/users", "people-phone-fr", "Ajouter"),
        ("/account", "account-phone-fr", "Fuseau horaire"),
        (
            "/t/demo/documents",
            "documents-phone-fr",
            "Audit de conformité",
        ),
    ] {
        client.goto(&server.url(path)).await.expect(path);
        let page = text(&client).await;
        assert!(page.contains(shown), "{path}: {shown}: {page}");
        shoot_whole(&client, name).await;
        fits_the_phone(&client, path).await;
    }
    // A finding's evidence link leads to the record that decided it.
    client
        .goto(&server.url("/t/demo/documents"))
        .await
        .expect("documents");
    let cited = client
        .find(Locator::Css("table.findings a[href*='/evidence?after=']"))
        .await
        .expect("a finding citing its evidence");
    let href = cited.attr("href").await.expect("href").expect("a link");
    let seq = href
        .rsplit("#e")
        .next()
        .expect("the record's anchor")
        .to_owned();
    cited.click().await.expect("clicked");
    client
        .wait()
        .for_element(Locator::Css(&format!("tr#e{seq}")))
        .await
        .expect("the cited record on the evidence page");
    // The PRA in the page's language, made from the evidence.
    client
        .goto(&server.url("/t/demo/documents"))
        .await
        .expect("documents");
    client
        .set_window_size(1280, 800)
        .await
        .expect("desktop size");
    shoot_whole(&client, "documents-desktop-fr").await;
    client
        .goto(&server.url("/overview"))
        .await
        .expect("overview");
    click_live(&client, "form[action='/logout'] button").await;
    client
        .wait()
        .for_element(Locator::Css("form[action='/login']"))
        .await
        .expect("back to the login page");
    shoot(&client, "login-phone-fr").await;
    client
        .goto(&server.url("/overview"))
        .await
        .expect("overview");
    client
        .wait()
        .for_element(Locator::Css("form[action='/login']"))
        .await
        .expect("logged out: the overview sends to the login page");
    client.close().await.expect("the browser closes");
    drop(driver);
    assert_eq!(server.stop(), Some(0));
}

/// The class of the monitor row `id` on the open page.
async fn row_class(client: &Client, css: &str) -> String {
    client
        .execute(
            "var r = document.querySelector(arguments[0]); return r ? r.className : '';",
            vec![serde_json::json!(css)],
        )
        .await
        .expect("the row's class")
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Polls `check` on the open page every 50 ms until it holds or `limit` passes.
async fn within<F, Fut>(limit: Duration, mut check: F) -> Option<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if check().await {
            return Some(start.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_stops_turns_red_on_an_open_page_and_its_acknowledgement_stops_escalation() {
    let scratch = Scratch::new("browser-live");
    let web = free_port();
    let (hook, got) = receiver();
    let extra = format!(
        "\n[[channel]]\nid = \"hook\"\nkind = \"webhook\"\nurl = \"http://127.0.0.1:{hook}/alerts\"\n\n[[channel]]\nid = \"hook2\"\nkind = \"webhook\"\nurl = \"http://127.0.0.1:{hook}/level2\"\n"
    );
    let plan = local_plan(&scratch.0, "repos/nas", "seq 1 10", &extra);
    let source = std::fs::read_to_string(&plan).expect("plan");
    let (monitor, escalation) = (
        "target = \"https://app.example.com/\"\ninterval = \"1m\"",
        "steps = [{ notify = [\"mail\"] }]",
    );
    assert!(
        source.contains(monitor) && source.contains(escalation),
        "the base plan changed"
    );
    // The second level would be told 10 s after the alert, unless someone
    // acknowledges it first.
    let source = source
        .replace(
            monitor,
            &format!("target = \"http://127.0.0.1:{web}/\"\ninterval = \"1s\"\ntimeout = \"1s\"\nconfirm = 1"),
        )
        .replace(
            escalation,
            "steps = [{ notify = [\"hook\"] }, { notify = [\"hook2\"], after = \"10s\" }]",
        )
        + "\n[status_page]\ntitle = \"Test SARL — service status\"\nmonitors = [\"web\"]\npublic = true\n";
    std::fs::write(&plan, source).expect("plan written");
    let data = scratch.join("data").display().to_string();
    let password = "correct horse battery";
    let out = add_user(&data, "tech@msp.example", "msp-operator", None, password);
    assert!(out.status.success(), "{out:?}");

    let mut server_process = web_server(web);
    let server = Server::start(
        &["-c", &plan, "--data-dir", &data],
        &scratch.join("serve.log"),
    );
    let driver = Driver::start(&scratch);
    let client = browser(&driver, &scratch).await;
    log_in(&client, &server, "tech@msp.example", password, None).await;
    client
        .wait()
        .for_element(Locator::Css("tr[data-tenant='default']"))
        .await
        .expect("the overview");
    // The dashboard, once its monitor is up; then nobody reloads it.
    let row = "tr[data-monitor='web']";
    wait_for_page(&client, &server.url("/t/default"), row, "row-compliant").await;
    client
        .wait()
        .for_element(Locator::Css("html[data-live-ready]"))
        .await
        .expect("the live stream is open");
    client
        .execute("window.rempartKept = true;", vec![])
        .await
        .expect("a mark on the open page");

    let _ = server_process.kill();
    let _ = server_process.wait();
    let turned = within(Duration::from_secs(5), || async {
        row_class(&client, row).await.contains("row-breached")
    })
    .await;
    let shown = row_class(&client, row).await;
    assert!(
        turned.is_some(),
        "the row is \"{shown}\" 5 s after the server stopped:\n{}",
        server.logs()
    );
    let kept = client
        .execute("return window.rempartKept === true", vec![])
        .await
        .expect("the mark");
    assert_eq!(kept, serde_json::json!(true), "the page was reloaded");
    // The alert shows up on the open page too, with its button.
    let button = "li.alert-open form button";
    assert!(
        within(Duration::from_secs(5), || async {
            client.find(Locator::Css(button)).await.is_ok()
        })
        .await
        .is_some(),
        "no alert to acknowledge on the page"
    );
    shoot_whole(&client, "dashboard-down-desktop").await;
    // The public status page says so too, to anyone, on a phone.
    client.set_window_size(390, 844).await.expect("phone size");
    client
        .goto(&server.url("/status/default"))
        .await
        .expect("the status page");
    let status = wait_for_page_text(
        &client,
        &server.url("/status/default"),
        "Some services are down",
    )
    .await;
    assert!(status.contains("Test SARL — service status"), "{status}");
    shoot(&client, "status-phone").await;
    client
        .set_window_size(1280, 800)
        .await
        .expect("desktop size");
    client
        .goto(&server.url("/t/default"))
        .await
        .expect("back to the dashboard");
    let first = wait_for("the first level's message", Duration::from_secs(20), || {
        got.lock()
            .expect("messages")
            .iter()
            .find(|g| g.path == "/alerts")
            .map(|g| serde_json::from_slice::<serde_json::Value>(&g.body).expect("json"))
    });
    let raised = std::time::Instant::now();
    click_live(&client, button).await;
    client
        .wait()
        .for_element(Locator::Css("li.alert-item:not(.alert-open)"))
        .await
        .expect("the alert shown acknowledged");
    let page = text(&client).await;
    assert!(
        page.contains("acknowledged by portal:tech@msp.example"),
        "{page}"
    );
    // The second level was due 10 s after the alert: past that, nobody
    // was told again.
    let alert = first["alert"].as_i64().expect("an alert number");
    let due = Duration::from_secs(13);
    while raised.elapsed() < due {
        assert!(
            !got.lock()
                .expect("messages")
                .iter()
                .any(|g| g.path == "/level2"),
            "escalated past the acknowledgement of alert {alert}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        !got.lock()
            .expect("messages")
            .iter()
            .any(|g| g.path == "/level2")
    );
    client.close().await.expect("the browser closes");
    drop(driver);
    server.stop();
}

/// Opens `url` until `row` has `class` (what the page shows before it is
/// watched live).
async fn wait_for_page(client: &Client, url: &str, row: &str, class: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        client.goto(url).await.expect("the page opens");
        if row_class(client, row).await.contains(class) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{row} never showed {class} on {url}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// Sets the plan editor's text (typing 2 000 characters would take long)
/// and sends the form.
async fn send_plan(client: &Client, source: &str) {
    client
        .execute(
            "document.getElementById('source').value = arguments[0];",
            vec![serde_json::json!(source)],
        )
        .await
        .expect("the editor filled");
    click_live(client, "form.editor button").await;
}

/// Logs out from any page.
async fn log_out(client: &Client) {
    click_live(client, "form[action='/logout'] button").await;
    client
        .wait()
        .for_element(Locator::Css("form[action='/login']"))
        .await
        .expect("the login page");
}

/// A form post made by the page itself (the session's token, this
/// site's origin): only the role can refuse it.
async fn forged_post(client: &Client, path: &str, fields: serde_json::Value) -> u64 {
    client
        .execute_async(
            "var done = arguments[arguments.length - 1];
             var body = new URLSearchParams(arguments[1]);
             body.set('csrf', document.querySelector('input[name=csrf]').value);
             fetch(arguments[0], { method: 'POST', body: body, redirect: 'manual' })
               .then(function (r) { done(r.status); }, function () { done(0); });",
            vec![serde_json::json!(path), fields],
        )
        .await
        .expect("the post")
        .as_u64()
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_technician_edits_the_plan_and_runs_a_drill_whose_step_the_client_confirms() {
    let scratch = Scratch::new("browser-plan");
    let data = scratch.join("data").display().to_string();
    let password = "correct horse battery";
    let added = common::rempart(&[
        "--data-dir",
        &data,
        "tenant",
        "add",
        "acme",
        "--name",
        "ACME",
    ]);
    assert!(added.status.success(), "{added:?}");
    for (email, role, tenant) in [
        ("tech@msp.example", "msp-operator", None),
        ("boss@acme.example", "client-admin", Some("acme")),
        ("viewer@acme.example", "client-viewer", Some("acme")),
    ] {
        let out = add_user(&data, email, role, tenant, password);
        assert!(out.status.success(), "{out:?}");
    }
    let server = Server::start(&["--data-dir", &data], &scratch.join("serve.log"));
    let driver = Driver::start(&scratch);
    let client = browser(&driver, &scratch).await;

    // The technician writes the plan: first with a mistake on line 36.
    log_in(&client, &server, "tech@msp.example", password, None).await;
    client
        .wait()
        .for_element(Locator::Css("tr[data-tenant='acme']"))
        .await
        .expect("the overview");
    client
        .goto(&server.url("/t/acme/plan"))
        .await
        .expect("the plan page");
    let good = common::base_plan_without_web()
        + "\n[[scenario]]\nid = \"call\"\nname = \"Call the bank\"\nprocess = \"billing\"\ndrill = \"every 30d\"\nsteps = [{ name = \"Phone the bank\", manual = \"Call the bank's crisis line and check the transfer\", timeout = \"5m\" }, { name = \"Log\", command = \"true\", timeout = \"1m\" }]\n";
    let bad = good.replacen("rto = \"4h\"", "rto = \"4 bananas\"", 1);
    let line = bad
        .lines()
        .position(|l| l.contains("4 bananas"))
        .expect("the mistake")
        + 1;
    send_plan(&client, &bad).await;
    let finding = client
        .wait()
        .for_element(Locator::Css(&format!("li.finding[data-line='{line}']")))
        .await
        .expect("the finding at its line");
    let said = finding.text().await.expect("the finding's text");
    assert!(
        said.contains(&format!("line {line}, column")) && said.contains("4 bananas"),
        "{said}"
    );
    shoot(&client, "plan-finding-desktop").await;
    // Nothing was stored: no version, and the text is still in the editor.
    assert!(
        client.find(Locator::Css("tr[data-version]")).await.is_err(),
        "a version was stored"
    );
    let kept = client
        .execute("return document.getElementById('source').value", vec![])
        .await
        .expect("the editor's text");
    assert!(kept.as_str().is_some_and(|t| t.contains("4 bananas")));
    // Corrected, it is saved as version 1.
    send_plan(&client, &good).await;
    client
        .wait()
        .for_element(Locator::Css("tr[data-version='1']"))
        .await
        .expect("version 1");
    let page = text(&client).await;
    assert!(page.contains("Version 1 is saved and active"), "{page}");
    shoot_whole(&client, "plan-saved-desktop").await;

    // The drill, run now from the jobs page, waits for its manual step.
    client
        .goto(&server.url("/t/acme/jobs"))
        .await
        .expect("the jobs page");
    click_live(&client, "tr[data-job='drill/call'] form button").await;
    client
        .wait()
        .for_element(Locator::Css("li.step[data-step='1'] .step-what"))
        .await
        .expect("the drill waiting for its manual step, shown live");
    shoot(&client, "drill-waiting-desktop").await;
    log_out(&client).await;

    // The client's reader sees it, with no control and no way to post.
    log_in(&client, &server, "viewer@acme.example", password, None).await;
    client
        .goto(&server.url("/t/acme/jobs"))
        .await
        .expect("the jobs page");
    client
        .wait()
        .for_element(Locator::Css("li.step[data-step='1'] .step-what"))
        .await
        .expect("the running drill");
    for control in ["form.confirm", "tr[data-job] form", "form.editor"] {
        assert!(
            client.find(Locator::Css(control)).await.is_err(),
            "a reader sees {control}"
        );
    }
    let run = client
        .find(Locator::Css("article[data-run]"))
        .await
        .expect("the run")
        .attr("data-run")
        .await
        .expect("its id")
        .expect("a run id");
    assert_eq!(
        forged_post(
            &client,
            &format!("/t/acme/drills/{run}/steps/1/confirm"),
            serde_json::json!({ "note": "forged" })
        )
        .await,
        403
    );
    assert_eq!(
        forged_post(
            &client,
            "/t/acme/plan",
            serde_json::json!({ "source": good })
        )
        .await,
        403
    );
    client
        .goto(&server.url("/t/acme/plan"))
        .await
        .expect("the plan page");
    assert!(client.find(Locator::Css("textarea")).await.is_err());
    log_out(&client).await;

    // The client's administrator confirms the step: the drill ends, passed.
    log_in(&client, &server, "boss@acme.example", password, None).await;
    client
        .goto(&server.url("/t/acme/jobs"))
        .await
        .expect("the jobs page");
    client
        .wait()
        .for_element(Locator::Css("form.confirm input[name='note']"))
        .await
        .expect("the confirm form")
        .send_keys("transfer seen on the account")
        .await
        .expect("typed");
    client.set_window_size(390, 844).await.expect("phone size");
    shoot(&client, "drill-confirm-phone").await;
    click_live(&client, "form.confirm button").await;
    let passed = wait_for_live(&client, "table tr.row-compliant .pill-compliant").await;
    assert!(passed, "the drill never showed passed:\n{}", server.logs());
    let page = text(&client).await;
    assert!(
        page.contains("Call the bank") || page.contains("call"),
        "{page}"
    );
    shoot(&client, "jobs-phone").await;
    client.close().await.expect("the browser closes");
    drop(driver);
    server.stop();
}

/// Waits (up to 30 s, the page updating itself) for `css` on the open page.
async fn wait_for_live(client: &Client, css: &str) -> bool {
    within(Duration::from_secs(30), || async {
        client.find(Locator::Css(css)).await.is_ok()
    })
    .await
    .is_some()
}

/// Opens `url` until its text holds `needle` (a page that refreshes itself
/// every 30 s, read again sooner here); returns the text.
async fn wait_for_page_text(client: &Client, url: &str, needle: &str) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        client.goto(url).await.expect("the page opens");
        let page = text(client).await;
        if page.contains(needle) {
            return page;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{url} never said \"{needle}\": {page}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// Clicks `css` on a live page, whose part may be swapped between finding
/// the element and clicking it (then found again).
async fn click_live(client: &Client, css: &str) {
    for _ in 0..20 {
        let element = client.find(Locator::Css(css)).await.expect("the element");
        match element.click().await {
            Ok(()) => return,
            Err(fantoccini::error::CmdError::Standard(e))
                if e.error == fantoccini::error::ErrorStatus::StaleElementReference => {}
            Err(e) => panic!("cannot click {css}: {e}"),
        }
    }
    panic!("{css} kept being replaced");
}

/// The demo's password for `email`, from the server's log.
fn demo_password(log: &str, email: &str) -> String {
    let at = log.find(&format!("{email} / ")).expect("the login") + email.len() + 3;
    log[at..]
        .split_whitespace()
        .next()
        .expect("a password")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crisis_is_declared_and_steered_from_a_phone() {
    let scratch = Scratch::new("browser-crisis");
    let data = scratch.join("data");
    let server = Server::start(
        &["--demo", "--data-dir", data.to_str().expect("utf-8 path")],
        &scratch.join("serve.log"),
    );
    let log = wait_for("the demo logins", Duration::from_secs(30), || {
        let log = server.logs();
        log.contains("client@demo.rempart.example / ")
            .then_some(log)
    });
    let email = "client@demo.rempart.example";
    let password = demo_password(&log, email);
    let driver = Driver::start(&scratch);
    let client = browser(&driver, &scratch).await;
    client.set_window_size(390, 844).await.expect("phone size");
    log_in(&client, &server, email, &password, None).await;
    client
        .goto(&server.url("/t/demo/crisis"))
        .await
        .expect("the crisis page");
    // The demo's plan is French: so are its client's pages.
    client
        .wait()
        .for_element(Locator::Css("form[action='/t/demo/crisis']"))
        .await
        .expect("the declaration form");
    fits_the_phone(&client, "/t/demo/crisis (declare)").await;
    shoot_whole(&client, "crisis-declare-phone-fr").await;
    client
        .find(Locator::Css("#crisis-title"))
        .await
        .expect("the title field")
        .send_keys("Inondation du local technique")
        .await
        .expect("typed");
    for tick in [
        "input[name='process'][value='facturation']",
        "input[name='significant']",
    ] {
        click_live(&client, tick).await;
    }
    click_live(&client, "form[action='/t/demo/crisis'] button").await;
    client
        .wait()
        .for_element(Locator::Css(".crisis-banner"))
        .await
        .expect("the crisis is open");
    let page = text(&client).await;
    for words in [
        "CRISE",
        "Inondation du local technique",
        "Cellule de crise",
        "Camille Demo",
        "Hugo Démo",
        "appelé, pas encore de réponse",
        "alerte précoce NIS2 (24 h)",
        "Isoler le réseau",
    ] {
        assert!(page.contains(words), "{words:?} not on the page: {page}");
    }
    fits_the_phone(&client, "/t/demo/crisis (open)").await;
    // The dashboard says it first, with a way to the crisis.
    let dashboard =
        wait_for_page_text(&client, &server.url("/t/demo"), "ouvrir l'onglet Crise").await;
    assert!(
        dashboard.contains("Inondation du local technique"),
        "{dashboard}"
    );
    // So does the overview's line of the client, first of all.
    client
        .goto(&server.url("/overview"))
        .await
        .expect("the overview");
    let pill = client
        .wait()
        .for_element(Locator::Css(
            "tr[data-tenant='demo'] a[href='/t/demo/crisis']",
        ))
        .await
        .expect("the crisis on the overview")
        .text()
        .await
        .expect("its text");
    assert_eq!(pill, "CRISE");
    client
        .goto(&server.url("/t/demo/crisis"))
        .await
        .expect("the crisis page");

    // A decision, from the phone, lands in the timeline.
    client
        .find(Locator::Css("#note-text"))
        .await
        .expect("the note field")
        .send_keys("On bascule la facturation sur le poste de secours")
        .await
        .expect("typed");
    click_live(&client, "input[name='decision']").await;
    click_live(&client, "section[aria-labelledby='notes'] button").await;
    client
        .wait()
        .for_element(Locator::Css(".crisis-decision"))
        .await
        .expect("the decision in the timeline");
    // The first-hour task done.
    click_live(
        &client,
        "li[data-task='task:isoler'] button[name='state'][value='done']",
    )
    .await;
    let page = wait_for_page_text(
        &client,
        &server.url("/t/demo/crisis"),
        "tâche « Isoler le réseau : débrancher la box » : faite",
    )
    .await;
    assert!(
        page.contains("décision : On bascule la facturation"),
        "{page}"
    );
    // The calls the demo cannot deliver (no SMTP relay) are said in French too.
    let page = wait_for_page_text(&client, &server.url("/t/demo/crisis"), "non remis à").await;
    assert!(!page.contains("not delivered"), "{page}");
    fits_the_phone(&client, "/t/demo/crisis (steered)").await;
    shoot_whole(&client, "crisis-open-phone-fr").await;
    client
        .set_window_size(1280, 800)
        .await
        .expect("desktop size");
    shoot_whole(&client, "crisis-open-desktop-fr").await;

    // In English.
    client.set_window_size(390, 844).await.expect("phone size");
    click_live(&client, "form[action='/language'] button").await;
    let english = wait_for_page_text(&client, &server.url("/t/demo/crisis"), "Crisis cell").await;
    for words in [
        "CRISIS",
        "NIS2 early warning (24 h)",
        "called, no answer yet",
        "Timeline",
    ] {
        assert!(
            english.contains(words),
            "{words:?} not on the page: {english}"
        );
    }
    fits_the_phone(&client, "/t/demo/crisis (English)").await;
    shoot_whole(&client, "crisis-open-phone-en").await;

    // Closed: the declaration form again, the crisis among the past ones.
    click_live(&client, "section[aria-labelledby='close'] button").await;
    let closed = wait_for_page_text(&client, &server.url("/t/demo/crisis"), "Past crises").await;
    assert!(closed.contains("Inondation du local technique"), "{closed}");
    assert!(closed.contains("closed after"), "{closed}");
    fits_the_phone(&client, "/t/demo/crisis (closed)").await;
    let _ = client.close().await;
    server.stop();
}
