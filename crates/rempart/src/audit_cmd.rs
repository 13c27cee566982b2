//! `rempart audit`: the plan and its evidence held against the compliance
//! rules (see `rempart_core::audit`), and the risk register. The result is
//! kept as an `audit` record; exit 1 while a high finding stands.

use rempart_core::audit::{Severity, Verdict, score_level};
use rempart_store::now_ms;

use crate::out::{Out, Tone, print_json, print_table, t};
use crate::status_cmd::heading;
use crate::tenancy::{self, Intent};
use crate::{Global, cli_identity, exit};

#[derive(clap::Args)]
pub struct AuditArgs {
    /// Print JSON, for scripts
    #[arg(long)]
    json: bool,
}

pub fn run(g: &Global, args: AuditArgs) -> u8 {
    crate::evidence_cmd::runtime(async {
        let t = match tenancy::open(g, Intent::Write).await {
            Ok(t) => t,
            Err(code) => return code,
        };
        let started = now_ms();
        // The chain rule cites a verification of the log: make one now.
        if let Err(e) = rempart_engine::audit::check_chain(&t.scope, None).await {
            fail!("{e}");
            return exit::FOUND;
        }
        let audited = match rempart_engine::audit::run(&t.scope, &t.plan, started).await {
            Ok(a) => a,
            Err(e) => {
                fail!("{e}");
                return exit::FOUND;
            }
        };
        let recorded =
            rempart_engine::audit::record(&t.scope, &audited.audit, started, &cli_identity()).await;
        let out = Out::new(g, Some(&t.plan));
        if args.json {
            let mut v = rempart_engine::audit::to_json(t.scope.id(), &audited, out.lang);
            v["evidence_seq"] = serde_json::json!(recorded.as_ref().ok().map(|e| e.seq));
            print_json(&v);
        } else {
            print_human(&out, &t, &audited);
        }
        if let Err(e) = recorded {
            crate::out::cannot_record(e);
            return exit::FOUND;
        }
        if audited.audit.blocking() {
            exit::FOUND
        } else {
            0
        }
    })
}

fn print_human(out: &Out, t: &tenancy::Tenancy, a: &rempart_engine::audit::Audited) {
    let lang = out.lang;
    println!(
        "{}",
        heading(out, &t.plan, t.scope.id(), &t!(lang, "audit-title"))
    );
    let mut table = out.table(&[
        t!(lang, "audit-col-rule"),
        t!(lang, "audit-col-subject"),
        t!(lang, "audit-col-severity"),
        t!(lang, "audit-col-verdict"),
        t!(lang, "audit-col-detail"),
        t!(lang, "audit-col-evidence"),
    ]);
    for f in &a.audit.findings {
        let tone = match f.verdict {
            Verdict::Pass => Tone::Good,
            Verdict::Fail => Tone::Bad,
            Verdict::NotApplicable => Tone::Plain,
        };
        let mut verdict = f.verdict.text(lang);
        if f.regression {
            verdict = t!(lang, "audit-regression", verdict = verdict);
        }
        let cited: Vec<String> = f.evidence.iter().map(|c| format!("#{}", c.seq)).collect();
        table.add_row(vec![
            out.cell(f.rule.title(lang), Tone::Plain),
            out.cell(&f.subject, Tone::Plain),
            out.cell(f.severity.text(lang), Tone::Plain),
            out.cell(verdict, tone),
            out.cell(f.detail.text(lang), Tone::Plain),
            out.cell(cited.join(" "), Tone::Plain),
        ]);
    }
    print_table(&table);
    let failing: Vec<_> = a
        .audit
        .findings
        .iter()
        .filter(|f| f.verdict == Verdict::Fail)
        .collect();
    if !failing.is_empty() {
        println!();
        println!("{}", t!(lang, "audit-to-fix"));
        for f in failing {
            let subject = if f.subject.is_empty() {
                String::new()
            } else {
                format!(" ({})", f.subject)
            };
            println!(
                "  - [{}] {}{subject}: {}",
                f.severity.text(lang),
                f.rule.title(lang),
                f.rule.remediation(lang)
            );
        }
    }
    if !a.audit.risks.is_empty() {
        println!();
        println!("{}", t!(lang, "audit-risks"));
        let mut table = out.table(&[
            t!(lang, "audit-col-risk"),
            t!(lang, "audit-col-inherent"),
            t!(lang, "audit-col-residual"),
            t!(lang, "audit-col-mitigations"),
        ]);
        for r in &a.audit.risks {
            let tone = match score_level(r.residual) {
                Severity::Low => Tone::Good,
                Severity::Medium => Tone::Warn,
                Severity::High => Tone::Bad,
            };
            table.add_row(vec![
                out.cell(&r.title, Tone::Plain),
                out.cell(r.declared_text(), Tone::Plain),
                out.cell(r.residual_text(), tone),
                out.cell(r.mitigations_text(lang), Tone::Plain),
            ]);
        }
        print_table(&table);
    }
    println!();
    println!(
        "{}",
        t!(
            lang,
            "audit-summary",
            pass = a.audit.count(Verdict::Pass),
            fail = a.audit.count(Verdict::Fail),
            high = a.audit.findings.iter().filter(|f| f.blocking()).count()
        )
    );
}
