//! `rempart token create|list|revoke`: API tokens, shown once.

use clap::Subcommand;
use rempart_store::TokenScope;

use crate::evidence_cmd::{open_store, runtime};
use crate::{Global, exit};

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it once (it is stored hashed)
    Create {
        /// A name to recognise it by
        #[arg(long)]
        name: String,
        /// Limit it to one tenant (default: the whole server, for the MSP)
        #[arg(long)]
        tenant: Option<String>,
    },
    /// List active tokens (never their secret)
    List {
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token by id
    Revoke { id: i64 },
}

pub fn run(g: &Global, cmd: TokenCommand) -> u8 {
    runtime(async {
        let store = match open_store(g).await {
            Ok(s) => s,
            Err(code) => return code,
        };
        let code = match cmd {
            TokenCommand::Create { name, tenant } => {
                let scope = tenant.map_or(TokenScope::Msp, TokenScope::Tenant);
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
