//! Secrets given by reference in the plan: read at the moment they are
//! needed, never logged, never put in an error message.

use std::path::{Path, PathBuf};

use rempart_core::plan::SecretRef;
use rempart_core::secrets::{Scrubber, SecretValues};
use rempart_i18n::say;

use crate::BackupError;
use crate::stop::Stop;

/// A path from the plan: absolute, or relative to the plan file's folder.
pub fn plan_path(base: &Path, path: &str) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() {
        p.to_owned()
    } else {
        base.join(p)
    }
}

/// Environment variables that hold the server's own secrets (URLs with a
/// password are scrubbed by their shape).
const SERVER_SECRET_VARS: [&str; 3] = [
    "REMPART_MASTER_KEY",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
];

/// How one tenant's plan reads its secrets and paths on this server.
#[derive(Debug, Clone)]
pub struct Resolver {
    /// The folder relative paths start from.
    pub base: PathBuf,
    /// The tenant's stored secrets, opened.
    pub stored: SecretValues,
    /// Whether `{ env }` and `{ file }` secrets may be read: the MSP's
    /// plans only (a client's plan is refused when it holds one, and
    /// checked again here).
    pub server_secrets: bool,
    /// When the work using the plan must stop (a timeout, a shutdown).
    pub stop: Stop,
    /// Every secret value resolved so far, to scrub from what leaves the job.
    pub scrubber: Scrubber,
}

impl Resolver {
    /// For a plan of the MSP's: every kind of secret, paths from `base`.
    pub fn msp(base: &Path) -> Resolver {
        let scrubber = Scrubber::default();
        // The server's own secrets, should a command print its environment.
        for var in SERVER_SECRET_VARS {
            if let Ok(value) = std::env::var(var) {
                scrubber.add(&value);
            }
        }
        Resolver {
            base: base.to_owned(),
            stored: SecretValues::default(),
            server_secrets: true,
            stop: Stop::never(),
            scrubber,
        }
    }

    /// With the tenant's stored secrets (each one scrubbed from output).
    #[must_use]
    pub fn with_stored(mut self, stored: SecretValues) -> Resolver {
        for (_, value) in stored.iter() {
            self.scrubber.add(value);
        }
        self.stored = stored;
        self
    }

    /// Learns the value of every secret `plan` names that resolves here,
    /// so that none can leave the job, even one the job never asked for
    /// (a command printing an environment variable).
    pub fn learn(&self, plan: &rempart_core::plan::Plan) {
        for secret in plan.secret_refs() {
            let _ = self.resolve(secret, "a secret");
        }
    }

    /// A path of the plan on this server.
    pub fn path(&self, path: &str) -> PathBuf {
        plan_path(&self.base, path)
    }

    /// The secret's value. `what` names it in errors ("repository \"nas\" password").
    pub fn resolve(&self, secret: &SecretRef, what: &str) -> Result<String, BackupError> {
        self.read(secret).map_err(|why| BackupError::Secret {
            what: what.to_owned(),
            why: rempart_i18n::english(&why),
        })
    }

    /// The secret's value, or why not, as a sentence of the catalogue
    /// (`say!`).
    fn read(&self, secret: &SecretRef) -> Result<String, serde_json::Value> {
        let value = match secret {
            SecretRef::Secret { secret } => self
                .stored
                .get(secret)
                .map(str::to_owned)
                .ok_or_else(|| say!("plan-resolve-no-stored-secret", secret = secret))?,
            SecretRef::Env { .. } | SecretRef::File { .. } if !self.server_secrets => {
                return Err(say!("plan-resolve-client-server-secret"));
            }
            SecretRef::Env { env } => {
                std::env::var(env).map_err(|_| say!("plan-resolve-env-unset", env = env))?
            }
            SecretRef::File { file } => {
                let path = self.path(file);
                std::fs::read_to_string(&path).map_err(|e| {
                    say!(
                        "plan-resolve-file-unreadable",
                        path = path.display().to_string(),
                        error = e.to_string()
                    )
                })?
            }
        };
        // A file written by an editor ends with a newline that is not part of the secret.
        let value = value.trim_end_matches(['\n', '\r']).to_owned();
        if value.is_empty() {
            return Err(say!("plan-resolve-secret-empty"));
        }
        self.scrubber.add(&value);
        Ok(value)
    }
}

