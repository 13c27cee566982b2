//! Rempart's documents: the PRA, the PCA, the monthly SLA report, a
//! drill's report, the compliance audit and a crisis' post-incident
//! report; and the offline crisis kit ([`kit`]). Their content ([`doc`]) is
//! built from the plan, the evidence and the assessment as of the
//! evidence head, then rendered to Markdown, HTML or PDF ([`render`]).
//! Every document names the evidence head it was made from, and its
//! SHA-256 is kept as a `report` record: anyone can later prove which
//! evidence a document stood on.

mod audit_doc;
mod charts;
mod common;
mod crisis_doc;
pub mod doc;
mod drill_doc;
pub mod kit;
mod kit_job;
mod pca;
mod pra;
pub mod render;
mod sla;
mod sla_job;
mod words;

use std::collections::BTreeMap;

use chrono_tz::Tz;
use rempart_core::evidence::{Evidence, EvidenceKind, NewEvidence, Outcome};
use rempart_core::plan::Plan;
use rempart_engine::audit::Audited;
use rempart_i18n::{Lang, say, t};
use rempart_store::{EvidenceQuery, StoreError, TenantScope};
use serde_json::json;
use sha2::{Digest, Sha256};

pub use charts::heat_map;
pub use kit::{Kit, KitError, WrittenKit};
pub use kit_job::{CrisisKitJob, kit_dir};
pub use pra::{restic_commands, shell_quote};
pub use render::Format;
pub use sla_job::SlaReportJob;
pub use words::Words;

use doc::{Document, Labels};

/// The documents Rempart writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Disaster-recovery plan (plan de reprise d'activité).
    Pra,
    /// Business-continuity plan (plan de continuité d'activité).
    Pca,
    /// The month's service report for the client.
    Sla,
    /// The report of one drill run.
    Drill,
    /// Compliance audit.
    Audit,
    /// A crisis' post-incident report (retour d'expérience).
    Crisis,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Pra,
        Kind::Pca,
        Kind::Sla,
        Kind::Drill,
        Kind::Audit,
        Kind::Crisis,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Pra => "pra",
            Kind::Pca => "pca",
            Kind::Sla => "sla",
            Kind::Drill => "drill",
            Kind::Audit => "audit",
            Kind::Crisis => "crisis",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    pub fn title(self, lang: Lang) -> String {
        match self {
            Kind::Pra => t!(lang, "report-title-pra"),
            Kind::Pca => t!(lang, "report-title-pca"),
            Kind::Sla => t!(lang, "report-title-sla"),
            Kind::Drill => t!(lang, "report-title-drill"),
            Kind::Audit => t!(lang, "report-title-audit"),
            Kind::Crisis => t!(lang, "report-title-crisis"),
        }
    }
}

/// Why a document could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Render(#[from] render::RenderError),
    /// A request that names nothing real (a month that is not one, a
    /// drill run that does not exist): the message says what and how.
    #[error("{0}")]
    Usage(String),
    /// The engine could not read what the document needs (a crisis, its
    /// timeline): the message says what failed.
    #[error("{0}")]
    Engine(String),
}

/// Which document, and for what: the month of an SLA report
/// (`YYYY-MM`, default the current one), the run of a drill report
/// (default the latest), the crisis of a post-incident report (default
/// the newest, open or closed).
#[derive(Debug, Clone)]
pub struct Wanted {
    pub kind: Kind,
    pub month: Option<String>,
    pub run: Option<String>,
    pub crisis: Option<String>,
}

/// Everything a document is made from, read once.
pub struct Sources {
    pub tenant: String,
    pub plan: Plan,
    pub words: Words,
    /// The newest record that is not itself a `report`: what the
    /// document stands on (`None`: the log is empty).
    pub head: Option<Evidence>,
    /// The time figures are computed at: the head's.
    pub as_of_ms: i64,
    pub audited: Audited,
    /// Repository id → the repository as restic names it (local paths
    /// resolved against the plan's folder, `s3:ENDPOINT/BUCKET/PREFIX`).
    pub locations: BTreeMap<String, String>,
    /// The folder the plan's relative paths (password files) start from.
    pub base: Option<std::path::PathBuf>,
    /// What the SLA report reads (its month's uptime and outages).
    pub sla: Option<sla::SlaData>,
    /// The drill run a drill report is about, with its steps' records.
    pub drill: Option<drill_doc::DrillData>,
    /// The crisis a post-incident report is about, with its timeline.
    pub crisis: Option<crisis_doc::CrisisData>,
}

