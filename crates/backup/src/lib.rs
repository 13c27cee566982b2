//! Rempart's backup engine: restic-format repositories (through
//! `rustic_core`), so Debian's `restic` can always list and restore what
//! Rempart writes.
//!
//! Everything here is synchronous, like rustic; the OpenDAL backend starts
//! its own tokio runtime, so async callers must use `spawn_blocking`.
//!
//! - [`repository`]: open or initialise a plan repository (local or S3);
//! - [`run`]: back up a plan backup to its first target, then copy the
//!   snapshot to the other targets;
//! - [`restore`]: restore a backup from the first site that can serve it.

pub mod adopt;
pub mod immutable;
mod prewalk;
pub mod progress;
pub mod repair;
pub mod repository;
pub mod restore;
pub mod retention;
pub mod run;
pub mod secrets;
pub mod snapshots;
pub mod stop;
mod stream;
pub mod transfer;
pub mod verify;
pub mod watched;

/// What can go wrong, naming the repository, backup or path involved.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("cannot get the {what}: {why}")]
    Secret { what: String, why: String },
    #[error("wrong password for repository \"{repo}\" ({location}): nothing was written")]
    WrongPassword { repo: String, location: String },
    #[error(
        "repository \"{repo}\" ({location}) is not initialised: run `rempart repo init {repo}`"
    )]
    NotInitialised { repo: String, location: String },
    #[error("repository \"{repo}\" ({location}): {}", sentence(source))]
    Repository {
        repo: String,
        location: String,
        #[source]
        source: Box<rustic_core::RusticError>,
    },
    #[error("the plan has no {what} \"{id}\"")]
    NotInPlan { what: &'static str, id: String },
    #[error("backup \"{backup}\": source path {path} does not exist; no snapshot was recorded")]
    MissingSource { backup: String, path: String },
    #[error("backup \"{backup}\": the command `{command}` {why}; no snapshot was recorded")]
    CommandFailed {
        backup: String,
        command: String,
        why: String,
    },
    #[error("backup \"{backup}\": {why}")]
    Source { backup: String, why: String },
    #[error("no site could restore backup \"{backup}\": {why}")]
    NothingToRestore { backup: String, why: String },
    /// The restore's destination refused a write (the disk is full, the
    /// folder read-only): the repository is not to blame.
    #[error("cannot restore into {path}: {why}")]
    Destination { path: String, why: String },
    /// An option given to the engine is not one it takes.
    #[error("{0}")]
    Usage(String),
    /// Stopped from outside (timeout, shutdown, lease lost, Ctrl-C).
    #[error("stopped before finishing: {why}; nothing of it was kept as a good snapshot")]
    Stopped { why: String },
}

pub type Result<T, E = BackupError> = std::result::Result<T, E>;

/// One of rustic's errors as one sentence: what failed and its causes,
/// without rustic's report layout (headings, a context dump, a backtrace,
/// "please report"), which must never reach a user or the evidence.
pub fn sentence(e: &rustic_core::RusticError) -> String {
    let log = e.display_log();
    let body = log.strip_prefix("Error: ").unwrap_or(&log);
    let (what, rest) = match body.find(" (kind: related to ") {
        Some(at) => {
            let close = body[at..].find(')').map_or(body.len(), |i| at + i + 1);
            (&body[..at], &body[close..])
        }
        None => (body, ""),
    };
    let cause = rest
        .strip_prefix(": caused by: ")
        .unwrap_or(rest)
        .replace(" : (source: ", ": ");
    let cause = match cause.strip_suffix(')') {
        Some(c) if rest.contains(" : (source: ") => c.to_owned(),
        _ => cause,
    };
    let what = what.trim_end_matches('.').trim();
    let text = if cause.trim().is_empty() {
        what.to_owned()
    } else {
        format!("{what}: {}", cause.trim())
    };
    text.lines().map(str::trim).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rustic_errors_read_as_one_sentence() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "Permission denied");
        let e = rustic_core::RusticError::with_source(
            rustic_core::ErrorKind::InputOutput,
            "Failed to create the directory `{path}`.",
            io,
        )
        .attach_context("path", "/srv/x")
        .attach_context("other", "detail")
        .ask_report();
        let said = sentence(&e);
        assert_eq!(
            said,
            "Failed to create the directory `/srv/x`: Permission denied"
        );
        let full = BackupError::Repository {
            repo: "nas".into(),
            location: "/srv/repo".into(),
            source: e,
        }
        .to_string();
        assert_eq!(full.lines().count(), 1, "{full}");
        for noise in ["rustic_core", "Backtrace", "report", "Context", "kind:"] {
            assert!(!full.contains(noise), "{noise}: {full}");
        }
    }
}
