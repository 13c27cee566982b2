//! `rempart heartbeat list`: each heartbeat monitor's ping URL (its token
//! is created on first use) and what it has heard.

use rempart_core::plan::MonitorKind;
use rempart_store::now_ms;
use serde_json::json;

use crate::out::{Out, Tone, print_json, print_table, t};
use crate::status_cmd::with_tenant_plan;
use crate::{Global, exit};

#[derive(clap::Args)]
pub struct HeartbeatArgs {
    /// The server's address as the jobs reach it
    #[arg(
        long,
        env = "REMPART_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    public_url: String,
    /// Print JSON, for scripts
    #[arg(long)]
    json: bool,
}

pub fn list(g: &Global, args: HeartbeatArgs) -> u8 {
    with_tenant_plan(g, |tenant, plan| async move {
        let base = args.public_url.trim_end_matches('/');
        let mut rows = Vec::new();
        for m in plan
            .monitors
            .iter()
            .filter(|m| m.kind == MonitorKind::Heartbeat)
        {
            match tenant.ensure_heartbeat(m.id.as_str(), now_ms()).await {
                Ok(h) => {
                    let mut row = rempart_engine::status::heard(&h);
                    if let Some(o) = row.as_object_mut() {
                        o.insert("monitor".into(), json!(m.id));
                        o.insert("url".into(), json!(format!("{base}/ping/{}", h.token)));
                        o.insert(
                            "period".into(),
                            json!(m.period.as_ref().map(ToString::to_string)),
                        );
                        o.insert("grace".into(), json!(m.grace.map(|g| g.to_string())));
                    }
                    rows.push(row);
                }
                Err(e) => {
                    fail!("{e}");
                    return exit::FOUND;
                }
            }
        }
        if args.json {
            print_json(&json!({ "tenant": tenant.id(), "heartbeats": rows }));
            return 0;
        }
        let out = Out::new(g, Some(&plan));
        let lang = out.lang;
        if rows.is_empty() {
            println!("{}", t!(lang, "heartbeat-none"));
            return 0;
        }
        let mut table = out.table(&[
            t!(lang, "monitors-col-monitor"),
            t!(lang, "heartbeat-col-url"),
            t!(lang, "heartbeat-col-period"),
            t!(lang, "heartbeat-col-last-ping"),
        ]);
        for r in &rows {
            table.add_row(vec![
                out.cell(r["monitor"].as_str().unwrap_or(""), Tone::Plain),
                out.cell(r["url"].as_str().unwrap_or(""), Tone::Plain),
                out.cell(r["period"].as_str().unwrap_or("?"), Tone::Plain),
                out.cell(
                    r["last_ping_ms"]
                        .as_i64()
                        .map_or_else(|| t!(lang, "heartbeat-never"), |t| out.time(t)),
                    Tone::Plain,
                ),
            ]);
        }
        print_table(&table);
        println!(
            "{}",
            t!(lang, "heartbeat-how", limit = rempart_store::BODY_LIMIT)
        );
        0
    })
}
