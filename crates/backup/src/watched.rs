//! A source that notices files changing while they are read, and files
//! that cannot be read. rustic stores what it read and only logs
//! unreadable files; Rempart records both in the backup's evidence (the
//! backup still succeeds: the other files are good).

use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rustic_core::{ReadSource, ReadSourceEntry, ReadSourceOpen, RusticResult, jiff};

/// What was noticed during one backup.
#[derive(Debug, Default)]
pub struct Noticed {
    /// Files whose size or modification time changed while being read:
    /// their copy in the snapshot may be inconsistent.
    pub changed: Vec<String>,
    /// Files or folders that could not be read, with why: not in the
    /// snapshot.
    pub unreadable: Vec<String>,
}

type Shared = Arc<Mutex<Noticed>>;

fn note(shared: &Shared, add: impl FnOnce(&mut Noticed)) {
    let mut noticed = shared
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    add(&mut noticed);
}

/// Wraps a source (rustic's `LocalSource`).
pub struct Watched<S> {
    inner: S,
    noticed: Shared,
}

impl<S> Watched<S> {
    pub fn new(inner: S) -> Self {
        Watched {
            inner,
            noticed: Shared::default(),
        }
    }

    /// What was noticed so far.
    pub fn noticed(&self) -> Noticed {
        let mut noticed = self
            .noticed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        std::mem::take(&mut *noticed)
    }
}

/// A file as the walk saw it.
struct Seen {
    path: PathBuf,
    size: u64,
    mtime: Option<jiff::Timestamp>,
    noticed: Shared,
}

pub struct WatchedOpen<O> {
    inner: O,
    seen: Seen,
}

pub struct WatchedReader<R> {
    inner: R,
    seen: Seen,
    checked: bool,
}

impl<S> ReadSource for Watched<S>
where
    S: ReadSource,
    S::Iter: Send + 'static,
    S::Open: Send + 'static,
{
    type Open = WatchedOpen<S::Open>;
    type Iter = Box<dyn Iterator<Item = RusticResult<ReadSourceEntry<Self::Open>>> + Send>;

    fn size(&self) -> RusticResult<Option<u64>> {
        self.inner.size()
    }

    fn entries(&self) -> Self::Iter {
        let noticed = Arc::clone(&self.noticed);
        Box::new(self.inner.entries().map(move |entry| match entry {
            Ok(ReadSourceEntry { path, node, open }) => Ok(ReadSourceEntry {
                open: open.map(|inner| WatchedOpen {
                    inner,
                    seen: Seen {
                        path: path.clone(),
                        size: node.meta.size,
                        mtime: node.meta.mtime,
                        noticed: Arc::clone(&noticed),
                    },
                }),
                path,
                node,
            }),
            Err(e) => {
                note(&noticed, |n| n.unreadable.push(e.to_string()));
                Err(e)
            }
        }))
    }
}

impl<O: ReadSourceOpen> ReadSourceOpen for WatchedOpen<O> {
    type Reader = WatchedReader<O::Reader>;

    fn open(self) -> RusticResult<Self::Reader> {
        let WatchedOpen { inner, seen } = self;
        match inner.open() {
            Ok(reader) => Ok(WatchedReader {
                inner: reader,
                seen,
                checked: false,
            }),
            Err(e) => {
                note(&seen.noticed, |n| {
                    n.unreadable.push(format!("{}: {e}", seen.path.display()));
                });
                Err(e)
            }
        }
    }
}

impl<R: Read> Read for WatchedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let o = &self.seen;
        match self.inner.read(buf) {
            Ok(0) if !buf.is_empty() && !self.checked => {
                self.checked = true;
                // At the end: is the file still the one the walk saw?
                let now = std::fs::symlink_metadata(&o.path).ok();
                let same = now.as_ref().is_some_and(|m| {
                    m.len() == o.size
                        && m.modified()
                            .ok()
                            .and_then(|t| jiff::Timestamp::try_from(t).ok())
                            == o.mtime
                });
                if !same {
                    note(&o.noticed, |n| n.changed.push(o.path.display().to_string()));
                }
                Ok(0)
            }
            Err(e) => {
                note(&o.noticed, |n| {
                    n.unreadable.push(format!("{}: {e}", o.path.display()));
                });
                Err(e)
            }
            other => other,
        }
    }
}
