//! A rustic source that reads one stream (a command's standard output)
//! and stores it under a file name, with no temporary file.

use std::ffi::OsStr;
use std::io::Read;
use std::iter::{Once, once};
use std::path::PathBuf;
use std::sync::Mutex;

use rustic_core::repofile::{Metadata, Node, NodeType};
use rustic_core::{ReadSource, ReadSourceEntry, RusticResult, jiff};

pub struct StreamSource<R> {
    pub path: PathBuf,
    pub reader: Mutex<Option<R>>,
}

impl<R: Read + Send + 'static> ReadSource for StreamSource<R> {
    type Open = R;
    type Iter = Once<RusticResult<ReadSourceEntry<R>>>;

    fn size(&self) -> RusticResult<Option<u64>> {
        Ok(None)
    }

    fn entries(&self) -> Self::Iter {
        // A poisoned lock only means another thread panicked while holding
        // it; the reader inside is still the one to use.
        let open = self
            .reader
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        let name = self.path.file_name().unwrap_or(OsStr::new("stdin"));
        let meta = Metadata {
            mtime: Some(jiff::Timestamp::now()),
            ..Metadata::default()
        };
        let node = Node::new_node(name, NodeType::File, meta);
        once(Ok(ReadSourceEntry {
            path: self.path.clone(),
            node,
            open,
        }))
    }
}
