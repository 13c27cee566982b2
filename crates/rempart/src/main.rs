//! `rempart`: IT continuity as code. The command line and the wiring.

/// `fail!("…", args)`: an error line for the user on stderr, its prefix
/// in the command's language.
macro_rules! fail {
    ($($arg:tt)*) => {
        $crate::out::error_line(&format!($($arg)*))
    };
}

/// `caution!("…", args)`: a warning line for the user on stderr.
macro_rules! caution {
    ($($arg:tt)*) => {
        $crate::out::warning_line(&format!($($arg)*))
    };
}

mod audit_cmd;
mod backup_cmd;
mod crisis_cmd;
mod demo;
mod drill_cmd;
mod evidence_cmd;
mod heartbeat_cmd;
mod init;
mod notify_cmd;
mod out;
mod plan_cmd;
mod report_cmd;
mod secret_cmd;
mod serve;
mod status_cmd;
mod tenancy;
mod tenant_cmd;
mod token_cmd;
mod user_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Rempart keeps a business running through an IT crisis: it turns a
/// continuity plan (rempart.toml) into backups, drills and supervision whose
/// results are measured, not declared.
///
/// Rempart garde l'entreprise debout pendant une crise informatique : il
/// transforme le plan de continuité (rempart.toml) en sauvegardes, exercices
/// et supervision dont les résultats sont mesurés, pas déclarés.
#[derive(Parser)]
#[command(name = "rempart", version, about, long_about)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// Options every command accepts: where the plan and the store are.
#[derive(Args)]
struct Global {
    /// Plan file (default: ./rempart.toml when there is one, else the
    /// plan the store holds for the tenant)
    #[arg(short = 'c', long = "config", env = "REMPART_PLAN", global = true)]
    plan: Option<PathBuf>,
    /// Directory of the embedded store (SQLite) and of Rempart's local data
    #[arg(
        long,
        env = "REMPART_DATA",
        default_value = "rempart-data",
        global = true
    )]
    data_dir: PathBuf,
    /// PostgreSQL store instead of the embedded one: postgres://user@host/db
    #[arg(long, env = "REMPART_DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// The tenant a command means (default: the one the plan file rules,
    /// else the store's only tenant); for `serve -c FILE`, the tenant the
    /// file is served as (default: "default")
    #[arg(long, env = "REMPART_TENANT", global = true)]
    tenant: Option<String>,
    /// Language of what Rempart says: en or fr (default: the plan's,
    /// else the system's locale)
    #[arg(long, env = "REMPART_LANG", global = true, value_parser = parse_lang)]
    lang: Option<rempart_i18n::Lang>,
}

fn parse_lang(text: &str) -> Result<rempart_i18n::Lang, String> {
    rempart_i18n::Lang::parse(text)
        .ok_or_else(|| format!("\"{text}\" is not a language Rempart speaks: en or fr"))
}

