//! `rempart token create|list|revoke`: API tokens, shown once.

use clap::Subcommand;
use rempart_store::TokenScope;

use crate::evidence_cmd::runtime;
use crate::out::{Out, Tone, print_json, print_table, t};
use crate::tenancy::{self, Intent};
use crate::{Global, exit};

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it once (it is stored hashed); with
    /// --tenant T it reaches only tenant T (a client's token), without it
    /// the whole server (the MSP's)
    Create {
        /// A name to recognise it by (records name its caller api:<name>)
        #[arg(long)]
        name: String,
        /// A token that reads only /metrics (for Prometheus), no tenant's data
        #[arg(long)]
        metrics: bool,
    },
    /// List active tokens (never their secret)
    List {
        /// Print JSON, for scripts
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token by id
    Revoke {
        /// Token number, as `token list` shows it
        id: i64,
    },
}

pub fn run(g: &Global, cmd: TokenCommand) -> u8 {
    runtime(async {
        let store = match tenancy::store(g, Intent::Read).await {
            Ok(s) => s,
            Err(code) => return code,
        };
        // Server-wide: the language asked for, else the system's.
        let out = Out::new(g, None);
        let lang = out.lang;
        let code = match cmd {
            TokenCommand::Create { name, metrics } => {
                let scope = match (metrics, g.tenant.clone()) {
                    (true, Some(_)) => {
                        fail!("{}", t!(lang, "cli-metrics-token-no-tenant"));
                        return exit::USAGE;
                    }
                    (true, None) => TokenScope::Metrics,
                    (false, Some(t)) => TokenScope::Tenant(t),
                    (false, None) => TokenScope::Msp,
                };
                match store.create_token(&name, &scope).await {
                    Ok((token, secret)) => {
                        eprintln!(
                            "{}",
                            t!(
                                lang,
                                "token-created",
                                id = token.id,
                                name = token.name.as_str()
                            )
                        );
                        println!("{secret}");
                        0
                    }
                    Err(e) => {
                        fail!("{e}");
                        exit::USAGE
                    }
                }
            }
            TokenCommand::List { json } => match store.tokens().await {
                Ok(tokens) if json => {
                    print_json(&serde_json::json!({ "tokens": tokens }));
                    0
                }
                Ok(tokens) => {
                    let mut table = out.table(&[
                        t!(lang, "evidence-col-seq"),
                        t!(lang, "token-col-name"),
                        t!(lang, "token-col-scope"),
                    ]);
                    for token in tokens {
                        let scope = match &token.scope {
                            TokenScope::Msp => t!(lang, "token-scope-msp"),
                            TokenScope::Tenant(id) => {
                                t!(lang, "token-scope-tenant", tenant = id.as_str())
                            }
                            TokenScope::Metrics => t!(lang, "token-scope-metrics"),
                        };
                        table.add_row(vec![
                            out.cell(token.id, Tone::Plain),
                            out.cell(&token.name, Tone::Plain),
                            out.cell(scope, Tone::Plain),
                        ]);
                    }
                    print_table(&table);
                    0
                }
                Err(e) => {
                    fail!("{e}");
                    exit::FOUND
                }
            },
            TokenCommand::Revoke { id } => match store.revoke_token(id).await {
                Ok(true) => {
                    println!("{}", t!(lang, "token-revoked", id = id));
                    0
                }
                Ok(false) => {
                    fail!("{}", t!(lang, "token-unknown", id = id));
                    exit::USAGE
                }
                Err(e) => {
                    fail!("{e}");
                    exit::FOUND
                }
            },
        };
        store.close().await;
        code
    })
}
