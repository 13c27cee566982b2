//! The offline crisis kit: a folder that still works when Rempart's own
//! server is gone, opened from a phone, a laptop or a USB stick.
//!
//! - `index.html`: one static page (inline styles, no script, nothing
//!   fetched) with the crisis cell and its phones, the call order, the
//!   first-hour checklist, each scenario's runbook, the message
//!   templates, the regulatory deadlines, and how to restore every
//!   backup with `restic` alone (the PRA's commands);
//! - `pra.html`, `pra.pdf`: the disaster-recovery plan;
//! - `restore.md`: the PRA's restore section, to paste into a terminal;
//! - `contacts.vcf`: the cell as vCard 3.0, to import into a phone;
//! - `manifest.json`: each file's SHA-256 and the evidence head.
//!
//! No file holds a secret: the kit says where each password is kept,
//! never the password. Like the documents, a kit stands on the evidence
//! head and the same evidence gives the same bytes; the manifest's
//! SHA-256 is kept as a `report` record (kind `kit`). A kit replaces the
//! previous one in its folder atomically.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rempart_core::crisis::cell_roles;
use rempart_core::evidence::{Evidence, EvidenceKind, NewEvidence, Outcome};
use rempart_core::plan::{Plan, StepAction};
use rempart_i18n::{Lang, say, t};
use rempart_store::TenantScope;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::doc::{Block, Cell, Document, Section, Tone};
use crate::render::{self, Format};
use crate::{Kind, ReportError, Sources, Wanted, pra};

/// The manifest's file name: the one file a kit folder always has.
pub const MANIFEST: &str = "manifest.json";

/// A kit, made and not written yet: its files in order, the manifest last.
pub struct Kit {
    pub files: Vec<(&'static str, Vec<u8>)>,
}

impl Kit {
    pub fn manifest(&self) -> &[u8] {
        self.files
            .iter()
            .find(|(name, _)| *name == MANIFEST)
            .map_or(&[], |(_, bytes)| bytes.as_slice())
    }

    /// SHA-256 of the manifest, in hex: what the `report` record keeps.
    pub fn digest(&self) -> String {
        crate::hex(&Sha256::digest(self.manifest()))
    }
}

/// A kit written to its folder and recorded.
pub struct WrittenKit {
    pub dir: PathBuf,
    /// Each file's name, size and SHA-256.
    pub files: Vec<(String, usize, String)>,
    /// SHA-256 of `manifest.json`.
    pub sha256: String,
    /// The record it stands on (0: the log is empty).
    pub head_seq: i64,
    /// The `report` record that keeps the manifest's digest.
    pub evidence: Evidence,
}

/// Why a kit could not be made or written.
#[derive(Debug, thiserror::Error)]
pub enum KitError {
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error("cannot write the crisis kit to {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The folder exists and holds something else: it is never replaced.
    #[error(
        "{} exists and is not a crisis kit (no {MANIFEST} in it): choose a new or empty folder",
        .0.display()
    )]
    NotAKit(PathBuf),
}

fn sha256(bytes: &[u8]) -> String {
    crate::hex(&Sha256::digest(bytes))
}

/// The kit of `s` (gathered for [`Kind::Pra`]), in its language.
pub fn build(s: &Sources) -> Result<Kit, ReportError> {
    let pra = crate::build(Kind::Pra, s);
    let pra_pdf = render::render(&pra, Format::Pdf)?;
    let pra_html = render::render(&pra, Format::Html)?;
    let restore = render::render(&restore_document(s, &pra), Format::Markdown)?;
    let mut files: Vec<(&'static str, Vec<u8>)> = vec![
        ("index.html", index(s).into_bytes()),
        ("pra.html", pra_html),
        ("pra.pdf", pra_pdf),
        ("restore.md", restore),
        ("contacts.vcf", vcards(&s.plan).into_bytes()),
    ];
    let listed: Vec<serde_json::Value> = files
        .iter()
        .map(|(name, bytes)| json!({"path": name, "bytes": bytes.len(), "sha256": sha256(bytes)}))
        .collect();
    let manifest = json!({
        "kind": "crisis-kit",
        "tenant": s.tenant,
        "organization": s.plan.organization.name,
        "lang": s.words.lang.code(),
        "made_ms": s.as_of_ms,
        "head_seq": s.head.as_ref().map_or(0, |h| h.seq),
        "head_hash": s.head.as_ref().map(|h| h.hash.clone()),
        "files": listed,
    });
    let mut bytes = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    bytes.push(b'\n');
    files.push((MANIFEST, bytes));
    Ok(Kit { files })
}

/// The PRA's restore section alone, as a document of its own.
fn restore_document(s: &Sources, pra: &Document) -> Document {
    let section = pra::without_rempart(s);
    Document {
        kind: "kit".into(),
        title: section.title.clone(),
        sections: vec![section, crate::common::evidence_section(s)],
        ..pra.clone()
    }
}

