//! `rempart evidence verify|list`.

use clap::Args;
use rempart_core::evidence::EvidenceKind;
use rempart_store::{EvidenceQuery, Store, StoreError, TenantScope};

use crate::out::{Out, Tone, duration, print_json, print_table, t};
use crate::tenancy::{self, Intent};
use crate::{EvidenceCommand, Global, exit};

#[derive(Args)]
pub struct ListArgs {
    /// Only this kind: backup, copy, verify, restore, repair, drill, drill-step, probe, notification, confirmation, secret, audit, report, crisis
    #[arg(long, value_parser = parse_kind)]
    kind: Option<EvidenceKind>,
    /// Only records about this plan element
    #[arg(long)]
    subject: Option<String>,
    /// Only records started at or after this time (RFC 3339, e.g. 2026-11-01T00:00:00Z)
    #[arg(long, value_parser = parse_time)]
    since: Option<i64>,
    /// Only records started before this time (RFC 3339)
    #[arg(long, value_parser = parse_time)]
    until: Option<i64>,
    /// Records after this sequence number (paging)
    #[arg(long)]
    after: Option<i64>,
    /// At most this many records (1 to 1000)
    #[arg(long, default_value_t = 100)]
    limit: u32,
    /// Print JSON, for scripts
    #[arg(long)]
    json: bool,
}

fn parse_kind(text: &str) -> Result<EvidenceKind, String> {
    EvidenceKind::parse(text).ok_or_else(|| {
        let words: Vec<&str> = EvidenceKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("unknown kind \"{text}\"; one of: {}", words.join(", "))
    })
}

pub fn parse_time(text: &str) -> Result<i64, String> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.timestamp_millis())
        .map_err(|e| {
            format!("\"{text}\" is not an RFC 3339 time such as 2026-11-01T08:00:00Z: {e}")
        })
}

fn store_error(e: StoreError) -> u8 {
    fail!("{e}");
    match e {
        StoreError::UnknownTenant(_) => exit::USAGE,
        _ => exit::FOUND,
    }
}

pub(crate) fn ms_to_text(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map_or_else(
        || ms.to_string(),
        |t| t.format("%Y-%m-%d %H:%M:%S%.3fZ").to_string(),
    )
}

/// Runs a one-shot command's async body.
pub fn runtime(body: impl std::future::Future<Output = u8>) -> u8 {
    block_on(async { Ok::<u8, u8>(body.await) }).unwrap_or_else(|code| code)
}

/// Runs `body` on a one-thread runtime: its result, or the exit code of
/// a runtime that cannot start.
pub fn block_on<T>(body: impl std::future::Future<Output = Result<T, u8>>) -> Result<T, u8> {
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r.block_on(body),
        Err(e) => {
            fail!("cannot start the async runtime: {e}");
            Err(exit::USAGE)
        }
    }
}

pub fn run(g: &Global, cmd: EvidenceCommand) -> u8 {
    runtime(async {
        match cmd {
            EvidenceCommand::Verify { json } => {
                let store = match tenancy::store(g, Intent::Read).await {
                    Ok(s) => s,
                    Err(code) => return code,
                };
                let code = verify(g, &store, g.tenant.clone(), json).await;
                store.close().await;
                code
            }
            EvidenceCommand::List(args) => match tenancy::scope(g, Intent::Read).await {
                Ok(scope) => list(&crate::out::for_tenant(g, &scope).await, &scope, args).await,
                Err(code) => code,
            },
            EvidenceCommand::Prune { before } => match tenancy::scope(g, Intent::Read).await {
                Ok(scope) => prune(&crate::out::for_tenant(g, &scope).await, &scope, before).await,
                Err(code) => code,
            },
        }
    })
}

