//! Rempart's pure core: the continuity plan model, its parser and its
//! validation, the evidence records with their hash chain, and the
//! assessment of achieved RTO and RPO per process. Nothing here does I/O
//! or runs async code, so it is fast to test and safe to call from
//! anywhere.

pub mod assessment;
pub mod audit;
pub mod charts;
pub mod crisis;
pub mod evidence;
pub mod monitoring;
pub mod network;
pub mod plan;
pub mod secrets;
pub mod sla;
