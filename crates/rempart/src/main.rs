//! `rempart`: IT continuity as code. The command line and the wiring.

mod init;
mod plan_cmd;

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
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write a commented starter plan (rempart.toml) into DIR
    Init(InitArgs),
    /// Check, show or describe the continuity plan
    #[command(subcommand)]
    Plan(PlanCommand),
}

#[derive(Args)]
struct InitArgs {
    /// Directory to write rempart.toml into (created if missing)
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Language of the plan's comments and of its organisation
    #[arg(long, value_enum, default_value_t = Lang::En)]
    language: Lang,
    /// Replace an existing rempart.toml
    #[arg(long)]
    force: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Lang {
    En,
    Fr,
}

/// Where the plan is read from.
#[derive(Args)]
struct PlanFile {
    /// Plan file
    #[arg(
        short = 'c',
        long = "config",
        env = "REMPART_PLAN",
        default_value = "rempart.toml"
    )]
    file: PathBuf,
}

#[derive(Subcommand)]
enum PlanCommand {
    /// Validate the plan: exit 0 when valid (warnings allowed), 1 when it has errors, 2 when it cannot be read
    Check {
        #[command(flatten)]
        plan: PlanFile,
        /// Print the findings as JSON
        #[arg(long)]
        json: bool,
    },
    /// Print the normalised plan (TOML, or JSON with durations in seconds)
    Show {
        #[command(flatten)]
        plan: PlanFile,
        /// Print JSON, durations in seconds
        #[arg(long)]
        json: bool,
    },
    /// Print the JSON Schema of rempart.toml, for editors
    Schema,
}

/// Exit codes shared by every command.
pub(crate) mod exit {
    /// Something the user must fix was found (a plan error, a failed drill).
    pub const FOUND: u8 = 1;
    /// Bad usage or unreadable input.
    pub const USAGE: u8 = 2;
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Init(args) => init::run(&args.dir, args.language, args.force),
        Command::Plan(PlanCommand::Check { plan, json }) => plan_cmd::check(&plan.file, json),
        Command::Plan(PlanCommand::Show { plan, json }) => plan_cmd::show(&plan.file, json),
        Command::Plan(PlanCommand::Schema) => plan_cmd::schema(),
    };
    ExitCode::from(code)
}
