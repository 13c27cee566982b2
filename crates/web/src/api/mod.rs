//! `/api/v1`: one file per resource, as the paths go.

pub mod crisis;
pub mod drills;
pub mod evidence;
pub mod jobs;
pub mod maintenance;
pub mod plan;
pub mod reports;
pub mod secrets;
pub mod status;
pub mod tenants;
