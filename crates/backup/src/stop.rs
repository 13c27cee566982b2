//! Stopping a running backup, copy, verify or restore: on a timeout, at
//! shutdown, when a job's lease went to another server, on Ctrl-C.
//!
//! rustic's operations cannot be interrupted from outside, so the stop
//! goes through what they use: every read and write of a repository
//! fails once the stop is set (a backend wrapped in [`Stoppable`]), and a
//! command source is killed with its whole process group. The caller then
//! gets [`crate::BackupError::Stopped`] and nothing is kept as a good
//! snapshot.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use rustic_core::{
    BytesList, ErrorKind, FileType, Id, ReadBackend, RusticError, RusticResult, WriteBackend,
};

/// When work must stop, shared by everything doing it.
#[derive(Clone, Default)]
pub struct Stop(Arc<Inner>);

#[derive(Default)]
struct Inner {
    set: AtomicBool,
    why: Mutex<Option<String>>,
    deadline: Mutex<Option<(Instant, String)>>,
}

impl std::fmt::Debug for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Stop").field(&self.reason()).finish()
    }
}

impl Stop {
    /// A stop that comes only when asked.
    pub fn never() -> Stop {
        Stop::default()
    }

    /// Stops by itself `after` from now; `what` says what timed out.
    pub fn after(&self, after: Duration, what: impl Into<String>) {
        if let Some(at) = Instant::now().checked_add(after) {
            *self
                .0
                .deadline
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Some((at, what.into()));
        }
    }

    /// Asks everything to stop, saying why (the first reason given stays).
    pub fn stop(&self, why: impl Into<String>) {
        let mut slot = self.0.why.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.is_none() {
            *slot = Some(why.into());
        }
        self.0.set.store(true, Ordering::SeqCst);
    }

    /// Why work must stop, when it must.
    pub fn reason(&self) -> Option<String> {
        if self.0.set.load(Ordering::SeqCst) {
            return self
                .0
                .why
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
        }
        let deadline = self
            .0
            .deadline
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        match deadline {
            Some((at, what)) if Instant::now() >= at => {
                self.stop(what);
                self.reason()
            }
            _ => None,
        }
    }

    fn check(&self) -> RusticResult<()> {
        match self.reason() {
            None => Ok(()),
            Some(why) => Err(RusticError::new(
                ErrorKind::Backend,
                "Stopped before finishing: {why}",
            )
            .attach_context("why", why)),
        }
    }
}

/// A repository backend whose reads and writes fail once `stop` is set.
#[derive(Debug)]
pub struct Stoppable {
    pub inner: Arc<dyn WriteBackend>,
    pub stop: Stop,
}

impl ReadBackend for Stoppable {
    fn location(&self) -> String {
        self.inner.location()
    }
    fn list_with_size(&self, tpe: FileType) -> RusticResult<Vec<(Id, u32)>> {
        self.stop.check()?;
        self.inner.list_with_size(tpe)
    }
    fn list(&self, tpe: FileType) -> RusticResult<Vec<Id>> {
        self.stop.check()?;
        self.inner.list(tpe)
    }
    fn read_full(&self, tpe: FileType, id: &Id) -> RusticResult<Bytes> {
        self.stop.check()?;
        self.inner.read_full(tpe, id)
    }
    fn read_partial(
        &self,
        tpe: FileType,
        id: &Id,
        cacheable: bool,
        offset: u32,
        length: u32,
    ) -> RusticResult<Bytes> {
        self.stop.check()?;
        self.inner.read_partial(tpe, id, cacheable, offset, length)
    }
    fn warmup_path(&self, tpe: FileType, id: &Id) -> String {
        self.inner.warmup_path(tpe, id)
    }
    fn needs_warm_up(&self) -> bool {
        self.inner.needs_warm_up()
    }
    fn warm_up(&self, tpe: FileType, id: &Id) -> RusticResult<()> {
        self.stop.check()?;
        self.inner.warm_up(tpe, id)
    }
}

impl WriteBackend for Stoppable {
    fn create(&self) -> RusticResult<()> {
        self.stop.check()?;
        self.inner.create()
    }
    fn write_bytes(
        &self,
        tpe: FileType,
        id: &Id,
        cacheable: bool,
        content: BytesList,
    ) -> RusticResult<()> {
        self.stop.check()?;
        self.inner.write_bytes(tpe, id, cacheable, content)
    }
    fn remove(&self, tpe: FileType, id: &Id, cacheable: bool) -> RusticResult<()> {
        self.stop.check()?;
        self.inner.remove(tpe, id, cacheable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stop_keeps_its_first_reason_and_a_deadline_stops_by_itself() {
        let s = Stop::never();
        assert_eq!(s.reason(), None);
        s.stop("shutdown");
        s.stop("lease lost");
        assert_eq!(s.reason().as_deref(), Some("shutdown"));
        let t = Stop::never();
        t.after(Duration::ZERO, "the backup's timeout (1s) passed");
        assert_eq!(
            t.reason().as_deref(),
            Some("the backup's timeout (1s) passed")
        );
    }
}
