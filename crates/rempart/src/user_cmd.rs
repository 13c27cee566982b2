//! `rempart user add|list|remove|passwd`: the people who log in to the
//! portal. A password is read from a prompt (twice) on a terminal, else
//! from the first line of standard input; it is kept only as an argon2id
//! hash and never printed.

use std::io::{BufRead, IsTerminal};

use clap::Subcommand;
use rempart_store::{Role, StoreError, User};
use zeroize::Zeroizing;

use crate::evidence_cmd::runtime;
use crate::out::{Lang, Out, Tone, print_json, print_table, t};
use crate::tenancy::{self, Intent};
use crate::{Global, exit};

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a person who logs in to the portal; the password is asked for
    /// (or read from standard input when it is not a terminal). A client
    /// role needs --tenant
    Add {
        /// Their e-mail address, which is their login
        email: String,
        /// msp-admin (everything), msp-operator (every tenant), client-admin
        /// (their tenant, with edits) or client-viewer (their tenant, read only)
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// List the people who log in (with --tenant, that tenant's)
    List {
        /// Print JSON, for scripts
        #[arg(long)]
        json: bool,
    },
    /// Remove a person and end their sessions
    Remove {
        /// Their e-mail address
        email: String,
    },
    /// Set a person's password (asked for, or read from standard input),
    /// lift any lockout and end their sessions
    Passwd {
        /// Their e-mail address
        email: String,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| {
        let all: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("one of {}", all.join(", "))
    })
}

/// A store error for a person, in `lang`.
pub(crate) fn said(lang: Lang, e: &StoreError) -> String {
    match e {
        StoreError::User(p) => p.told(lang),
        other => other.to_string(),
    }
}

/// The new password: asked twice on a terminal, else the first line of
/// standard input.
fn read_password(lang: Lang, email: &str) -> Result<Zeroizing<String>, String> {
    if std::io::stdin().is_terminal() {
        let first = Zeroizing::new(
            rpassword::prompt_password(t!(lang, "user-password-prompt", email = email))
                .map_err(|e| e.to_string())?,
        );
        let again = Zeroizing::new(
            rpassword::prompt_password(t!(lang, "user-password-again"))
                .map_err(|e| e.to_string())?,
        );
        if *first != *again {
            return Err(t!(lang, "user-password-mismatch"));
        }
        Ok(first)
    } else {
        let mut line = Zeroizing::new(String::new());
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        let password = Zeroizing::new(line.trim_end_matches(['\r', '\n']).to_owned());
        if password.is_empty() {
            return Err(t!(lang, "user-password-none"));
        }
        Ok(password)
    }
}

fn role_word(lang: Lang, user: &User) -> String {
    let role = user.role.as_str();
    match &user.tenant {
        Some(tenant) => t!(lang, "user-role-of", role = role, tenant = tenant.as_str()),
        None => role.to_owned(),
    }
}

pub fn run(g: &Global, cmd: UserCommand) -> u8 {
    // Server-wide: the language asked for, else the system's.
    let out = Out::new(g, None);
    let lang = out.lang;
    // Asked before the store is opened: a typo costs no database work.
    let password = match &cmd {
        UserCommand::Add { email, .. } | UserCommand::Passwd { email } => {
            match read_password(lang, email) {
                Ok(p) => Some(p),
                Err(why) => {
                    fail!("{why}");
                    return exit::USAGE;
                }
            }
        }
        _ => None,
    };
    let password = password.unwrap_or_default();
    // The first MSP administrator is added before anything else exists:
    // adding a person creates the store; the other commands only read it.
    let intent = match cmd {
        UserCommand::Add { .. } => Intent::Write,
        _ => Intent::Read,
    };
    runtime(async {
        let store = match tenancy::store(g, intent).await {
            Ok(s) => s,
            Err(code) => return code,
        };
        let code = match cmd {
            UserCommand::Add { email, role } => {
                match store
                    .add_user(&email, &password, role, g.tenant.as_deref())
                    .await
                {
                    Ok(user) => {
                        let role = role_word(lang, &user);
                        let email = user.email.as_str();
                        println!("{}", t!(lang, "user-added", email = email, role = role));
                        0
                    }
                    Err(e) => {
                        fail!("{}", said(lang, &e));
                        exit::USAGE
                    }
                }
            }
            UserCommand::List { json } => match store.users(g.tenant.as_deref()).await {
                Ok(users) if json => {
                    print_json(&serde_json::json!({ "users": users }));
                    0
                }
                Ok(users) if users.is_empty() => {
                    println!("{}", t!(lang, "user-none"));
                    0
                }
                Ok(users) => {
                    let mut table = out.table(&[
                        t!(lang, "user-col-email"),
                        t!(lang, "user-col-role"),
                        t!(lang, "user-col-password"),
                        t!(lang, "user-col-state"),
                    ]);
                    let now = rempart_store::now_ms();
                    for user in users {
                        let (state, tone) = match user.locked_until_ms {
                            Some(until) if until > now => {
                                let until = out.time(until);
                                (t!(lang, "user-locked", until = until), Tone::Bad)
                            }
                            _ => (t!(lang, "user-active"), Tone::Good),
                        };
                        table.add_row(vec![
                            out.cell(&user.email, Tone::Plain),
                            out.cell(role_word(lang, &user), Tone::Plain),
                            out.cell(out.time(user.password_ms), Tone::Plain),
                            out.cell(state, tone),
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
            UserCommand::Remove { email } => match store.remove_user(&email).await {
                Ok(user) => {
                    println!("{}", t!(lang, "user-removed", email = user.email.as_str()));
                    0
                }
                Err(e) => {
                    fail!("{}", said(lang, &e));
                    exit::USAGE
                }
            },
            UserCommand::Passwd { email } => {
                match store.set_password(&email, &password, None).await {
                    Ok(user) => {
                        let email = user.email.as_str();
                        println!("{}", t!(lang, "user-password-set", email = email));
                        0
                    }
                    Err(e) => {
                        fail!("{}", said(lang, &e));
                        exit::USAGE
                    }
                }
            }
        };
        store.close().await;
        code
    })
}