async fn verify(g: &Global, store: &Store, tenant: Option<String>, json: bool) -> u8 {
    let ids = match tenant {
        Some(t) => vec![t],
        None => match store.tenants().await {
            Ok(ts) => ts.into_iter().map(|t| t.id).collect(),
            Err(e) => return store_error(e),
        },
    };
    let mut reports = Vec::new();
    let mut out = None;
    for id in &ids {
        let scope = match store.tenant(id).await {
            Ok(s) => s,
            Err(e) => return store_error(e),
        };
        if ids.len() == 1 {
            out = Some(crate::out::for_tenant(g, &scope).await);
        }
        match scope.verify_evidence().await {
            Ok(r) => reports.push(r),
            Err(e) => return store_error(e),
        }
    }
    let out = out.unwrap_or_else(|| Out::new(g, None));
    let lang = out.lang;
    let broken = reports.iter().any(|r| r.broken.is_some());
    if json {
        print_json(&serde_json::json!({ "intact": !broken, "tenants": reports }));
    } else {
        for r in &reports {
            match &r.broken {
                None => println!(
                    "{}",
                    out.paint(
                        &t!(
                            lang,
                            "evidence-intact",
                            tenant = r.tenant.as_str(),
                            checked = t!(lang, "count-records-checked", count = r.checked)
                        ),
                        Tone::Good
                    )
                ),
                Some(why) => println!(
                    "{}",
                    out.paint(
                        &t!(
                            lang,
                            "evidence-broken",
                            tenant = r.tenant.as_str(),
                            why = why.as_str()
                        ),
                        Tone::Bad
                    )
                ),
            }
        }
        if reports.is_empty() {
            println!("{}", t!(lang, "evidence-no-tenant"));
        }
    }
    if broken { exit::FOUND } else { 0 }
}

async fn prune(out: &Out, scope: &TenantScope, before_ms: i64) -> u8 {
    match scope
        .prune_evidence(before_ms, &crate::cli_identity())
        .await
    {
        Ok(n) => {
            println!(
                "{}",
                t!(
                    out.lang,
                    "evidence-pruned",
                    tenant = scope.id(),
                    removed = t!(
                        out.lang,
                        "count-records-removed",
                        count = n,
                        before = out.time(before_ms)
                    )
                )
            );
            0
        }
        Err(e) => store_error(e),
    }
}

async fn list(out: &Out, scope: &TenantScope, args: ListArgs) -> u8 {
    let query = EvidenceQuery {
        kind: args.kind,
        subject: args.subject,
        from_ms: args.since,
        to_ms: args.until,
        after_seq: args.after,
        limit: args.limit,
    };
    let records = match scope.evidence(&query).await {
        Ok(r) => r,
        Err(e) => return store_error(e),
    };
    if args.json {
        print_json(&serde_json::json!({ "tenant": scope.id(), "records": records }));
        return 0;
    }
    let lang = out.lang;
    println!("{}", t!(lang, "evidence-tenant", tenant = scope.id()));
    if records.is_empty() {
        println!("{}", t!(lang, "evidence-none"));
        return 0;
    }
    let mut table = out.table(&[
        t!(lang, "evidence-col-seq"),
        t!(lang, "evidence-col-started"),
        t!(lang, "evidence-col-kind"),
        t!(lang, "evidence-col-subject"),
        t!(lang, "evidence-col-outcome"),
        t!(lang, "evidence-col-duration"),
        t!(lang, "evidence-col-message"),
    ]);
    for e in &records {
        let r = &e.record;
        let outcome = match r.outcome {
            rempart_core::evidence::Outcome::Success => {
                out.cell(t!(lang, "step-outcome-success"), Tone::Good)
            }
            rempart_core::evidence::Outcome::Failure => {
                out.cell(t!(lang, "step-outcome-failure"), Tone::Bad)
            }
        };
        table.add_row(vec![
            out.cell(e.seq, Tone::Plain),
            out.cell(out.time(r.started_ms), Tone::Plain),
            out.cell(r.kind.as_str(), Tone::Plain),
            out.cell(&r.subject, Tone::Plain),
            outcome,
            out.cell(duration(r.finished_ms - r.started_ms), Tone::Plain),
            out.cell(r.told(lang), Tone::Plain),
        ]);
    }
    print_table(&table);
    0
}