#[derive(Subcommand)]
enum Command {
    /// Write a commented starter plan (rempart.toml) into DIR
    Init(InitArgs),
    /// Check, show or describe the continuity plan
    #[command(subcommand)]
    Plan(PlanCommand),
    /// Run the scheduler, the executors and the HTTP API: until SIGTERM or Ctrl-C; SIGHUP reloads the plan files
    Serve(serve::ServeArgs),
    /// Create the plan's backup repositories
    #[command(subcommand)]
    Repo(backup_cmd::RepoCommand),
    /// Run a backup now, or list snapshots
    #[command(subcommand)]
    Backup(backup_cmd::BackupCommand),
    /// Restore a backup into a directory, falling back to the next site when one fails
    Restore(backup_cmd::RestoreArgs),
    /// Check repositories, reading a share of their data: exit 1 when one is damaged
    Verify(backup_cmd::VerifyArgs),
    /// Heal a repository's damaged or missing data from another site's copy, then verify it
    Repair(backup_cmd::RepairArgs),
    /// Run a recovery scenario for real (a drill), list runs, show one, confirm a manual step
    #[command(subcommand)]
    Drill(drill_cmd::DrillCommand),
    /// Each process's measured RTO and RPO against its targets: exit 1 when a vital one is breached or untested
    Status(status_cmd::StatusArgs),
    /// The ping URL of each heartbeat monitor (Healthchecks-style) and what it last heard
    Heartbeat(heartbeat_cmd::HeartbeatArgs),
    /// Acknowledge an alert: its escalation stops (recorded as done by cli:$USER)
    Ack {
        /// Alert number, as its messages give it
        alert: i64,
    },
    /// Queue a test notification, list the outbox
    #[command(subcommand)]
    Notify(notify_cmd::NotifyCommand),
    /// Each monitor as supervision sees it now: state, since when, last check: exit 1 when one is down or unreachable outside maintenance
    Monitors(status_cmd::MonitorsArgs),
    /// A document made from the plan and its evidence: pra (disaster-recovery plan) or audit; PDF, HTML or Markdown, its SHA-256 kept as evidence
    Report(report_cmd::ReportArgs),
    /// The compliance audit (3-2-1-1-0, drills, MTPD, alternates, escalation, evidence chain; DORA and NIS2 mapped) and the risk register, kept as evidence: exit 1 when a high finding stands
    Audit(audit_cmd::AuditArgs),
    /// Crisis mode: declare a crisis (the cell is called, alternates after the plan's delay), follow its checklist, notes, decisions, messages and regulatory deadlines, close it with the RTO and RPO it achieved
    #[command(subcommand)]
    Crisis(crisis_cmd::CrisisCommand),
    /// Uptime of each monitor over a month (maintenance excluded), its outages, held against the plan's SLA targets: exit 1 when one is breached
    Sla(status_cmd::SlaArgs),
    /// Read and verify the evidence log (verify: every tenant, or the one named with --tenant)
    #[command(subcommand)]
    Evidence(EvidenceCommand),
    /// Create, list and revoke API tokens
    #[command(subcommand)]
    Token(token_cmd::TokenCommand),
    /// A tenant's stored secrets ({ secret = "name" } in its plan): set from standard input, list, remove
    #[command(subcommand)]
    Secret(secret_cmd::SecretCommand),
    /// The server's tenants: list them, add one ruled by the API, set the folders a client's plan may use
    #[command(subcommand)]
    Tenant(tenant_cmd::TenantCommand),
    /// The people who log in to the portal: add (with a role), list, remove, set a password
    #[command(subcommand)]
    User(user_cmd::UserCommand),
}

#[derive(Args)]
struct InitArgs {
    /// Directory to write rempart.toml into (created if missing)
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Language of the plan's comments and of its organisation (default:
    /// --lang, else the system's locale, else English)
    #[arg(long, value_enum)]
    language: Option<Lang>,
    /// Replace an existing rempart.toml
    #[arg(long)]
    force: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Lang {
    En,
    Fr,
}

#[derive(Subcommand)]
enum PlanCommand {
    /// Validate the plan: exit 0 when valid (warnings allowed), 1 when it has errors, 2 when it cannot be read
    Check {
        /// Print the findings as JSON
        #[arg(long)]
        json: bool,
        /// Also open each repository with the plan's secrets: say those not created, out of reach or with a wrong password, and a restic version-1 repository (no compression)
        #[arg(long)]
        resolve: bool,
    },
    /// Print the normalised plan (TOML, or JSON with durations in seconds)
    Show {
        /// Print JSON, durations in seconds
        #[arg(long)]
        json: bool,
    },
    /// Print the JSON Schema of rempart.toml, for editors
    Schema,
}

#[derive(Subcommand)]
enum EvidenceCommand {
    /// Check every record of the hash-chained log: exit 0 intact, 1 when a record was edited, removed or reordered
    Verify {
        /// Print JSON, for scripts
        #[arg(long)]
        json: bool,
    },
    /// List evidence records, oldest first
    List(evidence_cmd::ListArgs),
    /// Retention: remove a tenant's records started before a time (logged; the chain stays verifiable)
    Prune {
        /// Remove records started before this time (RFC 3339, e.g. 2025-01-01T00:00:00Z)
        #[arg(long, value_parser = evidence_cmd::parse_time)]
        before: i64,
    },
}

impl Global {
    /// The language to speak: `--lang` or `$REMPART_LANG`, else the
    /// plan's, else the system's locale.
    fn lang(&self, plan: Option<&rempart_core::plan::Plan>) -> rempart_i18n::Lang {
        let lang = rempart_i18n::choose(self.lang, plan.map(|p| p.organization.language.into()));
        out::speak(lang);
        lang
    }

    /// The language for what a check of the plan's text found: as
    /// [`Global::lang`], with the language the text declares even when
    /// the plan does not decode.
    fn lang_checked(&self, checked: &rempart_core::plan::Checked) -> rempart_i18n::Lang {
        let lang = rempart_i18n::choose(self.lang, checked.language);
        out::speak(lang);
        lang
    }

    /// The plan file the options name: `-c`, `$REMPART_PLAN`, else
    /// `./rempart.toml` (which may not exist: see [`tenancy::plan_file`]).
    fn plan_path(&self) -> PathBuf {
        self.plan
            .clone()
            .unwrap_or_else(|| PathBuf::from(tenancy::PLAN_FILE))
    }
}

/// Who runs a one-shot command, as records name them: `cli:<user>`.
pub(crate) fn cli_identity() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".into());
    format!("cli:{user}")
}

