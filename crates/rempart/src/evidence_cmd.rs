//! `rempart evidence verify|list`.

use clap::Args;
use rempart_core::evidence::EvidenceKind;
use rempart_store::{EvidenceQuery, Location, Store, StoreError};

use crate::{EvidenceCommand, Global, exit};

#[derive(Args)]
pub struct ListArgs {
    /// Tenant
    #[arg(long, default_value = "default")]
    tenant: String,
    /// Only this kind: backup, copy, verify, restore, repair, drill, drill-step, probe, notification, confirmation
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

/// The store named by the global options. An embedded store that does
/// not exist yet is an error here: reading commands never create one.
pub async fn open_store(g: &Global) -> Result<Store, u8> {
    let location = match &g.database_url {
        Some(url) => Location::Url(url.clone()),
        None => {
            let file = g.data_dir.join(rempart_store::DATABASE_FILE);
            if !file.exists() {
                eprintln!(
                    "error: no store at {} — start `rempart serve` first, or give --data-dir / --database-url",
                    file.display()
                );
                return Err(exit::USAGE);
            }
            Location::DataDir(g.data_dir.clone())
        }
    };
    Store::open(&location).await.map_err(|e| {
        eprintln!("error: {e}");
        exit::USAGE
    })
}

fn store_error(e: StoreError) -> u8 {
    eprintln!("error: {e}");
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
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r.block_on(body),
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            exit::USAGE
        }
    }
}

pub fn run(g: &Global, cmd: EvidenceCommand) -> u8 {
    runtime(async {
        let store = match open_store(g).await {
            Ok(s) => s,
            Err(code) => return code,
        };
        let code = match cmd {
            EvidenceCommand::Verify { tenant, json } => verify(&store, tenant, json).await,
            EvidenceCommand::List(args) => list(&store, args).await,
            EvidenceCommand::Prune { tenant, before } => prune(&store, &tenant, before).await,
        };
        store.close().await;
        code
    })
}

async fn verify(store: &Store, tenant: Option<String>, json: bool) -> u8 {
    let ids = match tenant {
        Some(t) => vec![t],
        None => match store.tenants().await {
            Ok(ts) => ts.into_iter().map(|t| t.id).collect(),
            Err(e) => return store_error(e),
        },
    };
    let mut reports = Vec::new();
    for id in ids {
        let scope = match store.tenant(&id).await {
            Ok(s) => s,
            Err(e) => return store_error(e),
        };
        match scope.verify_evidence().await {
            Ok(r) => reports.push(r),
            Err(e) => return store_error(e),
        }
    }
    let broken = reports.iter().any(|r| r.broken.is_some());
    if json {
        println!(
            "{:#}",
            serde_json::json!({ "intact": !broken, "tenants": reports })
        );
    } else {
        for r in &reports {
            match &r.broken {
                None => println!("{}: intact — {} records checked", r.tenant, r.checked),
                Some(why) => println!("{}: BROKEN — {why}", r.tenant),
            }
        }
        if reports.is_empty() {
            println!("no tenant in the store");
        }
    }
    if broken { exit::FOUND } else { 0 }
}

async fn prune(store: &Store, tenant: &str, before_ms: i64) -> u8 {
    let scope = match store.tenant(tenant).await {
        Ok(s) => s,
        Err(e) => return store_error(e),
    };
    match scope.prune_evidence(before_ms, "cli").await {
        Ok(n) => {
            println!(
                "{tenant}: {n} record(s) started before {} removed; the removal is logged and the chain still verifies",
                ms_to_text(before_ms)
            );
            0
        }
        Err(e) => store_error(e),
    }
}

async fn list(store: &Store, args: ListArgs) -> u8 {
    let scope = match store.tenant(&args.tenant).await {
        Ok(s) => s,
        Err(e) => return store_error(e),
    };
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
        println!(
            "{:#}",
            serde_json::json!({ "tenant": args.tenant, "records": records })
        );
    } else {
        for e in &records {
            let r = &e.record;
            println!(
                "#{:<6} {}  {:<12} {:<20} {:<7} {:>8} ms  {}",
                e.seq,
                ms_to_text(r.started_ms),
                r.kind.as_str(),
                r.subject,
                r.outcome.as_str(),
                r.finished_ms - r.started_ms,
                r.message
            );
        }
        if records.is_empty() {
            println!("no evidence matches");
        }
    }
    0
}
