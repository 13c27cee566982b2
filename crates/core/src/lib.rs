//! Rempart's pure core: the continuity plan model, its parser and its
//! validation (later: evidence types and the assessment of achieved RTO and
//! RPO). Nothing here does I/O or runs async code, so it is fast to test
//! and safe to call from anywhere.

pub mod plan;