/// Makes the kit of `tenant` and writes it to `dir` (replacing the kit
/// there, atomically), then keeps the manifest's digest as a `report`
/// record. `only_if_changed`: when the kit in `dir` is the same to the
/// byte, nothing is written nor recorded (`None`).
#[allow(clippy::too_many_arguments)]
pub async fn produce(
    tenant: &TenantScope,
    plan: &Plan,
    base: &Path,
    lang: Lang,
    dir: &Path,
    by: &str,
    now_ms: i64,
    only_if_changed: bool,
) -> Result<Option<WrittenKit>, KitError> {
    let resolve = |p: &str| {
        let path = Path::new(p);
        if path.is_absolute() {
            p.to_owned()
        } else {
            base.join(path).display().to_string()
        }
    };
    let sources = crate::gather(
        tenant,
        plan,
        &Wanted {
            kind: Kind::Pra,
            month: None,
            run: None,
            crisis: None,
        },
        lang,
        crate::locations(plan, resolve),
        Some(base.to_owned()),
        now_ms,
    )
    .await?;
    let kit = build(&sources)?;
    if only_if_changed
        && std::fs::read(dir.join(MANIFEST)).is_ok_and(|old| old.as_slice() == kit.manifest())
    {
        return Ok(None);
    }
    write(dir, &kit)?;
    let head_seq = sources.head.as_ref().map_or(0, |h| h.seq);
    let sha256 = kit.digest();
    let files: Vec<(String, usize, String)> = kit
        .files
        .iter()
        .map(|(name, bytes)| ((*name).to_owned(), bytes.len(), self::sha256(bytes)))
        .collect();
    let evidence = tenant
        .append(NewEvidence {
            kind: EvidenceKind::Report,
            subject: "kit".into(),
            started_ms: now_ms,
            finished_ms: now_ms,
            outcome: Outcome::Success,
            measurements: json!({
                "kind": "kit",
                "format": "folder",
                "lang": lang.code(),
                "sha256": sha256,
                "files": files.iter().map(|(name, _, _)| name).collect::<Vec<_>>(),
                "bytes": files.iter().map(|(_, n, _)| n).sum::<usize>(),
                "dir": dir.display().to_string(),
                "head_seq": head_seq,
                "head_hash": sources.head.as_ref().map(|h| h.hash.clone()),
                "by": by,
                "say": say!("report-recorded", kind = "kit", head = head_seq),
            }),
            message: format!("crisis kit made from evidence #{head_seq}"),
            job_run: None,
        })
        .await
        .map_err(ReportError::from)?;
    Ok(Some(WrittenKit {
        dir: dir.to_owned(),
        files,
        sha256,
        head_seq,
        evidence,
    }))
}

/// Writes `kit` into a new folder beside `dir`, then puts it in `dir`'s
/// place in one step: a reader sees the old kit or the new one, whole.
/// A `dir` holding anything but a kit is refused, never replaced.
pub fn write(dir: &Path, kit: &Kit) -> Result<(), KitError> {
    let failed = |path: &Path| {
        let path = path.to_owned();
        move |source| KitError::Write { path, source }
    };
    let exists = match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => {
            let empty = std::fs::read_dir(dir)
                .map_err(failed(dir))?
                .next()
                .is_none();
            if !empty && !dir.join(MANIFEST).is_file() {
                return Err(KitError::NotAKit(dir.to_owned()));
            }
            true
        }
        Ok(_) => return Err(KitError::NotAKit(dir.to_owned())),
        Err(_) => false,
    };
    let name = dir
        .file_name()
        .map_or_else(|| "kit".into(), |n| n.to_string_lossy().into_owned());
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(failed(&parent))?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let fresh = parent.join(format!(".{name}.new-{}-{nanos}", std::process::id()));
    std::fs::create_dir(&fresh).map_err(failed(&fresh))?;
    let written = (|| {
        for (file, bytes) in &kit.files {
            let path = fresh.join(file);
            let mut f = std::fs::File::create(&path).map_err(failed(&path))?;
            std::io::Write::write_all(&mut f, bytes).map_err(failed(&path))?;
            f.sync_all().map_err(failed(&path))?;
        }
        Ok::<(), KitError>(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&fresh);
        return Err(e);
    }
    if !exists {
        return std::fs::rename(&fresh, dir).map_err(|e| {
            let _ = std::fs::remove_dir_all(&fresh);
            failed(dir)(e)
        });
    }
    match exchange(&fresh, dir) {
        // `fresh` now holds the previous kit.
        Ok(()) => {
            let _ = std::fs::remove_dir_all(&fresh);
            Ok(())
        }
        // No atomic exchange here (another system, another file system):
        // the old kit steps aside first, for the time of one rename.
        Err(_) => {
            let old = parent.join(format!(".{name}.old-{}-{nanos}", std::process::id()));
            std::fs::rename(dir, &old).map_err(failed(dir))?;
            if let Err(e) = std::fs::rename(&fresh, dir) {
                let _ = std::fs::rename(&old, dir);
                let _ = std::fs::remove_dir_all(&fresh);
                return Err(failed(dir)(e));
            }
            let _ = std::fs::remove_dir_all(&old);
            Ok(())
        }
    }
}

