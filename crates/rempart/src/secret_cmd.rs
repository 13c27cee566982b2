//! `rempart secret set|list|remove`: a tenant's stored secrets, which its
//! plan names as `{ secret = "name" }`. Values go in through standard
//! input (never an argument: it would show in `ps` and shell history) and
//! never come out.

use std::io::{IsTerminal, Read};

use clap::Subcommand;
use serde_json::json;

use crate::evidence_cmd::runtime;
use crate::out::{Tone, print_json, print_table, t};
use crate::tenancy::{self, Intent};
use crate::{Global, exit};

#[derive(Subcommand)]
pub enum SecretCommand {
    /// Set (or replace) a secret; its value is read from standard input (a prompt without echo on a terminal)
    Set {
        /// Its name, as the plan writes it: { secret = "NAME" }
        name: String,
    },
    /// The tenant's secrets: names and dates, never values
    List {
        /// Print JSON, for scripts
        #[arg(long)]
        json: bool,
    },
    /// Remove a secret
    Remove {
        /// The secret's name, as the plan names it ({ secret = "name" })
        name: String,
    },
}

pub fn run(g: &Global, cmd: SecretCommand) -> u8 {
    // The value is read before anything else, so a prompt comes first.
    let value = match &cmd {
        SecretCommand::Set { name } => match read_value(name) {
            Ok(v) => Some(v),
            Err(why) => {
                fail!("{why}");
                return exit::USAGE;
            }
        },
        _ => None,
    };
    // Setting the first secret of a new plan may create its tenant (as a
    // backup run would); listing and removing never do.
    let intent = if value.is_some() {
        Intent::Write
    } else {
        Intent::Read
    };
    runtime(async {
        let scope = match tenancy::scope(g, intent).await {
            Ok(s) => s,
            Err(code) => return code,
        };
        let by = crate::cli_identity();
        let out = crate::out::for_tenant(g, &scope).await;
        let lang = out.lang;
        match cmd {
            SecretCommand::Set { name } => {
                let value = value.unwrap_or_default();
                match scope.set_secret(&name, &value, &by).await {
                    Ok(_) => {
                        println!(
                            "{}",
                            t!(
                                lang,
                                "secret-set",
                                name = name.as_str(),
                                tenant = scope.id()
                            )
                        );
                        0
                    }
                    Err(e) => {
                        fail!("{e}");
                        exit::USAGE
                    }
                }
            }
            SecretCommand::List { json } => match scope.secrets().await {
                Ok(list) if json => {
                    print_json(&json!({ "tenant": scope.id(), "secrets": list }));
                    0
                }
                Ok(list) => {
                    println!("{}", t!(lang, "evidence-tenant", tenant = scope.id()));
                    if list.is_empty() {
                        println!("{}", t!(lang, "secret-none"));
                        return 0;
                    }
                    let mut table = out.table(&[
                        t!(lang, "secret-col-name"),
                        t!(lang, "secret-col-set"),
                        t!(lang, "secret-col-by"),
                    ]);
                    for s in &list {
                        table.add_row(vec![
                            out.cell(&s.name, Tone::Plain),
                            out.cell(out.time(s.updated_ms), Tone::Plain),
                            out.cell(&s.updated_by, Tone::Plain),
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
            SecretCommand::Remove { name } => match scope.remove_secret(&name, &by).await {
                Ok(true) => {
                    println!(
                        "{}",
                        t!(
                            lang,
                            "secret-removed",
                            name = name.as_str(),
                            tenant = scope.id()
                        )
                    );
                    0
                }
                Ok(false) => {
                    fail!(
                        "{}",
                        t!(
                            lang,
                            "secret-unknown",
                            name = name.as_str(),
                            tenant = scope.id()
                        )
                    );
                    exit::USAGE
                }
                Err(e) => {
                    fail!("{e}");
                    exit::FOUND
                }
            },
        }
    })
}

/// The value: a line typed without echo on a terminal, all of standard
/// input otherwise (a final newline dropped by the store).
fn read_value(name: &str) -> Result<String, String> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut value = String::new();
        stdin
            .lock()
            .read_to_string(&mut value)
            .map_err(|e| format!("cannot read the value from standard input: {e}"))?;
        return Ok(value);
    }
    eprint!("value of secret \"{name}\" (not shown): ");
    let _echo = EchoOff::new();
    let mut line = String::new();
    let read = stdin.read_line(&mut line);
    eprintln!();
    read.map_err(|e| format!("cannot read the value: {e}"))?;
    Ok(line)
}

/// Turns the terminal's echo off until dropped.
struct EchoOff(Option<libc::termios>);

impl EchoOff {
    fn new() -> EchoOff {
        // SAFETY: tcgetattr/tcsetattr on standard input with a zeroed termios we own.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(libc::STDIN_FILENO, &mut t) != 0 {
                return EchoOff(None);
            }
            let saved = t;
            t.c_lflag &= !libc::ECHO;
            t.c_lflag |= libc::ECHONL;
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &t);
            EchoOff(Some(saved))
        }
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        if let Some(saved) = &self.0 {
            // SAFETY: restores the settings read in `new`.
            unsafe {
                libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, saved);
            }
        }
    }
}