impl Sources {
    /// A path of the plan as it is on this machine.
    pub fn path(&self, path: &str) -> String {
        match &self.base {
            Some(base) if !std::path::Path::new(path).is_absolute() => {
                base.join(path).display().to_string()
            }
            _ => path.to_owned(),
        }
    }
}

/// The newest record of `tenant` that is not a `report`.
async fn document_head(tenant: &TenantScope) -> Result<Option<Evidence>, StoreError> {
    let mut upto = tenant.evidence_head().await?;
    // Reports come in small runs at the end of the log: look back in pages.
    while upto > 0 {
        let from = (upto - 200).max(0);
        let page = tenant
            .evidence(&EvidenceQuery {
                after_seq: Some(from),
                limit: 200,
                ..EvidenceQuery::default()
            })
            .await?;
        if let Some(e) = page
            .into_iter()
            .filter(|e| e.seq <= upto && e.record.kind != EvidenceKind::Report)
            .max_by_key(|e| e.seq)
        {
            return Ok(Some(e));
        }
        upto = from;
    }
    Ok(None)
}

/// Where restic finds each repository of `plan`; `resolve` turns a local
/// path of the plan into the path on this machine.
pub fn locations(plan: &Plan, resolve: impl Fn(&str) -> String) -> BTreeMap<String, String> {
    use rempart_core::plan::Location;
    plan.repositories
        .iter()
        .map(|r| {
            let at = match &r.location {
                Location::Local(path) => resolve(path),
                Location::S3 { bucket, prefix } => {
                    let endpoint = r.endpoint.clone().unwrap_or_else(|| {
                        format!(
                            "https://s3.{}.amazonaws.com",
                            r.region.as_deref().unwrap_or("us-east-1")
                        )
                    });
                    let endpoint = endpoint.trim_end_matches('/');
                    if prefix.is_empty() {
                        format!("s3:{endpoint}/{bucket}")
                    } else {
                        format!("s3:{endpoint}/{bucket}/{prefix}")
                    }
                }
            };
            (r.id.to_string(), at)
        })
        .collect()
}

/// Reads what documents of `tenant` are made from.
pub async fn gather(
    tenant: &TenantScope,
    plan: &Plan,
    wanted: &Wanted,
    lang: Lang,
    locations: BTreeMap<String, String>,
    base: Option<std::path::PathBuf>,
    now_ms: i64,
) -> Result<Sources, ReportError> {
    let head = document_head(tenant).await?;
    // Nothing recorded yet: the document is dated now (it measures nothing).
    let as_of_ms = head.as_ref().map_or(now_ms, |h| h.recorded_ms);
    let upto = head.as_ref().map_or(0, |h| h.seq);
    let audited = rempart_engine::audit::run_upto(tenant, plan, as_of_ms, upto).await?;
    let zone: Tz = plan.organization.timezone.parse().unwrap_or(Tz::UTC);
    let sla = match wanted.kind {
        Kind::Sla => Some(sla::gather(tenant, plan, wanted.month.as_deref(), as_of_ms).await?),
        _ => None,
    };
    let drill = match wanted.kind {
        Kind::Drill => Some(drill_doc::gather(tenant, plan, wanted.run.as_deref(), upto).await?),
        _ => None,
    };
    let crisis = match wanted.kind {
        Kind::Crisis => Some(crisis_doc::gather(tenant, plan, wanted.crisis.as_deref()).await?),
        _ => None,
    };
    Ok(Sources {
        tenant: tenant.id().to_owned(),
        plan: plan.clone(),
        words: Words { lang, zone },
        head,
        as_of_ms,
        audited,
        locations,
        base,
        sla,
        drill,
        crisis,
    })
}

/// The document `kind` of `s`, in its language.
pub fn build(kind: Kind, s: &Sources) -> Document {
    let w = &s.words;
    let lang = w.lang;
    let title = kind.title(lang);
    let mut facts = vec![
        (
            t!(lang, "report-organization"),
            s.plan.organization.name.clone(),
        ),
        (t!(lang, "report-tenant"), s.tenant.clone()),
    ];
    if let Some(period) = sla::period_fact(s) {
        facts.insert(1, period);
    }
    if let Some(about) = crisis_doc::crisis_fact(s) {
        facts.insert(1, about);
    }
    match &s.head {
        Some(h) => {
            facts.push((t!(lang, "report-as-of"), w.time(h.recorded_ms)));
            facts.push((
                t!(lang, "report-head"),
                format!("#{} · {}", h.seq, &h.hash[..h.hash.len().min(16)]),
            ));
        }
        None => facts.push((t!(lang, "report-head"), t!(lang, "report-no-evidence"))),
    }
    let mut sections = match kind {
        Kind::Pra => pra::sections(s),
        Kind::Pca => pca::sections(s),
        Kind::Sla => sla::sections(s),
        Kind::Drill => drill_doc::sections(s),
        Kind::Audit => audit_doc::sections(s),
        Kind::Crisis => crisis_doc::sections(s),
    };
    capitalise_headers(&mut sections);
    Document {
        lang: lang.code().to_owned(),
        kind: kind.as_str().to_owned(),
        footer: format!(
            "{} · {} · #{}",
            s.plan.organization.name,
            title,
            s.head.as_ref().map_or(0, |h| h.seq)
        ),
        title,
        subtitle: s.plan.organization.name.clone(),
        facts,
        mark: match kind {
            Kind::Crisis => crisis_doc::mark(s),
            _ => None,
        },
        created_ms: s.as_of_ms,
        labels: Labels {
            contents: t!(lang, "report-contents"),
            page: t!(lang, "report-page"),
        },
        sections,
    }
}