/// Swaps two folders in one step (Linux's `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let a = std::ffi::CString::new(a.as_os_str().as_bytes())?;
    let b = std::ffi::CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: two valid NUL-terminated paths, relative to the current folder.
    let done = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

// ── contacts.vcf ─────────────────────────────────────────────────────────

/// The people of the cell (in call order), then their alternates.
fn cell_people(plan: &Plan) -> Vec<&rempart_core::plan::Contact> {
    let mut ids = cell_roles(plan);
    let mut i = 0;
    while i < ids.len() {
        if let Some(c) = plan.contacts.iter().find(|c| c.id.as_str() == ids[i]) {
            for a in &c.alternates {
                if !ids.iter().any(|x| x == a.as_str()) {
                    ids.push(a.to_string());
                }
            }
        }
        i += 1;
    }
    ids.iter()
        .filter_map(|id| plan.contacts.iter().find(|c| c.id.as_str() == id))
        .collect()
}

/// A vCard text value: `\`, `,`, `;` and line breaks escaped.
fn vcard_text(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace(';', "\\;")
        .replace('\n', "\\n")
}

/// A content line folded at 75 octets (RFC 2425 §5.8.1), CRLF-ended.
fn vcard_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// The cell as vCard 3.0: name, role, phone, e-mail, and a note with the
/// place in the call order and the alternates.
pub fn vcards(plan: &Plan) -> String {
    let lang: Lang = plan.organization.language.into();
    let cell = cell_roles(plan);
    let mut out = String::new();
    for c in cell_people(plan) {
        let (given, family) = match c.name.rsplit_once(' ') {
            Some((given, family)) => (given, family),
            None => ("", c.name.as_str()),
        };
        vcard_line(&mut out, "BEGIN:VCARD");
        vcard_line(&mut out, "VERSION:3.0");
        vcard_line(
            &mut out,
            &format!("N:{};{};;;", vcard_text(family), vcard_text(given)),
        );
        vcard_line(&mut out, &format!("FN:{}", vcard_text(&c.name)));
        if let Some(role) = &c.role {
            vcard_line(&mut out, &format!("TITLE:{}", vcard_text(role)));
        }
        if let Some(phone) = &c.phone {
            vcard_line(
                &mut out,
                &format!("TEL;TYPE=CELL,VOICE:{}", vcard_text(phone)),
            );
        }
        if let Some(email) = &c.email {
            vcard_line(
                &mut out,
                &format!("EMAIL;TYPE=INTERNET:{}", vcard_text(email)),
            );
        }
        vcard_line(
            &mut out,
            &format!(
                "CATEGORIES:{}",
                vcard_text(&t!(
                    lang,
                    "kit-vcard-category",
                    organization = plan.organization.name.as_str()
                ))
            ),
        );
        let order = cell.iter().position(|id| id == c.id.as_str());
        let alternates: Vec<String> = c
            .alternates
            .iter()
            .map(|a| pra::who(plan, a.as_str()))
            .collect();
        let note = t!(
            lang,
            "kit-vcard-note",
            order = order.map_or(0, |i| i + 1),
            alternates = if alternates.is_empty() {
                t!(lang, "report-none")
            } else {
                alternates.join(", ")
            }
        );
        vcard_line(&mut out, &format!("NOTE:{}", vcard_text(&note)));
        vcard_line(
            &mut out,
            &format!("UID:rempart-{}", vcard_text(c.id.as_str())),
        );
        vcard_line(&mut out, "END:VCARD");
    }
    out
}

// ── index.html ───────────────────────────────────────────────────────────

