//! The trust rules where they need the disk: the folders under which a
//! client's plan may name local paths (DESIGN.md, "Trust model"). A path
//! is held against them after its symbolic links and `..` are resolved,
//! so neither can lead out of them.

use std::path::{Component, Path, PathBuf};

use rempart_core::plan::{Finding, Plan, SourceMap, trust};

/// A tenant's allowed folders, resolved on this server.
#[derive(Debug, Clone, Default)]
pub struct Roots {
    /// Each existing folder, canonical, in the MSP's order.
    resolved: Vec<PathBuf>,
    /// Folders the MSP allowed that are not there (or not folders).
    missing: Vec<String>,
}

impl Roots {
    pub fn resolve(roots: &[String]) -> Roots {
        let mut out = Roots::default();
        for r in roots {
            match std::fs::canonicalize(r) {
                Ok(p) if p.is_dir() => out.resolved.push(p),
                _ => out.missing.push(r.clone()),
            }
        }
        out
    }

    /// The folder a client's relative paths start from: the first one.
    pub fn base(&self) -> Option<PathBuf> {
        self.resolved.first().cloned()
    }

    /// `path` (relative paths from [`Roots::base`]) resolved, when it lies
    /// under one of the folders; why not otherwise.
    pub fn confine(&self, path: &str) -> Result<PathBuf, String> {
        let Some(base) = self.base() else {
            let missing = if self.missing.is_empty() {
                String::new()
            } else {
                format!(" ({} is not there)", self.missing.join(", "))
            };
            return Err(format!(
                "is a path on the MSP's server, and no folder there is allowed for this organisation{missing}"
            ));
        };
        let p = Path::new(path);
        let absolute = if p.is_absolute() {
            p.to_owned()
        } else {
            base.join(p)
        };
        let resolved = resolve(&absolute)?;
        if self.resolved.iter().any(|r| resolved.starts_with(r)) {
            Ok(resolved)
        } else {
            let allowed: Vec<String> = self
                .resolved
                .iter()
                .map(|r| r.display().to_string())
                .collect();
            Err(format!(
                "leads to {}, outside the folders allowed for this organisation ({})",
                resolved.display(),
                allowed.join(", ")
            ))
        }
    }
}

/// `path` with its symbolic links and `..` resolved: the longest part that
/// exists by the system, the rest (which cannot hold a link) by its names.
fn resolve(path: &Path) -> Result<PathBuf, String> {
    let mut existing = path;
    let mut rest: Vec<Component<'_>> = Vec::new();
    let canonical = loop {
        match std::fs::canonicalize(existing) {
            Ok(c) => break c,
            Err(_) if std::fs::symlink_metadata(existing).is_ok() => {
                return Err(format!(
                    "goes through {}, a symbolic link that leads nowhere",
                    existing.display()
                ));
            }
            Err(_) => {}
        }
        let (Some(parent), Some(name)) = (existing.parent(), existing.components().next_back())
        else {
            return Err("cannot be resolved".into());
        };
        rest.push(name);
        existing = parent;
    };
    let mut out = canonical;
    for c in rest.into_iter().rev() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => out.push(name),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    Ok(out)
}

/// What a client's plan may not hold: commands, server secrets, S3 with
/// the server's credentials, paths outside the tenant's folders.
pub fn client_findings(plan: &Plan, spans: &SourceMap, roots: &Roots) -> Vec<Finding> {
    trust::client_findings(plan, spans, |path| roots.confine(path).map(|_| ()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_dots_cannot_lead_out_of_a_root() {
        let dir = std::env::temp_dir().join(format!("rempart-roots-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let root = dir.join("client");
        std::fs::create_dir_all(root.join("data")).unwrap();
        std::fs::create_dir_all(dir.join("other")).unwrap();
        std::os::unix::fs::symlink(dir.join("other"), root.join("escape")).unwrap();
        std::os::unix::fs::symlink(dir.join("nowhere"), root.join("broken")).unwrap();
        let roots = Roots::resolve(&[root.display().to_string()]);
        let canonical_root = std::fs::canonicalize(&root).unwrap();
        assert_eq!(roots.confine("data").unwrap(), canonical_root.join("data"));
        assert_eq!(
            roots.confine("data/new/deeper").unwrap(),
            canonical_root.join("data/new/deeper")
        );
        assert_eq!(
            roots.confine("new/../data").unwrap(),
            canonical_root.join("data")
        );
        for outside in [
            "../other",
            "escape",
            "escape/x",
            "data/../../other",
            "new/../../other",
            "/etc/passwd",
        ] {
            let e = roots.confine(outside).unwrap_err();
            assert!(e.contains("outside"), "{outside}: {e}");
        }
        let e = roots.confine("broken/x").unwrap_err();
        assert!(e.contains("leads nowhere"), "{e}");
        let none = Roots::resolve(&[dir.join("absent").display().to_string()]);
        let e = none.confine("/tmp").unwrap_err();
        assert!(e.contains("no folder") && e.contains("absent"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
