//! Secrets given by reference in the plan: read at the moment they are
//! needed, never logged, never put in an error message.

use std::path::{Path, PathBuf};

use rempart_core::plan::SecretRef;

use crate::BackupError;

/// A path from the plan: absolute, or relative to the plan file's folder.
pub fn plan_path(base: &Path, path: &str) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() {
        p.to_owned()
    } else {
        base.join(p)
    }
}

/// The secret's value. `what` names it in errors ("repository \"nas\" password").
pub fn resolve(secret: &SecretRef, base: &Path, what: &str) -> Result<String, BackupError> {
    let value = match secret {
        SecretRef::Env { env } => std::env::var(env).map_err(|_| BackupError::Secret {
            what: what.to_owned(),
            why: format!("the environment variable {env} is not set"),
        })?,
        SecretRef::File { file } => {
            let path = plan_path(base, file);
            std::fs::read_to_string(&path).map_err(|e| BackupError::Secret {
                what: what.to_owned(),
                why: format!("cannot read {}: {e}", path.display()),
            })?
        }
    };
    // A file written by an editor ends with a newline that is not part of the secret.
    let value = value.trim_end_matches(['\n', '\r']).to_owned();
    if value.is_empty() {
        return Err(BackupError::Secret {
            what: what.to_owned(),
            why: "it is empty".into(),
        });
    }
    Ok(value)
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
        assert_eq!(resolve(&r, &dir, "password").unwrap(), "s3cret");
        std::fs::write(dir.join("secrets/empty"), "\n").unwrap();
        let empty = SecretRef::File {
            file: "secrets/empty".into(),
        };
        let e = resolve(&empty, &dir, "repository \"nas\" password").unwrap_err();
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
        let e = resolve(&r, Path::new("/"), "password").unwrap_err();
        assert!(
            e.to_string()
                .contains("REMPART_TEST_SURELY_UNSET_VARIABLE is not set")
        );
    }
}