const STYLE: &str = r#"
:root { --ink: #1b2733; --muted: #5b6776; --accent: #1f3a5f; --rule: #d5dbe3; --band: #f4f6f9;
  --good: #1e7b4f; --warn: #d89b00; --bad: #b42318; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #eef1f5; color: var(--ink);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
a { color: var(--accent); }
.page { max-width: 64rem; margin: 0 auto; padding: 0 1rem 2rem; }
header.top { background: var(--accent); color: #fff; padding: 1.25rem 0 1rem; }
header.top .inner { max-width: 64rem; margin: 0 auto; padding: 0 1rem; }
header.top .label { margin: 0; font-size: .8rem; font-weight: 700; letter-spacing: .12em; text-transform: uppercase; opacity: .85; }
header.top h1 { margin: .2rem 0 .35rem; font-size: 1.6rem; line-height: 1.2; }
header.top p { margin: 0; opacity: .9; font-size: .95rem; }
nav.jump { display: flex; flex-wrap: wrap; gap: .4rem; margin: 1rem 0 .5rem; }
nav.jump a { display: inline-block; padding: .35rem .75rem; border-radius: 1rem; background: #fff; border: 1px solid var(--rule);
  text-decoration: none; font-size: .9rem; color: var(--ink); }
section { background: #fff; border-radius: .5rem; box-shadow: 0 1px 2px rgba(27,39,51,.1); padding: 1rem 1rem .5rem; margin: 1rem 0; }
h2 { margin: 0 0 .75rem; font-size: 1.25rem; color: var(--accent); }
h3 { margin: 1.25rem 0 .5rem; font-size: 1.05rem; color: var(--accent); }
p { margin: 0 0 .9rem; }
.muted { color: var(--muted); }
.small { font-size: .88rem; }
.cards { display: grid; grid-template-columns: 1fr; gap: .75rem; margin: 0 0 1rem; padding: 0; list-style: none; }
.card { border: 1px solid var(--rule); border-radius: .5rem; padding: .75rem; }
.card .who { display: flex; gap: .6rem; align-items: baseline; }
.card .order { flex: none; display: inline-flex; align-items: center; justify-content: center; width: 1.7rem; height: 1.7rem;
  border-radius: 50%; background: var(--accent); color: #fff; font-weight: 700; font-size: .9rem; }
.card .name { font-weight: 700; font-size: 1.05rem; }
.card .role { color: var(--muted); font-size: .92rem; margin: .1rem 0 .5rem 2.3rem; }
.card .reach { display: flex; flex-wrap: wrap; align-items: center; gap: .3rem .6rem; margin-left: 2.3rem; }
a.btn { display: inline-flex; align-items: center; min-height: 2.75rem; padding: .4rem .9rem; border-radius: .4rem;
  text-decoration: none; font-weight: 600; overflow-wrap: anywhere; }
a.call { background: var(--good); color: #fff; }
a.mail { display: block; flex-basis: 100%; padding: .15rem 0; color: var(--accent); font-size: .95rem; overflow-wrap: anywhere; }
a.tel { white-space: nowrap; }
.card .alt { margin: .5rem 0 0 2.3rem; font-size: .92rem; }
ol.steps, ul.plain { margin: 0 0 1rem; padding-left: 1.4rem; }
ol.steps li, ul.plain li { margin: .35rem 0; }
ol.tasks { list-style: none; margin: 0 0 1rem; padding: 0; }
ol.tasks li { display: flex; gap: .6rem; padding: .6rem 0; border-top: 1px solid var(--rule); }
ol.tasks li:first-child { border-top: none; }
.box { flex: none; width: 1.2rem; height: 1.2rem; margin-top: .15rem; border: 2px solid var(--accent); border-radius: .2rem; }
.tag { display: inline-block; padding: 0 .45rem; border-radius: .8rem; background: var(--band); border: 1px solid var(--rule);
  font-size: .8rem; color: var(--muted); white-space: nowrap; }
.deadline { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .9rem; margin: 0 0 1rem; }
.deadline dt { font-weight: 800; color: var(--bad); font-size: 1.05rem; white-space: nowrap; }
.deadline dd { margin: 0 0 .5rem; }
blockquote.message { margin: .35rem 0 1.25rem; padding: .6rem .8rem; border-left: .25rem solid var(--accent); background: var(--band); white-space: pre-wrap; }
pre.code { margin: 0 0 1rem; padding: .7rem .8rem; background: #f3f4f6; border: 1px solid var(--rule); border-radius: .35rem;
  font: .84rem/1.5 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: 1fr; gap: 0 1rem; margin: 0 0 .75rem; }
dl.facts dt { color: var(--muted); font-weight: 600; font-size: .88rem; }
dl.facts dd { margin: 0 0 .4rem; overflow-wrap: anywhere; }
.callout { margin: 0 0 1rem; padding: .6rem .8rem; border-left: .3rem solid var(--warn); background: #fdf3d6; border-radius: 0 .35rem .35rem 0; }
.callout.bad { border-color: var(--bad); background: #fbe9e7; }
.callout.good { border-color: var(--good); background: #e7f3ec; }
.table-wrap { overflow-x: auto; margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th { background: var(--accent); color: #fff; text-align: left; padding: .4rem .6rem; }
td { padding: .4rem .6rem; border-top: 1px solid var(--rule); vertical-align: top; }
ul.files { list-style: none; margin: 0 0 1rem; padding: 0; }
ul.files li { padding: .5rem 0; border-top: 1px solid var(--rule); }
ul.files li:first-child { border-top: none; }
footer { margin: 1.5rem 0 0; color: var(--muted); font-size: .85rem; overflow-wrap: anywhere; }
@media (min-width: 48rem) {
  header.top { padding: 2rem 0 1.5rem; }
  header.top .inner { padding: 0 2rem; }
  header.top h1 { font-size: 2rem; }
  .page { padding: 0 2rem 3rem; }
  section { padding: 1.5rem 1.75rem 1rem; }
  .cards { grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); }
  dl.facts { grid-template-columns: max-content 1fr; }
  dl.facts dd { margin: 0 0 .4rem; }
}
@media print {
  body { background: #fff; }
  header.top { background: #fff; color: var(--ink); border-bottom: 3px solid var(--accent); }
  nav.jump { display: none; }
  section { box-shadow: none; border: 1px solid var(--rule); break-inside: avoid-page; }
  a.call { background: none; color: var(--ink); border: 1px solid var(--rule); }
}
"#;

fn esc(text: &str) -> String {
    rempart_core::charts::escape(text)
}

/// A phone number as a `tel:` URI: its digits, and a leading `+`.
fn tel(phone: &str) -> String {
    let mut out = String::from("tel:");
    for (i, c) in phone.trim().chars().enumerate() {
        if c.is_ascii_digit() || (i == 0 && c == '+') {
            out.push(c);
        }
    }
    out
}

/// A contact's name with a link to call them, else the name alone.
fn name_with_phone(plan: &Plan, id: &str) -> String {
    match plan.contacts.iter().find(|c| c.id.as_str() == id) {
        Some(c) => match &c.phone {
            Some(p) => format!(
                "{} (<a class=\"tel\" href=\"{}\">{}</a>)",
                esc(&c.name),
                esc(&tel(p)),
                esc(p)
            ),
            None => esc(&c.name),
        },
        None => esc(&pra::who(plan, id)),
    }
}

fn index(s: &Sources) -> String {
    let w = &s.words;
    let lang = w.lang;
    let plan = &s.plan;
    let mut out = String::with_capacity(32 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <title>{} — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        lang.code(),
        esc(&t!(lang, "kit-title")),
        esc(&plan.organization.name),
    );
    let head = match &s.head {
        Some(h) => t!(
            lang,
            "kit-made-from",
            seq = h.seq,
            at = w.time(h.recorded_ms)
        ),
        None => t!(lang, "kit-made-empty", at = w.time(s.as_of_ms)),
    };
    let _ = write!(
        out,
        "<header class=\"top\"><div class=\"inner\">\n<p class=\"label\">{}</p>\n<h1>{}</h1>\n<p>{}</p>\n</div></header>\n<main class=\"page\">\n",
        esc(&t!(lang, "kit-title")),
        esc(&plan.organization.name),
        esc(&t!(lang, "kit-intro")),
    );
    let _ = writeln!(
        out,
        "<nav class=\"jump\" aria-label=\"{}\"><a href=\"#cell\">{}</a><a href=\"#first-hour\">{}</a><a href=\"#runbooks\">{}</a><a href=\"#messages\">{}</a><a href=\"#deadlines\">{}</a><a href=\"#restore\">{}</a><a href=\"#files\">{}</a></nav>",
        esc(&t!(lang, "report-contents")),
        esc(&t!(lang, "kit-cell")),
        esc(&t!(lang, "kit-first-hour")),
        esc(&t!(lang, "kit-runbooks")),
        esc(&t!(lang, "kit-messages")),
        esc(&t!(lang, "kit-deadlines")),
        esc(&t!(lang, "kit-restore")),
        esc(&t!(lang, "kit-files")),
    );
    cell(&mut out, s);
    first_hour(&mut out, s);
    runbooks(&mut out, s);
    messages(&mut out, s);
    deadlines(&mut out, s);
    restore(&mut out, s);
    files(&mut out, s);
    let _ = write!(
        out,
        "<footer><p>{} {}</p></footer>\n</main>\n</body>\n</html>\n",
        esc(&head),
        esc(&t!(lang, "kit-no-secret")),
    );
    out
}

fn cell(out: &mut String, s: &Sources) {
    let lang = s.words.lang;
    let plan = &s.plan;
    let _ = write!(
        out,
        "<section id=\"cell\">\n<h2>{}</h2>\n<p>{}</p>\n<ol class=\"cards\">\n",
        esc(&t!(lang, "kit-cell")),
        esc(&t!(
            lang,
            "kit-cell-intro",
            within = s
                .words
                .duration(rempart_core::crisis::answer_within_ms(plan))
        )),
    );
    let roles = cell_roles(plan);
    for (i, id) in roles.iter().enumerate() {
        let Some(c) = plan.contacts.iter().find(|c| c.id.as_str() == id) else {
            continue;
        };
        let _ = writeln!(
            out,
            "<li class=\"card\"><div class=\"who\"><span class=\"order\">{}</span><span class=\"name\">{}</span></div>",
            i + 1,
            esc(&c.name)
        );
        if let Some(role) = &c.role {
            let _ = writeln!(out, "<div class=\"role\">{}</div>", esc(role));
        }
        out.push_str("<div class=\"reach\">");
        if let Some(p) = &c.phone {
            let _ = write!(
                out,
                "<a class=\"btn call\" href=\"{}\">{}</a>",
                esc(&tel(p)),
                esc(p)
            );
        }
        if let Some(e) = &c.email {
            let _ = write!(
                out,
                "<a class=\"mail\" href=\"mailto:{}\">{}</a>",
                esc(e),
                esc(e)
            );
        }
        out.push_str("</div>\n");
        if !c.alternates.is_empty() {
            let alternates: Vec<String> = c
                .alternates
                .iter()
                .map(|a| name_with_phone(plan, a.as_str()))
                .collect();
            let _ = writeln!(
                out,
                "<div class=\"alt\">{} {}</div>",
                esc(&t!(lang, "kit-alternates")),
                alternates.join(", ")
            );
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
    if roles.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"callout bad\">{}</p>",
            esc(&t!(lang, "kit-no-cell"))
        );
    }
    // Contacts outside the cell: alternates and the rest of the plan's people.
    let others: Vec<&rempart_core::plan::Contact> = plan
        .contacts
        .iter()
        .filter(|c| !roles.iter().any(|r| r == c.id.as_str()))
        .collect();
    if !others.is_empty() {
        let _ = write!(
            out,
            "<h3>{}</h3>\n<ul class=\"plain\">\n",
            esc(&t!(lang, "kit-other-contacts"))
        );
        for c in others {
            let mut line = name_with_phone(plan, c.id.as_str());
            if let Some(role) = &c.role {
                let _ = write!(line, " — {}", esc(role));
            }
            if let Some(e) = &c.email {
                let _ = write!(line, " — <a href=\"mailto:{}\">{}</a>", esc(e), esc(e));
            }
            let _ = writeln!(out, "<li>{line}</li>");
        }
        out.push_str("</ul>\n");
    }
    if !plan.teams.is_empty() {
        let _ = write!(
            out,
            "<h3>{}</h3>\n<p class=\"small muted\">{}</p>\n<ul class=\"plain\">\n",
            esc(&t!(lang, "pra-call-tree")),
            esc(&t!(lang, "pra-call-tree-intro"))
        );
        for team in &plan.teams {
            let order: Vec<String> = team
                .members
                .iter()
                .map(|m| esc(&pra::who(plan, m.as_str())))
                .collect();
            let lead = team
                .lead
                .as_ref()
                .map(|l| {
                    esc(&t!(
                        lang,
                        "pra-team-lead",
                        lead = pra::who(plan, l.as_str())
                    ))
                })
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "<li><strong>{}</strong>{lead}: {}</li>",
                esc(&team.name),
                order.join(" → ")
            );
        }
        out.push_str("</ul>\n");
    }
    if let Some(msp) = &plan.organization.msp {
        let _ = writeln!(
            out,
            "<p class=\"small muted\">{}</p>",
            esc(&t!(lang, "kit-msp", msp = msp.as_str()))
        );
    }
    out.push_str("</section>\n");
}

fn first_hour(out: &mut String, s: &Sources) {
    let w = &s.words;
    let lang = w.lang;
    let plan = &s.plan;
    let _ = write!(
        out,
        "<section id=\"first-hour\">\n<h2>{}</h2>\n",
        esc(&t!(lang, "kit-first-hour"))
    );
    if plan.crisis_tasks.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", esc(&t!(lang, "kit-no-task")));
    } else {
        let _ = writeln!(
            out,
            "<p>{}</p>\n<ol class=\"tasks\">",
            esc(&t!(lang, "kit-first-hour-intro"))
        );
        for task in &plan.crisis_tasks {
            let mut meta = Vec::new();
            if let Some(within) = task.within {
                meta.push(format!(
                    "<span class=\"tag\">{}</span>",
                    esc(&t!(
                        lang,
                        "kit-within",
                        within = w.duration(crate::common::ms(within))
                    ))
                ));
            }
            if let Some(owner) = &task.owner {
                meta.push(name_with_phone(plan, owner.as_str()));
            }
            let _ = write!(
                out,
                "<li><span class=\"box\" aria-hidden=\"true\"></span><div><strong>{}</strong><div class=\"small\">{}</div>",
                esc(&task.title),
                meta.join(" · ")
            );
            if let Some(d) = &task.description {
                let _ = write!(out, "<div class=\"small muted\">{}</div>", esc(d));
            }
            out.push_str("</div></li>\n");
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</section>\n");
}

fn runbooks(out: &mut String, s: &Sources) {
    let w = &s.words;
    let lang = w.lang;
    let plan = &s.plan;
    let _ = write!(
        out,
        "<section id=\"runbooks\">\n<h2>{}</h2>\n<p>{}</p>\n",
        esc(&t!(lang, "kit-runbooks")),
        esc(&t!(lang, "kit-runbooks-intro"))
    );
    for sc in &plan.scenarios {
        let process = plan.processes.iter().find(|p| p.id == sc.process);
        let owner = process
            .and_then(|p| p.owner.as_ref())
            .map(|o| o.to_string());
        let _ = writeln!(out, "<h3>{}</h3>", esc(&sc.name));
        if let Some(p) = process {
            let _ = writeln!(
                out,
                "<p class=\"small\">{}</p>",
                esc(&t!(
                    lang,
                    "kit-runbook-process",
                    process = p.name.as_str(),
                    rto = w.duration(crate::common::ms(p.rto)),
                    rpo = w.duration(crate::common::ms(p.rpo))
                ))
            );
        }
        if let Some(o) = &owner {
            let _ = writeln!(
                out,
                "<p class=\"small\">{} {}</p>",
                esc(&t!(lang, "kit-runbook-lead")),
                name_with_phone(plan, o)
            );
        }
        if let Some(d) = &sc.description {
            let _ = writeln!(out, "<p class=\"small muted\">{}</p>", esc(d));
        }
        out.push_str("<ol class=\"steps\">\n");
        for step in &sc.steps {
            // The owner leads every step; a manual step may name another person.
            let doer = match &step.action {
                StepAction::Manual(m) => m.who.as_ref().map(|x| x.to_string()),
                _ => None,
            }
            .filter(|d| Some(d) != owner.as_ref());
            let mut line = format!(
                "{} <span class=\"tag\">{}</span>",
                esc(&step.name),
                esc(&crate::common::step_kind(w, &step.action))
            );
            if step.cleanup {
                let _ = write!(
                    line,
                    " <span class=\"tag\">{}</span>",
                    esc(&t!(lang, "kit-cleanup"))
                );
            }
            if let Some(d) = doer {
                let _ = write!(
                    line,
                    "<br><span class=\"small\">{}</span>",
                    name_with_phone(plan, &d)
                );
            }
            match &step.action {
                StepAction::Manual(m) => {
                    let _ = write!(
                        line,
                        "<br><span class=\"small muted\">{}</span>",
                        esc(&m.manual)
                    );
                }
                StepAction::Restore(r) => {
                    let what = match &r.site {
                        Some(site) => t!(
                            lang,
                            "kit-restore-step",
                            backup = r.restore.as_str(),
                            site = site.as_str()
                        ),
                        None => t!(lang, "kit-restore-step-first", backup = r.restore.as_str()),
                    };
                    let _ = write!(
                        line,
                        "<br><span class=\"small\"><a href=\"#restore-{}\">{}</a></span>",
                        esc(r.restore.as_str()),
                        esc(&what)
                    );
                }
                _ => {}
            }
            let _ = writeln!(out, "<li>{line}</li>");
        }
        out.push_str("</ol>\n");
    }
    if plan.scenarios.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", esc(&t!(lang, "kit-no-scenario")));
    }
    out.push_str("</section>\n");
}

fn messages(out: &mut String, s: &Sources) {
    let lang = s.words.lang;
    let plan = &s.plan;
    let _ = write!(
        out,
        "<section id=\"messages\">\n<h2>{}</h2>\n",
        esc(&t!(lang, "kit-messages"))
    );
    if plan.crisis_messages.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", esc(&t!(lang, "kit-no-message")));
    } else {
        let _ = writeln!(out, "<p>{}</p>", esc(&t!(lang, "kit-messages-intro")));
        for m in &plan.crisis_messages {
            let to: Vec<String> =
                m.to.iter()
                    .map(|x| esc(&pra::who(plan, x.as_str())))
                    .collect();
            let _ = write!(
                out,
                "<p class=\"small\"><span class=\"tag\">{}</span> {} {}</p>\n<blockquote class=\"message\"><strong>{}</strong>\n{}</blockquote>\n",
                esc(&t!(
                    lang,
                    "crisis-doc-audience",
                    audience = m.audience.as_str()
                )),
                esc(&t!(lang, "kit-message-to")),
                to.join(", "),
                esc(&m.subject),
                esc(&m.text)
            );
        }
    }
    out.push_str("</section>\n");
}

fn deadlines(out: &mut String, s: &Sources) {
    let lang = s.words.lang;
    let _ = write!(
        out,
        "<section id=\"deadlines\">\n<h2>{}</h2>\n<p>{}</p>\n<dl class=\"deadline\">\n",
        esc(&t!(lang, "kit-deadlines")),
        esc(&t!(lang, "kit-deadlines-intro"))
    );
    for (when, text) in [
        ("24 h".to_owned(), t!(lang, "kit-deadline-nis2-warning")),
        (
            "72 h".to_owned(),
            t!(lang, "kit-deadline-nis2-notification"),
        ),
        (
            t!(lang, "kit-one-month"),
            t!(lang, "kit-deadline-nis2-final"),
        ),
        ("72 h".to_owned(), t!(lang, "kit-deadline-gdpr")),
    ] {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", esc(&when), esc(&text));
    }
    let _ = write!(
        out,
        "</dl>\n<p class=\"small muted\">{}</p>\n</section>\n",
        esc(&t!(lang, "kit-deadlines-record"))
    );
}

/// The PRA's blocks, as the kit's page draws them.
fn blocks(out: &mut String, blocks: &[Block]) {
    for b in blocks {
        match b {
            Block::Paragraph { text } => {
                let _ = writeln!(out, "<p>{}</p>", esc(text));
            }
            Block::List { items } => {
                out.push_str("<ul class=\"plain\">\n");
                for item in items {
                    let _ = writeln!(out, "<li>{}</li>", esc(item));
                }
                out.push_str("</ul>\n");
            }
            Block::Facts { rows } => {
                out.push_str("<dl class=\"facts\">\n");
                for (label, value) in rows {
                    let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", esc(label), esc(value));
                }
                out.push_str("</dl>\n");
            }
            Block::Code { lines } => {
                let lines: Vec<String> = lines.iter().map(|l| esc(l)).collect();
                let _ = writeln!(
                    out,
                    "<pre class=\"code\"><code>{}</code></pre>",
                    lines.join("\n")
                );
            }
            Block::Callout { tone, text } => {
                let class = match tone {
                    Tone::Bad => " bad",
                    Tone::Good => " good",
                    _ => "",
                };
                let _ = writeln!(out, "<p class=\"callout{class}\">{}</p>", esc(text));
            }
            Block::Table { columns, rows, .. } => {
                out.push_str("<div class=\"table-wrap\"><table><thead><tr>");
                for c in columns {
                    let _ = write!(out, "<th>{}</th>", esc(c));
                }
                out.push_str("</tr></thead><tbody>\n");
                for row in rows {
                    out.push_str("<tr>");
                    for Cell { text, .. } in row {
                        let _ = write!(out, "<td>{}</td>", esc(text));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody></table></div>\n");
            }
            Block::Figure { .. } => {}
        }
    }
}

fn restore(out: &mut String, s: &Sources) {
    let lang = s.words.lang;
    let section: Section = pra::without_rempart(s);
    let _ = writeln!(
        out,
        "<section id=\"restore\">\n<h2>{}</h2>",
        esc(&t!(lang, "kit-restore"))
    );
    blocks(out, &section.blocks);
    for (b, sub) in s.plan.backups.iter().zip(&section.subsections) {
        let _ = writeln!(
            out,
            "<h3 id=\"restore-{}\">{}</h3>",
            esc(b.id.as_str()),
            esc(&sub.title)
        );
        blocks(out, &sub.blocks);
    }
    let _ = writeln!(
        out,
        "<p class=\"small\">{}</p>\n</section>",
        esc(&t!(lang, "kit-restore-md"))
    );
}

fn files(out: &mut String, s: &Sources) {
    let lang = s.words.lang;
    let _ = write!(
        out,
        "<section id=\"files\">\n<h2>{}</h2>\n<ul class=\"files\">\n",
        esc(&t!(lang, "kit-files"))
    );
    for (file, text) in [
        ("pra.html", t!(lang, "kit-file-pra-html")),
        ("pra.pdf", t!(lang, "kit-file-pra-pdf")),
        ("restore.md", t!(lang, "kit-file-restore")),
        ("contacts.vcf", t!(lang, "kit-file-contacts")),
        (MANIFEST, t!(lang, "kit-file-manifest")),
    ] {
        let _ = writeln!(
            out,
            "<li><a href=\"{file}\">{file}</a><br><span class=\"small muted\">{}</span></li>",
            esc(&text)
        );
    }
    out.push_str("</ul>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_number_becomes_a_tel_uri() {
        assert_eq!(tel("+33 6 71 22 48 93"), "tel:+33671224893");
        assert_eq!(tel("06.71.22.48.93"), "tel:0671224893");
        assert_eq!(tel(" (555) 010-0199 "), "tel:5550100199");
    }

    #[test]
    fn vcard_values_are_escaped_and_long_lines_folded() {
        assert_eq!(vcard_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let mut out = String::new();
        let long = format!("NOTE:{}", "é".repeat(60));
        vcard_line(&mut out, &long);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        assert_eq!(out.replace("\r\n ", ""), format!("{long}\r\n"));
    }
}
