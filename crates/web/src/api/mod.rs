//! `/api/v1`: one file per resource, as the paths go.

pub mod evidence;
pub mod jobs;
pub mod plan;
pub mod tenants;