/// Exit codes shared by every command.
pub(crate) mod exit {
    /// Something the user must fix was found (a plan error, a failed drill).
    pub const FOUND: u8 = 1;
    /// Bad usage or unreadable input.
    pub const USAGE: u8 = 2;
}

/// glibc gives every thread that allocates an arena of its own and keeps
/// what they free: rustic's restore (20 reader threads) then held twice the
/// memory it used. Two arenas: peak RSS of a 1.7 GB restore 363 → 183 MiB,
/// no slower (BENCHMARKS.md). Called before any thread starts.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; no thread runs yet.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// A reader that goes away (`rempart … | head -1`) ends the command
/// quietly, as with every Unix tool, instead of a panic message: `print!`
/// panics on a closed pipe. (SIGPIPE stays ignored: network writes must
/// get their error, not kill the process.) Panics of libraries, caught
/// and reported in words, are not shown either.
fn quiet_on_closed_pipe() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let said = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if said.starts_with("failed printing to std") && said.contains("Broken pipe") {
            std::process::exit(0);
        }
        // A panic inside the backup library (rustic) is caught per
        // repository and reported as a sentence naming it; its raw text
        // stays out of sight. Every other panic is shown as Rust shows it.
        let caught = info.location().is_some_and(|l| {
            l.file().contains("rustic_core") || l.file().contains("rustic_backend")
        });
        if !caught {
            previous(info);
        }
    }));
}

fn main() -> ExitCode {
    limit_malloc_arenas();
    quiet_on_closed_pipe();
    let cli = Cli::parse();
    let g = &cli.global;
    out::speak(g.lang(None));
    let code = match cli.command {
        Command::Init(args) => {
            let language = args.language.map_or_else(
                || g.lang(None),
                |l| match l {
                    Lang::En => rempart_i18n::Lang::En,
                    Lang::Fr => rempart_i18n::Lang::Fr,
                },
            );
            // The messages speak the plan's language unless --lang says.
            init::run(&args.dir, language, g.lang.unwrap_or(language), args.force)
        }
        Command::Plan(PlanCommand::Check { json, resolve }) => plan_cmd::check(g, json, resolve),
        Command::Plan(PlanCommand::Show { json }) => plan_cmd::show(g, json),
        Command::Plan(PlanCommand::Schema) => plan_cmd::schema(),
        Command::Serve(args) => serve::run(g, args),
        Command::Repo(cmd) => backup_cmd::repo(g, cmd),
        Command::Backup(cmd) => backup_cmd::backup(g, cmd),
        Command::Restore(args) => backup_cmd::restore(g, args),
        Command::Verify(args) => backup_cmd::verify(g, args),
        Command::Repair(args) => backup_cmd::repair(g, args),
        Command::Drill(cmd) => drill_cmd::run(g, cmd),
        Command::Status(args) => status_cmd::run(g, args),
        Command::Sla(args) => status_cmd::sla(g, args),
        Command::Audit(args) => audit_cmd::run(g, args),
        Command::Crisis(cmd) => crisis_cmd::run(g, cmd),
        Command::Report(args) => report_cmd::run(g, args),
        Command::Monitors(args) => status_cmd::monitors(g, args),
        Command::Heartbeat(args) => heartbeat_cmd::list(g, args),
        Command::Notify(cmd) => notify_cmd::run(g, cmd),
        Command::Ack { alert } => notify_cmd::ack(g, alert),
        Command::Evidence(cmd) => evidence_cmd::run(g, cmd),
        Command::Token(cmd) => token_cmd::run(g, cmd),
        Command::Secret(cmd) => secret_cmd::run(g, cmd),
        Command::Tenant(cmd) => tenant_cmd::run(g, cmd),
        Command::User(cmd) => user_cmd::run(g, cmd),
    };
    ExitCode::from(code)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every command and every option says what it is in `--help`.
    #[test]
    fn every_command_and_option_has_a_description() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            let path = format!("{path} {}", cmd.get_name());
            if cmd.get_about().is_none() {
                missing.push(format!("{path}: the command"));
            }
            for arg in cmd.get_arguments() {
                let builtin = matches!(arg.get_id().as_str(), "help" | "version");
                if !builtin && arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{path}: {}", arg.get_id()));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &path, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&super::Cli::command(), "", &mut missing);
        assert!(missing.is_empty(), "without a description: {missing:#?}");
    }
}
