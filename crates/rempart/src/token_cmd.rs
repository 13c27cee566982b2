//! `rempart token create|list|revoke`: API tokens, shown once.

use clap::Subcommand;
use rempart_store::TokenScope;

use crate::evidence_cmd::runtime;
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
        let code = match cmd {
            TokenCommand::Create { name, metrics } => {
                let scope = match (metrics, g.tenant.clone()) {
                    (true, Some(_)) => {
                        eprintln!(
                            "error: a metrics token reads every tenant's gauges; it has no --tenant"
                        );
                        return exit::USAGE;
                    }
                    (true, None) => TokenScope::Metrics,
                    (false, Some(t)) => TokenScope::Tenant(t),
                    (false, None) => TokenScope::Msp,
                };
                match store.create_token(&name, &scope).await {
                    Ok((token, secret)) => {
                        eprintln!(
                            "token #{} \"{}\" created; it is shown only now:",
                            token.id, token.name
                        );
                        println!("{secret}");
                        0
                    }
                    Err(e) => {
                        eprintln!("error: {e}");
                        exit::USAGE
                    }
                }
            }
            TokenCommand::List { json } => match store.tokens().await {
                Ok(tokens) if json => {
                    println!("{:#}", serde_json::json!({ "tokens": tokens }));
                    0
                }
                Ok(tokens) => {
                    for t in tokens {
                        let scope = match &t.scope {
                            TokenScope::Msp => "server-wide".to_owned(),
                            TokenScope::Tenant(id) => format!("tenant {id}"),
                            TokenScope::Metrics => "metrics only".to_owned(),
                        };
                        println!("#{:<4} {:<24} {scope}", t.id, t.name);
                    }
                    0
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    exit::FOUND
                }
            },
            TokenCommand::Revoke { id } => match store.revoke_token(id).await {
                Ok(true) => {
                    println!("token #{id} revoked");
                    0
                }
                Ok(false) => {
                    eprintln!("error: no active token #{id}");
                    exit::USAGE
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    exit::FOUND
                }
            },
        };
        store.close().await;
        code
    })
}
