//! The monthly service report (kind `sla`): to be written (helper).

use rempart_core::plan::Plan;
use rempart_store::TenantScope;

use crate::doc::Section;
use crate::{ReportError, Sources};

/// What the SLA report reads.
pub struct SlaData {
    /// `2026-11`.
    pub month: String,
    pub from_ms: i64,
    pub to_ms: i64,
}

pub async fn gather(
    _tenant: &TenantScope,
    _plan: &Plan,
    _month: Option<&str>,
    _as_of_ms: i64,
) -> Result<SlaData, ReportError> {
    Err(ReportError::Usage(
        "the sla report is not written yet".into(),
    ))
}

pub fn sections(s: &Sources) -> Vec<Section> {
    vec![crate::common::evidence_section(s)]
}
