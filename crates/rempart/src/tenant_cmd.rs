//! `rempart tenant list|add|roots`: the server's tenants, what rules each
//! one's plan, and the folders a client's plan may use.

use clap::Subcommand;
use rempart_store::ManagedBy;
use serde_json::json;

use crate::evidence_cmd::runtime;
use crate::out::{Out, Tone, print_json, print_table, t};
use crate::tenancy::{self, Intent};
use crate::{Global, exit};

#[derive(Subcommand)]
pub enum TenantCommand {
    /// The tenants: id, name, what rules their plan, their plan's version
    List {
        /// Print JSON, for scripts
        #[arg(long)]
        json: bool,
    },
    /// Add a tenant whose plan comes through the API (a client's token: rempart token create --tenant ID)
    Add {
        /// Identifier: ASCII letters, digits, '-', '_', '.'
        id: String,
        /// The organisation's name
        #[arg(long)]
        name: String,
    },
    /// Show, or set, the folders on this server under which the tenant's (client-written) plan may name local paths; relative paths start from the first
    Roots {
        /// Absolute folders (replace the current list)
        folders: Vec<std::path::PathBuf>,
        /// Remove every folder: the tenant's plan may name no local path
        #[arg(long, conflicts_with = "folders")]
        clear: bool,
    },
}

pub fn run(g: &Global, cmd: TenantCommand) -> u8 {
    // Server-wide: the language asked for, else the system's.
    let out = Out::new(g, None);
    let lang = out.lang;
    runtime(async {
        match cmd {
            TenantCommand::List { json } => {
                let store = match tenancy::store(g, Intent::Read).await {
                    Ok(s) => s,
                    Err(code) => return code,
                };
                let tenants = match store.tenants().await {
                    Ok(t) => t,
                    Err(e) => {
                        fail!("{e}");
                        return exit::FOUND;
                    }
                };
                let mut rows = Vec::new();
                for t in tenants {
                    let head = match store.tenant(&t.id).await {
                        Ok(scope) => scope.active_plan_head().await.ok().flatten(),
                        Err(_) => None,
                    };
                    rows.push(json!({
                        "id": t.id,
                        "name": t.name,
                        "created_ms": t.created_ms,
                        "managed_by": t.managed_by.as_text(),
                        "plan_version": head.as_ref().map(|h| h.version),
                        "plan_author": head.as_ref().map(|h| h.author.as_str()),
                    }));
                }
                if json {
                    print_json(&json!({ "tenants": rows }));
                } else if rows.is_empty() {
                    println!("{}", t!(lang, "tenant-none"));
                } else {
                    let mut table = out.table(&[
                        t!(lang, "tenant-col-id"),
                        t!(lang, "tenant-col-name"),
                        t!(lang, "tenant-col-plan"),
                        t!(lang, "tenant-col-since"),
                        t!(lang, "tenant-col-ruled-by"),
                    ]);
                    for r in &rows {
                        table.add_row(vec![
                            out.cell(r["id"].as_str().unwrap_or(""), Tone::Plain),
                            out.cell(r["name"].as_str().unwrap_or(""), Tone::Plain),
                            out.cell(
                                r["plan_version"].as_i64().map_or_else(
                                    || t!(lang, "tenant-no-plan"),
                                    |v| t!(lang, "tenant-plan-version", version = v),
                                ),
                                Tone::Plain,
                            ),
                            out.cell(
                                r["created_ms"]
                                    .as_i64()
                                    .map_or_else(String::new, |t| out.time(t)),
                                Tone::Plain,
                            ),
                            out.cell(r["managed_by"].as_str().unwrap_or(""), Tone::Plain),
                        ]);
                    }
                    print_table(&table);
                }
                0
            }
            TenantCommand::Add { id, name } => {
                let store = match tenancy::store(g, Intent::Write).await {
                    Ok(s) => s,
                    Err(code) => return code,
                };
                if store.tenant(&id).await.is_ok() {
                    fail!("{}", t!(lang, "tenant-exists", tenant = id.as_str()));
                    return exit::USAGE;
                }
                match store.upsert_tenant(&id, &name, &ManagedBy::Api).await {
                    Ok(_) => {
                        println!("{}", t!(lang, "tenant-added", tenant = id.as_str()));
                        0
                    }
                    Err(e) => {
                        fail!("{e}");
                        exit::USAGE
                    }
                }
            }
            TenantCommand::Roots { folders, clear } => {
                let scope = match tenancy::scope(g, Intent::Read).await {
                    Ok(s) => s,
                    Err(code) => return code,
                };
                if clear || !folders.is_empty() {
                    let list: Vec<String> =
                        folders.iter().map(|f| f.display().to_string()).collect();
                    let others = match tenancy::store(g, Intent::Read).await {
                        Ok(store) => match store.all_roots().await {
                            Ok(all) => all,
                            Err(e) => {
                                fail!("{e}");
                                return exit::FOUND;
                            }
                        },
                        Err(code) => return code,
                    };
                    if let Err(why) =
                        rempart_engine::trust::check_roots(scope.id(), &list, &g.data_dir, &others)
                    {
                        fail!("{why}");
                        return exit::USAGE;
                    }
                    for f in folders.iter().filter(|f| !f.is_dir()) {
                        caution!(
                            "{}",
                            t!(
                                lang,
                                "tenant-root-missing",
                                folder = f.display().to_string()
                            )
                        );
                    }
                    if let Err(e) = scope.set_roots(&list).await {
                        fail!("{e}");
                        return exit::FOUND;
                    }
                }
                match scope.roots().await {
                    Ok(roots) if roots.is_empty() => {
                        println!("{}", t!(lang, "tenant-no-roots", tenant = scope.id()));
                        0
                    }
                    Ok(roots) => {
                        println!(
                            "{}",
                            t!(
                                lang,
                                "tenant-roots",
                                tenant = scope.id(),
                                folders = roots.join(", ")
                            )
                        );
                        0
                    }
                    Err(e) => {
                        fail!("{e}");
                        exit::FOUND
                    }
                }
            }
        }
    })
}
