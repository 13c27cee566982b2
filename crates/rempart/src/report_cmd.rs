//! `rempart report KIND`: a document made from the plan and the evidence
//! (PRA, audit…), in PDF, HTML or Markdown; its SHA-256 is kept as a
//! `report` record.

use std::io::Write;
use std::path::PathBuf;

use rempart_report::{Format, Kind};
use rempart_store::now_ms;

use crate::out::{Lang, print_json, t};
use crate::tenancy::{self, Intent};
use crate::{Global, cli_identity, exit};

#[derive(clap::Args)]
pub struct ReportArgs {
    /// The document: pra (disaster-recovery plan), pca (business-continuity plan), sla (monthly service report), drill (one drill run's report), audit (compliance audit) or crisis (a crisis' post-incident report)
    #[arg(value_parser = parse_kind)]
    kind: Kind,
    /// pdf, html or md
    #[arg(long, default_value = "pdf", value_parser = parse_format)]
    format: Format,
    /// The month of an SLA report, as 2026-11 (default: the current month)
    #[arg(long)]
    month: Option<String>,
    /// The drill run of a drill report, as `rempart drill list` names it (default: the latest)
    #[arg(long)]
    run: Option<String>,
    /// The crisis of a post-incident report, as `rempart crisis list` names it (default: the newest, open or closed)
    #[arg(long)]
    crisis: Option<String>,
    /// File to write (default: KIND-TENANT-HEAD.EXT in the current folder; - for standard output)
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
    /// Print what was written as JSON, for scripts
    #[arg(long)]
    json: bool,
}

fn parse_kind(text: &str) -> Result<Kind, String> {
    Kind::parse(text).ok_or_else(|| {
        let words: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        format!("unknown document \"{text}\"; one of: {}", words.join(", "))
    })
}

fn parse_format(text: &str) -> Result<Format, String> {
    Format::parse(text).ok_or_else(|| format!("unknown format \"{text}\"; one of: pdf, html, md"))
}

pub fn run(g: &Global, args: ReportArgs) -> u8 {
    crate::evidence_cmd::runtime(async {
        let t = match tenancy::open(g, Intent::Write).await {
            Ok(t) => t,
            Err(code) => return code,
        };
        // The document speaks --lang, else the plan's language.
        let lang: Lang = g.lang(Some(&t.plan));
        let (sources, made) = match rempart_report::produce(
            &t.scope,
            &t.plan,
            &t.env.base,
            &rempart_report::Wanted {
                kind: args.kind,
                month: args.month.clone(),
                run: args.run.clone(),
                crisis: args.crisis.clone(),
            },
            lang,
            args.format,
            &cli_identity(),
            now_ms(),
        )
        .await
        {
            Ok(done) => done,
            Err(rempart_report::ReportError::Usage(why)) => {
                fail!("{why}");
                return exit::USAGE;
            }
            Err(e) => {
                fail!("{e}");
                return exit::FOUND;
            }
        };
        let path = args
            .output
            .clone()
            .unwrap_or_else(|| PathBuf::from(&made.file_name));
        let to_stdout = path.as_os_str() == "-";
        let written = if to_stdout {
            std::io::stdout().write_all(&made.bytes)
        } else {
            std::fs::write(&path, &made.bytes)
        };
        if let Err(e) = written {
            fail!(
                "{}",
                t!(
                    lang,
                    "report-cannot-write",
                    path = path.display().to_string(),
                    why = e.to_string()
                )
            );
            return exit::FOUND;
        }
        let head = sources.head.as_ref().map_or(0, |h| h.seq);
        if args.json && !to_stdout {
            print_json(&serde_json::json!({
                "kind": args.kind.as_str(),
                "format": made.format.extension(),
                "file": path,
                "bytes": made.bytes.len(),
                "sha256": made.sha256,
                "head_seq": head,
                "evidence_seq": made.evidence.seq,
            }));
        } else if !to_stdout {
            println!(
                "{}",
                t!(
                    lang,
                    "report-written",
                    path = path.display().to_string(),
                    bytes = made.bytes.len(),
                    sha = made.sha256.as_str(),
                    head = head,
                    seq = made.evidence.seq
                )
            );
        }
        0
    })
}