/// Something the plan names that this server cannot find: a secret that
/// does not resolve, a path that does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    /// Plan path of the field: `repository[0].password`.
    pub path: String,
    /// `secret-unresolved`, `repository-missing` (a local repository's
    /// folder) or `path-missing`.
    pub code: &'static str,
    /// What is wrong, as a sentence of the catalogue (`say!`).
    pub message: serde_json::Value,
    /// How to fix it, as a sentence of the catalogue.
    pub hint: Option<serde_json::Value>,
}

impl Resolver {
    /// Every secret of `plan` that does not resolve here, and every source
    /// path, local repository folder and CA file that does not exist: what
    /// would make a backup, a drill or an alert fail later.
    pub fn unresolved(&self, plan: &rempart_core::plan::Plan) -> Vec<Unresolved> {
        use rempart_core::plan::trust::LocalUse;
        let mut out = Vec::new();
        for u in plan.secret_uses() {
            if let Err(why) = self.read(u.secret) {
                let hint = match u.secret {
                    SecretRef::Secret { secret } => {
                        say!("plan-resolve-secret-set-hint", secret = secret)
                    }
                    SecretRef::Env { env } => say!("plan-resolve-env-hint", env = env),
                    SecretRef::File { .. } => say!("plan-resolve-file-hint"),
                };
                out.push(Unresolved {
                    path: u.path,
                    code: "secret-unresolved",
                    message: say!("plan-resolve-secret", what = u.what, why = why),
                    hint: Some(hint),
                });
            }
        }
        for u in plan.local_uses() {
            let LocalUse::Path(path) = u.kind else {
                continue;
            };
            let on_disk = self.path(path);
            if on_disk.exists() {
                continue;
            }
            // A repository's folder is made by `repo init`, named by its id.
            let repository = u
                .path
                .strip_prefix("repository[")
                .and_then(|rest| rest.split(']').next())
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| plan.repositories.get(i));
            out.push(match repository {
                Some(r) => Unresolved {
                    message: say!(
                        "plan-resolve-repository-no-folder",
                        id = r.id.as_str(),
                        path = on_disk.display().to_string()
                    ),
                    hint: Some(say!("plan-resolve-repo-init-hint", id = r.id.as_str())),
                    path: u.path,
                    code: "repository-missing",
                },
                None => Unresolved {
                    message: say!(
                        "plan-resolve-path-missing",
                        what = u.what,
                        path = on_disk.display().to_string()
                    ),
                    hint: Some(say!("plan-resolve-path-missing-hint")),
                    path: u.path,
                    code: "path-missing",
                },
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_read_relative_to_the_plan_and_trimmed() {
        let dir = std::env::temp_dir().join(format!("rempart-secret-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("secrets")).unwrap();
        std::fs::write(dir.join("secrets/nas.password"), "s3cret\n").unwrap();
        let r = SecretRef::File {
            file: "secrets/nas.password".into(),
        };
        let env = Resolver::msp(&dir);
        assert_eq!(env.resolve(&r, "password").unwrap(), "s3cret");
        std::fs::write(dir.join("secrets/empty"), "\n").unwrap();
        let empty = SecretRef::File {
            file: "secrets/empty".into(),
        };
        let e = env
            .resolve(&empty, "repository \"nas\" password")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot get the repository \"nas\" password: it is empty"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_missing_variable_is_named_but_no_value_is_shown() {
        let r = SecretRef::Env {
            env: "REMPART_TEST_SURELY_UNSET_VARIABLE".into(),
        };
        let e = Resolver::msp(Path::new("/"))
            .resolve(&r, "password")
            .unwrap_err();
        assert!(
            e.to_string()
                .contains("REMPART_TEST_SURELY_UNSET_VARIABLE is not set")
        );
    }

    #[test]
    fn a_client_plan_reads_only_its_stored_secrets() {
        let mut client = Resolver::msp(Path::new("/")).with_stored(SecretValues::from_pairs([(
            "nas".to_owned(),
            "pw".to_owned().into(),
        )]));
        client.server_secrets = false;
        let stored = SecretRef::Secret {
            secret: "nas".into(),
        };
        assert_eq!(client.resolve(&stored, "password").unwrap(), "pw");
        let missing = SecretRef::Secret {
            secret: "other".into(),
        };
        let e = client.resolve(&missing, "password").unwrap_err();
        assert!(e.to_string().contains("rempart secret set other"), "{e}");
        let env = SecretRef::Env { env: "HOME".into() };
        let e = client.resolve(&env, "password").unwrap_err();
        assert!(e.to_string().contains("may not read"), "{e}");
    }
}
