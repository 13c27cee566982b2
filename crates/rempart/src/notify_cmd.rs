//! `rempart notify test|list`: the notification outbox by hand.

use clap::Subcommand;
use rempart_engine::notify::{self, Message};
use rempart_store::now_ms;
use serde_json::json;

use crate::evidence_cmd::{ms_to_text, runtime};
use crate::tenancy::{self, Intent, Tenancy};
use crate::{Global, exit};

#[derive(Subcommand)]
pub enum NotifyCommand {
    /// Queue a test message for a channel, contact or team of the plan (`rempart serve` delivers it)
    Test {
        /// Channel, contact or team id
        to: String,
        /// The text to send
        #[arg(long)]
        message: Option<String>,
    },
    /// The newest notifications: queued, sent or given up, with their attempts
    List {
        /// At most this many
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Print JSON, for scripts
        #[arg(long)]
        json: bool,
    },
}

pub fn run(g: &Global, cmd: NotifyCommand) -> u8 {
    match cmd {
        NotifyCommand::Test { to, message } => test(g, &to, message),
        NotifyCommand::List { limit, json } => list(g, limit, json),
    }
}

fn test(g: &Global, to: &str, message: Option<String>) -> u8 {
    runtime(async {
        let Tenancy {
            scope: tenant,
            plan,
            ..
        } = match tenancy::open(g, Intent::Write).await {
            Ok(t) => t,
            Err(code) => return code,
        };
        if let Err(why) = notify::receivers(&plan, to) {
            eprintln!("error: {why}");
            return exit::USAGE;
        }
        let fr = plan.organization.language == rempart_core::plan::Language::Fr;
        let m = Message {
            subject: (if fr {
                "Message de test de Rempart"
            } else {
                "Rempart test message"
            })
            .into(),
            text: message.unwrap_or_else(|| {
                (if fr {
                    "Ce canal reçoit bien les alertes de Rempart."
                } else {
                    "This channel receives Rempart's alerts."
                })
                .into()
            }),
            kind: "test",
            alert: None,
        };
        // Each test message is its own: the process id tells two apart in one millisecond.
        let key = format!("test/{}-{}", now_ms(), std::process::id());
        match notify::queue(&tenant, &plan, &[to.to_owned()], &m, &key).await {
            Ok(receivers) => {
                println!(
                    "queued for {}: `rempart serve` delivers it (see `rempart notify list`)",
                    receivers.join(", ")
                );
                0
            }
            Err(why) => {
                eprintln!("error: {why}");
                exit::FOUND
            }
        }
    })
}

fn list(g: &Global, limit: u32, json: bool) -> u8 {
    runtime(async {
        let scope = match tenancy::scope(g, Intent::Read).await {
            Ok(s) => s,
            Err(code) => return code,
        };
        let notes = match scope.notifications(limit).await {
            Ok(n) => n,
            Err(e) => {
                eprintln!("error: {e}");
                return exit::FOUND;
            }
        };
        if json {
            println!(
                "{:#}",
                json!({ "tenant": scope.id(), "notifications": notes })
            );
        } else {
            println!("tenant \"{}\"", scope.id());
            for n in &notes {
                let state = match (n.sent_ms, n.gave_up_ms) {
                    (Some(t), _) => format!("sent {}", ms_to_text(t)),
                    (_, Some(t)) => format!("GIVEN UP {}", ms_to_text(t)),
                    _ => format!(
                        "queued, next try {}",
                        n.due_ms.map_or("-".into(), ms_to_text)
                    ),
                };
                println!(
                    "#{:<6} {:<20} {:<40} {} attempt(s), {state}{}",
                    n.id,
                    n.channel,
                    n.subject,
                    n.attempts,
                    n.last_error
                        .as_ref()
                        .map_or(String::new(), |e| format!(" — {e}"))
                );
            }
            if notes.is_empty() {
                println!("no notification yet");
            }
        }
        0
    })
}

/// `rempart ack ALERT`: stops an alert's escalation.
pub fn ack(g: &Global, id: i64) -> u8 {
    runtime(async {
        let scope = match tenancy::scope(g, Intent::Read).await {
            Ok(s) => s,
            Err(code) => return code,
        };
        let by = crate::cli_identity();
        match notify::alert::acknowledge(&scope, id, &by, "cli").await {
            Ok(Some(acked)) if acked.newly => {
                if let Some(e) = acked.unrecorded {
                    eprintln!("warning: cannot record the acknowledgement: {e}");
                }
                println!(
                    "alert {id} ({}) acknowledged by {by}: its escalation stops",
                    acked.alert.monitor
                );
                0
            }
            Ok(Some(acked)) => {
                let a = acked.alert;
                println!(
                    "alert {id} ({}) was already acknowledged by {} at {}",
                    a.monitor,
                    a.acked_by.unwrap_or_default(),
                    a.acked_ms.map_or_else(String::new, ms_to_text)
                );
                0
            }
            Ok(None) => {
                eprintln!(
                    "error: tenant \"{}\" has no alert {id} (its number is in the alert messages)",
                    scope.id()
                );
                exit::USAGE
            }
            Err(e) => {
                eprintln!("error: {e}");
                exit::FOUND
            }
        }
    })
}
