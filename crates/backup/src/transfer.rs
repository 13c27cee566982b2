//! Moving repository files as they are stored, between two sites that
//! share a master key (see [`crate::repository::init_in_plan`]).
//!
//! A pack file's name is the SHA-256 of its content, so a pack read from
//! one site is checked against its name before it is written to the
//! other: damage is never carried over.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rustic_core::repofile::{IndexFile, IndexId};
use rustic_core::{ErrorKind, FileType, Id, ProgressBars, RusticError, WriteBackend};
use sha2::{Digest, Sha256};

use crate::repository::Target;
use crate::{BackupError, Result};

/// Files moved by [`transfer`].
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Moved {
    pub packs: u64,
    pub bytes: u64,
    pub index_files: u64,
}

/// Whether `bytes` is the content its name `id` promises.
pub(crate) fn intact(id: &Id, bytes: &[u8]) -> bool {
    Id::new(Sha256::digest(bytes).into()) == *id
}

/// Reads file `id` from `from` and writes it to `to`, after checking its
/// content against its name.
pub(crate) fn move_file(
    from: &dyn WriteBackend,
    to: &dyn WriteBackend,
    tpe: FileType,
    id: &Id,
) -> Result<u64, Box<RusticError>> {
    let bytes = from.read_full(tpe, id)?;
    if !intact(id, &bytes) {
        return Err(RusticError::new(
            ErrorKind::Verification,
            "file {id} ({tpe}) does not match its name: it is damaged on the source site",
        )
        .attach_context("id", id.to_hex().as_str().to_owned())
        .attach_context("tpe", format!("{tpe:?}")));
    }
    let len = bytes.len() as u64;
    to.write_bytes(tpe, id, false, bytes.into())?;
    Ok(len)
}

/// Moves files `ids` of type `tpe` with a few threads (object stores
/// answer requests in parallel); stops at the first failure.
pub(crate) fn move_files(
    from: &Arc<dyn WriteBackend>,
    to: &Arc<dyn WriteBackend>,
    tpe: FileType,
    ids: Vec<Id>,
    progress: Option<&rustic_core::Progress>,
) -> Result<u64, Box<RusticError>> {
    let queue = Mutex::new(ids.into_iter());
    let failed: Mutex<Option<Box<RusticError>>> = Mutex::new(None);
    let total = AtomicU64::new(0);
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                while let Some(id) = queue.lock().ok().and_then(|mut q| q.next()) {
                    match move_file(from.as_ref(), to.as_ref(), tpe, &id) {
                        Ok(len) => {
                            total.fetch_add(len, Ordering::Relaxed);
                            if let Some(p) = progress {
                                p.inc(len);
                            }
                        }
                        Err(e) => {
                            if let Ok(mut f) = failed.lock() {
                                f.get_or_insert(e);
                            }
                            // Nobody takes more work after a failure.
                            if let Ok(mut q) = queue.lock() {
                                q.by_ref().for_each(drop);
                            }
                        }
                    }
                }
            });
        }
    });
    match failed.into_inner().ok().flatten() {
        Some(e) => Err(e),
        None => Ok(total.into_inner()),
    }
}

/// The names of the files of type `tpe` in `be`.
fn listed(be: &dyn WriteBackend, tpe: FileType) -> Result<HashSet<Id>, Box<RusticError>> {
    Ok(be.list(tpe)?.into_iter().collect())
}

/// Brings the index files `new_index` of `source` (written by the backup
/// that just ran), and the packs they list, to `dest`, which shares
/// `source`'s master key. Packs go first, then their index, so `dest` is
/// consistent at every moment; files `dest` already has are skipped.
pub fn transfer<S: rustic_core::Open>(
    source: &rustic_core::Repository<S>,
    from: &Target,
    dest: &Target,
    new_index: &[Id],
    bars: Option<&crate::progress::TerminalBars>,
) -> Result<Moved> {
    let (src_be, dest_be) = (from.storage(), dest.storage());
    let present = listed(dest_be.as_ref(), FileType::Pack).map_err(|e| dest.fail(e))?;
    // The packs the new index files list, with their sizes, that `dest` lacks.
    let mut packs: Vec<(Id, u64)> = Vec::new();
    for id in new_index {
        let index: IndexFile = source
            .get_file(&IndexId::from(*id))
            .map_err(|e| from.fail(e))?;
        packs.extend(
            index
                .packs
                .iter()
                .filter(|p| !present.contains(&*p.id))
                .map(|p| (*p.id, u64::from(p.pack_size()))),
        );
    }
    let progress = bars.map(|b| {
        let p = b
            .labelled(&dest.id)
            .progress(rustic_core::ProgressType::Bytes, "transferring packs");
        p.set_length(packs.iter().map(|(_, size)| size).sum());
        p
    });
    let mut moved = Moved {
        packs: packs.len() as u64,
        ..Moved::default()
    };
    let ids = packs.into_iter().map(|(id, _)| id).collect();
    moved.bytes = move_files(&src_be, &dest_be, FileType::Pack, ids, progress.as_ref())
        .map_err(|e| transfer_failed(from, dest, e))?;
    if let Some(p) = &progress {
        p.finish();
    }
    let index = listed(dest_be.as_ref(), FileType::Index).map_err(|e| dest.fail(e))?;
    let index: Vec<Id> = new_index
        .iter()
        .filter(|i| !index.contains(i))
        .copied()
        .collect();
    moved.index_files = index.len() as u64;
    move_files(&src_be, &dest_be, FileType::Index, index, None)
        .map_err(|e| transfer_failed(from, dest, e))?;
    Ok(moved)
}

fn transfer_failed(from: &Target, dest: &Target, e: Box<RusticError>) -> BackupError {
    dest.fail(
        RusticError::with_source(
            ErrorKind::Backend,
            "moving files from repository {from} failed",
            e,
        )
        .attach_context("from", from.id.clone()),
    )
}
