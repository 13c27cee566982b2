//! The trust rules where they need the disk: the folders under which a
//! client's plan may name local paths (DESIGN.md, "Trust model"). A path
//! is held against them after its symbolic links and `..` are resolved,
//! so neither can lead out of them.

use std::path::{Component, Path, PathBuf};

use rempart_core::plan::{Finding, Plan, SourceMap, trust};
use rempart_i18n::say;

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
    /// under one of the folders; why not otherwise, as a sentence of the
    /// catalogue (`say!`) that follows the path: "leads outside …".
    pub fn confine(&self, path: &str) -> Result<PathBuf, serde_json::Value> {
        let Some(base) = self.base() else {
            return Err(if self.missing.is_empty() {
                say!("plan-trust-no-roots")
            } else {
                say!(
                    "plan-trust-no-roots-missing",
                    missing = self.missing.join(", ")
                )
            });
        };
        let p = Path::new(path);
        if p.components().any(|c| c == Component::ParentDir) {
            return Err(say!("plan-trust-goes-up"));
        }
        let absolute = if p.is_absolute() {
            p.to_owned()
        } else {
            base.join(p)
        };
        let resolved = resolve(&absolute)?;
        if self.resolved.iter().any(|r| resolved.starts_with(r)) {
            Ok(resolved)
        } else {
            // Where it leads is not said: it would describe the server.
            let allowed: Vec<String> = self
                .resolved
                .iter()
                .map(|r| r.display().to_string())
                .collect();
            Err(say!(
                "plan-trust-leads-outside",
                folders = allowed.join(", ")
            ))
        }
    }
}

/// `path` with its symbolic links and `..` resolved: the longest part that
/// exists by the system, the rest (which cannot hold a link) by its names.
fn resolve(path: &Path) -> Result<PathBuf, serde_json::Value> {
    let mut existing = path;
    let mut rest: Vec<Component<'_>> = Vec::new();
    let canonical = loop {
        match std::fs::canonicalize(existing) {
            Ok(c) => break c,
            Err(_) if std::fs::symlink_metadata(existing).is_ok() => {
                return Err(say!("plan-trust-broken-link"));
            }
            Err(_) => {}
        }
        let (Some(parent), Some(name)) = (existing.parent(), existing.components().next_back())
        else {
            return Err(say!("plan-trust-unresolvable"));
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

/// Whether `roots` may be given to `tenant`: absolute folders, none the
/// root of the file system, none holding or inside the server's data dir
/// (its store, its master key) or another tenant's folders (`others`:
/// tenant, folder). Why not, otherwise.
pub fn check_roots(
    tenant: &str,
    roots: &[String],
    data_dir: &Path,
    others: &[(String, String)],
) -> Result<(), String> {
    let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_owned());
    let overlap = |a: &Path, b: &Path| a.starts_with(b) || b.starts_with(a);
    let data = real(data_dir);
    for root in roots {
        let p = Path::new(root);
        if !p.is_absolute() {
            return Err(format!("\"{root}\" is not an absolute path"));
        }
        if p.components().any(|c| c == Component::ParentDir) {
            return Err(format!("\"{root}\" goes up with `..`: write it without"));
        }
        let r = real(p);
        if r.parent().is_none() {
            return Err(format!("\"{root}\" is the whole file system"));
        }
        if overlap(&r, &data) {
            return Err(format!(
                "\"{root}\" holds or is inside the server's data dir ({}): its store and keys",
                data.display()
            ));
        }
        if let Some((other, folder)) = others
            .iter()
            .find(|(t, f)| t != tenant && overlap(&r, &real(Path::new(f))))
        {
            return Err(format!(
                "\"{root}\" overlaps tenant \"{other}\"'s folder {folder}"
            ));
        }
    }
    Ok(())
}

/// What a client's plan may not hold: commands, server secrets, S3 with
/// the server's credentials, paths outside the tenant's folders.
pub fn client_findings(plan: &Plan, spans: &SourceMap, roots: &Roots) -> Vec<Finding> {
    trust::client_findings(plan, spans, |u| match u {
        trust::LocalUse::Path(path) => roots.confine(path).map(|_| ()),
        // Literal addresses now; names when they are resolved, each time.
        trust::LocalUse::Reaches(target) => match crate::reach::host_of(target) {
            Some(host) => rempart_core::network::refused_literal_said(&host).map_or(Ok(()), Err),
            None => Ok(()),
        },
        _ => Ok(()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rempart_i18n::english;

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
        for outside in ["escape", "escape/x", "/etc/passwd"] {
            let e = english(&roots.confine(outside).unwrap_err());
            assert!(
                e.contains("outside") && !e.contains("other"),
                "{outside}: {e}"
            );
        }
        // `..` is refused outright: after a folder that does not exist yet
        // it could only be read by name, past links that do.
        for up in [
            "new/../data",
            "../other",
            "data/../../other",
            "n/../escape/x",
        ] {
            let e = english(&roots.confine(up).unwrap_err());
            assert!(e.contains(".."), "{up}: {e}");
        }
        let e = english(&roots.confine("broken/x").unwrap_err());
        assert!(e.contains("leads nowhere"), "{e}");
        let data = dir.join("data");
        let others = [("other".to_owned(), dir.join("other").display().to_string())];
        let ok = |r: &Path| check_roots("acme", &[r.display().to_string()], &data, &others);
        assert!(ok(&root).is_ok());
        for bad in [
            Path::new("/"),
            &dir,
            &data,
            &data.join("x"),
            &dir.join("other/sub"),
        ] {
            assert!(ok(bad).is_err(), "{}", bad.display());
        }
        let none = Roots::resolve(&[dir.join("absent").display().to_string()]);
        let e = english(&none.confine("/tmp").unwrap_err());
        assert!(e.contains("no folder") && e.contains("absent"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
