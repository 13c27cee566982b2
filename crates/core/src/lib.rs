//! Rempart's pure core: the continuity plan model, its parser and its
//! validation, and the evidence records with their hash chain (later: the
//! assessment of achieved RTO and RPO). Nothing here does I/O or runs async
//! code, so it is fast to test and safe to call from anywhere.

pub mod evidence;
pub mod plan;