/// A document made and kept.
pub struct Made {
    pub bytes: Vec<u8>,
    /// SHA-256 of `bytes`, in hex.
    pub sha256: String,
    /// `pra-demo-812.pdf`.
    pub file_name: String,
    pub format: Format,
    /// The `report` record that keeps its digest.
    pub evidence: Evidence,
}

/// Builds, renders and records document `kind`: its SHA-256 goes into a
/// `report` record with the evidence head it was made from.
pub async fn make(
    tenant: &TenantScope,
    s: &Sources,
    kind: Kind,
    format: Format,
    by: &str,
    now_ms: i64,
) -> Result<Made, ReportError> {
    let document = build(kind, s);
    let bytes = render::render(&document, format)?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let head_seq = s.head.as_ref().map_or(0, |h| h.seq);
    let head_hash = s.head.as_ref().map(|h| h.hash.clone());
    let mut measurements = json!({
        "kind": kind.as_str(),
        "format": format.extension(),
        "lang": s.words.lang.code(),
        "sha256": sha256,
        "bytes": bytes.len(),
        "head_seq": head_seq,
        "head_hash": head_hash,
        "by": by,
        "say": say!("report-recorded", kind = kind.as_str(), head = head_seq),
    });
    // The month an SLA report is about: what its monthly e-mail is keyed by.
    if let (Kind::Sla, Some(data)) = (kind, &s.sla) {
        measurements["month"] = json!(data.month);
    }
    // The crisis a post-incident report is about.
    if let (Kind::Crisis, Some(data)) = (kind, &s.crisis) {
        measurements["crisis"] = json!(data.crisis.id);
    }
    let evidence = tenant
        .append(NewEvidence {
            kind: EvidenceKind::Report,
            subject: kind.as_str().to_owned(),
            started_ms: now_ms,
            finished_ms: now_ms,
            outcome: Outcome::Success,
            measurements,
            message: format!("{} made from evidence #{head_seq}", kind.as_str()),
            job_run: None,
        })
        .await?;
    Ok(Made {
        file_name: format!(
            "{}-{}-{head_seq}.{}",
            kind.as_str(),
            s.tenant,
            format.extension()
        ),
        bytes,
        sha256,
        format,
        evidence,
    })
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Column headers start with a capital (some words are shared with the
/// command line, whose table headers are lower case).
fn capitalise_headers(sections: &mut [doc::Section]) {
    for section in sections {
        for block in &mut section.blocks {
            if let doc::Block::Table { columns, .. } = block {
                for c in columns.iter_mut() {
                    let mut chars = c.chars();
                    if let Some(first) = chars.next() {
                        *c = first.to_uppercase().chain(chars).collect();
                    }
                }
            }
        }
        capitalise_headers(&mut section.subsections);
    }
}

/// Gathers, builds, renders and records a document in one call, for the
/// command line, the portal and the API alike: `base` is the folder the
/// plan's relative paths start from.
#[allow(clippy::too_many_arguments)]
pub async fn produce(
    tenant: &TenantScope,
    plan: &Plan,
    base: &std::path::Path,
    wanted: &Wanted,
    lang: Lang,
    format: Format,
    by: &str,
    now_ms: i64,
) -> Result<(Sources, Made), ReportError> {
    let resolve = |p: &str| {
        let path = std::path::Path::new(p);
        if path.is_absolute() {
            p.to_owned()
        } else {
            base.join(path).display().to_string()
        }
    };
    let sources = gather(
        tenant,
        plan,
        wanted,
        lang,
        locations(plan, resolve),
        Some(base.to_owned()),
        now_ms,
    )
    .await?;
    let made = make(tenant, &sources, wanted.kind, format, by, now_ms).await?;
    Ok((sources, made))
}
