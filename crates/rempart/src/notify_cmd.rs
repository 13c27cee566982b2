//! `rempart notify test|list`: the notification outbox by hand.

use clap::Subcommand;
use rempart_engine::notify::{self, Message};
use rempart_store::now_ms;
use serde_json::json;

use crate::evidence_cmd::runtime;
use crate::out::{Lang, Out, Tone, print_json, print_table, t};
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
            fail!("{why}");
            return exit::USAGE;
        }
        // The message goes out in the organisation's language; what the
        // command prints, in the reader's.
        let sent: Lang = plan.organization.language.into();
        let lang = Out::new(g, Some(&plan)).lang;
        let m = Message {
            subject: t!(sent, "notify-test-subject"),
            text: message.unwrap_or_else(|| t!(sent, "notify-test-text")),
            kind: "test",
            alert: None,
        };
        // Each test message is its own: the process id tells two apart in one millisecond.
        let key = format!("test/{}-{}", now_ms(), std::process::id());
        match notify::queue(&tenant, &plan, &[to.to_owned()], &m, &key).await {
            Ok(receivers) => {
                println!(
                    "{}",
                    t!(lang, "notify-queued", receivers = receivers.join(", "))
                );
                0
            }
            Err(why) => {
                fail!("{why}");
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
                fail!("{e}");
                return exit::FOUND;
            }
        };
        if json {
            print_json(&json!({ "tenant": scope.id(), "notifications": notes }));
            return 0;
        }
        let out = crate::out::for_tenant(g, &scope).await;
        let lang = out.lang;
        println!("{}", t!(lang, "evidence-tenant", tenant = scope.id()));
        if notes.is_empty() {
            println!("{}", t!(lang, "notify-none"));
            return 0;
        }
        let mut table = out.table(&[
            t!(lang, "evidence-col-seq"),
            t!(lang, "notify-col-channel"),
            t!(lang, "notify-col-subject"),
            t!(lang, "notify-col-attempts"),
            t!(lang, "notify-col-state"),
        ]);
        for n in &notes {
            let (state, tone) = match (n.sent_ms, n.gave_up_ms) {
                (Some(t), _) => (t!(lang, "notify-sent", at = out.time(t)), Tone::Good),
                (_, Some(t)) => (t!(lang, "notify-given-up", at = out.time(t)), Tone::Bad),
                _ => (
                    t!(
                        lang,
                        "notify-queued-next",
                        at = n.due_ms.map_or_else(|| "-".to_owned(), |t| out.time(t))
                    ),
                    Tone::Warn,
                ),
            };
            let state = match &n.last_error {
                Some(e) => format!("{state} — {e}"),
                None => state,
            };
            table.add_row(vec![
                out.cell(n.id, Tone::Plain),
                out.cell(&n.channel, Tone::Plain),
                out.cell(&n.subject, Tone::Plain),
                out.cell(n.attempts, Tone::Plain),
                out.cell(state, tone),
            ]);
        }
        print_table(&table);
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
        let out = crate::out::for_tenant(g, &scope).await;
        let lang = out.lang;
        match notify::alert::acknowledge(&scope, id, &by, "cli").await {
            Ok(Some(acked)) if acked.newly => {
                if let Some(e) = acked.unrecorded {
                    caution!(
                        "{}",
                        t!(
                            crate::out::spoken(),
                            "cli-cannot-record-ack",
                            why = e.to_string()
                        )
                    );
                }
                println!(
                    "{}",
                    t!(
                        lang,
                        "ack-done",
                        id = id,
                        monitor = acked.alert.monitor.as_str(),
                        by = by.as_str()
                    )
                );
                0
            }
            Ok(Some(acked)) => {
                let a = acked.alert;
                println!(
                    "{}",
                    t!(
                        lang,
                        "ack-already",
                        id = id,
                        monitor = a.monitor.as_str(),
                        by = a.acked_by.unwrap_or_default(),
                        at = a.acked_ms.map_or_else(String::new, |t| out.time(t))
                    )
                );
                0
            }
            Ok(None) => {
                fail!("{}", t!(lang, "ack-unknown", tenant = scope.id(), id = id));
                exit::USAGE
            }
            Err(e) => {
                fail!("{e}");
                exit::FOUND
            }
        }
    })
}
