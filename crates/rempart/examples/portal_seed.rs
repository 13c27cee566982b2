//! Seeds a store for the portal benchmark (`scripts/bench-portal.sh`):
//! TENANTS tenants, each with a plan of MONITORS monitors (TCP, checked
//! once a day: one in 97 to a closed local port, the others to UP, a
//! listening address the script keeps open; each seeded in the state its
//! first check finds, so that supervision changes nothing during the
//! measurement), a year of evidence (a backup a day, a drill a week with
//! its measured RTO), every monitor's state, an open alert; and for the
//! first FULL tenants a year of check buckets per monitor, rolled up as
//! the server rolls them (days, then hours for 90 days, then minutes for
//! 48 h). A dashboard reads one tenant's buckets, so a few full tenants
//! measure it; the overview reads every tenant, but no bucket.
//!
//! `cargo run --release --example portal_seed -- LOCATION TENANTS MONITORS FULL UP`
//! where LOCATION is a data dir or a `postgres://` URL, and UP a listening
//! `host:port`.

use rempart_core::evidence::{EvidenceKind, NewEvidence, Outcome};
use rempart_core::monitoring::{Health, Tracker};
use rempart_core::plan::trust::Author;
use rempart_core::sla::Bucket;
use rempart_store::{Location, ManagedBy, Store, now_ms};
use serde_json::json;

const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;

/// Whether monitor `i` of tenant `t` is down (its target closed).
fn down(t: usize, i: usize) -> bool {
    (t + i).is_multiple_of(97)
}

fn plan(t: usize, name: &str, monitors: usize, up: &str) -> String {
    let mut p = format!(
        r#"[organization]
name = "{name}"
language = "fr"
timezone = "Europe/Paris"

[[site]]
id = "office"
kind = "primary"

[[asset]]
id = "erp"
name = "ERP"
kind = "server"
site = "office"

[[process]]
id = "billing"
name = "Facturation"
owner = "boss"
criticality = "vital"
rto = "4h"
rpo = "1d"
depends_on = ["erp"]

[[repository]]
id = "nas"
site = "office"
location = "/srv/bench/{name}"
password = {{ env = "BENCH_PASSWORD" }}

[[backup]]
id = "erp"
protects = ["erp"]
source = {{ paths = ["/srv/erp"] }}
schedule = "every 1d"
targets = ["nas"]

[[contact]]
id = "boss"
name = "Direction"
email = "boss@example.com"

[[scenario]]
id = "restore-erp"
name = "Restore the ERP"
process = "billing"
steps = [{{ name = "Check", command = "true" }}]
"#
    );
    for i in 0..monitors {
        let target = if down(t, i) { "127.0.0.1:9" } else { up };
        p.push_str(&format!(
            "\n[[monitor]]\nid = \"m{i}\"\nname = \"Service {i}\"\nkind = \"tcp\"\ntarget = \"{target}\"\ninterval = \"1d\"\n"
        ));
    }
    p.push_str("\n[sla]\ntargets = [");
    for i in 0..monitors.min(10) {
        p.push_str(&format!("{{ monitor = \"m{i}\", uptime = 99.9 }}, "));
    }
    p.push_str("]\n");
    p
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, location, tenants, monitors, full, up] = &args[..] else {
        eprintln!("usage: portal_seed LOCATION TENANTS MONITORS FULL UP");
        std::process::exit(2);
    };
    let location = if location.starts_with("postgres") {
        Location::Url(location.clone())
    } else {
        Location::DataDir(location.into())
    };
    let (tenants, monitors, full): (usize, usize, usize) = (
        tenants.parse().expect("TENANTS"),
        monitors.parse().expect("MONITORS"),
        full.parse().expect("FULL"),
    );
    let store = Store::open(&location).await.expect("the store opens");
    let now = now_ms();
    let year = now - 365 * DAY;
    for t in 0..tenants {
        let id = format!("t{t:03}");
        store
            .upsert_tenant(&id, &format!("Client {t:03}"), &ManagedBy::Api)
            .await
            .expect("tenant");
        let scope = store.tenant(&id).await.expect("scope");
        scope
            .accept_plan(&plan(t, &id, monitors, up), "bench", Author::Msp)
            .await
            .expect("plan");
        let mut records = Vec::new();
        for d in 0..365 {
            let at = year + d * DAY;
            records.push(NewEvidence {
                kind: EvidenceKind::Backup,
                subject: "erp".into(),
                started_ms: at,
                finished_ms: at + 60_000,
                outcome: Outcome::Success,
                measurements: json!({ "snapshot": format!("{d:08x}"), "files": 1200, "bytes_added": 1_000_000, "targets": ["nas"], "data_time_ms": at }),
                message: "backup erp".into(),
                job_run: None,
            });
            if d % 7 == 0 {
                let rto = 3_000_000 + (d * 7_919 % 2_000_000);
                records.push(NewEvidence {
                    kind: EvidenceKind::Drill,
                    subject: "restore-erp".into(),
                    started_ms: at + HOUR,
                    finished_ms: at + HOUR + rto,
                    outcome: if d % 49 == 0 { Outcome::Failure } else { Outcome::Success },
                    measurements: json!({ "run": format!("restore-erp-{d}"), "process": "billing", "incident_ms": at + HOUR, "rto_ms": rto, "duration_ms": rto, "steps": [] }),
                    message: "drill".into(),
                    job_run: None,
                });
            }
        }
        scope.append_batch(records).await.expect("evidence");
        let trackers: Vec<(String, Tracker)> = (0..monitors)
            .map(|i| {
                let state = if down(t, i) { Health::Down } else { Health::Up };
                (
                    format!("m{i}"),
                    Tracker {
                        state: Some(state),
                        since_ms: now - DAY,
                        last_check_ms: now - 60_000,
                        ..Tracker::default()
                    },
                )
            })
            .collect();
        let states: Vec<(&str, &Tracker)> = trackers.iter().map(|(m, t)| (m.as_str(), t)).collect();
        scope
            .save_monitor_states(&states, now)
            .await
            .expect("states");
        if t % 5 == 0 {
            scope
                .open_alert("m0", "default", now - HOUR, None)
                .await
                .expect("alert");
        }
        if t < full {
            // One minute bucket an hour for a year (60 checks each), then
            // the server's roll-up: days, hours, minutes as they would be.
            for i in 0..monitors {
                let counts: Vec<(String, Bucket)> = (0..365 * 24)
                    .map(|h| {
                        let start = year + h * HOUR;
                        let up = if (h + i as i64) % 500 == 0 { 50 } else { 60 };
                        (
                            format!("m{i}"),
                            Bucket {
                                start_ms: start,
                                length_ms: 60_000,
                                checks: 60,
                                up,
                                maintenance: 0,
                                latency_sum_ms: 600,
                            },
                        )
                    })
                    .collect();
                scope.record_checks(&counts).await.expect("buckets");
            }
        }
        if t % 20 == 0 {
            eprintln!("seeded {} tenants", t + 1);
        }
    }
    let rolled = store.roll_up_buckets(now).await.expect("roll-up");
    eprintln!(
        "seeded {tenants} tenants × {monitors} monitors ({full} with a year of buckets; {rolled} buckets rolled up)"
    );
    store.close().await;
}
