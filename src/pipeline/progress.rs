//! Progress of long work (files read), reported to an optional observer. The library never
//! draws anything itself: `yeep run` on a terminal passes a progress bar (see `cli`), every
//! other caller — tests, log collectors, `--log-format json` — passes nothing.

use std::fmt;
use std::sync::Arc;

/// Something that shows progress, e.g. a terminal bar. Called from worker threads.
pub trait Progress: Send + Sync {
    /// A stage begins: `what` (e.g. `2023 submissions`), in `total` steps.
    fn begin(&self, what: &str, total: u64);
    /// One step (one file) is done.
    fn step(&self);
    /// The stage is over.
    fn end(&self);
}

/// An optional [`Progress`], cheap to clone. The default reports to no one.
///
/// # Examples
///
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use yeep::pipeline::progress::{Progress, ProgressHandle};
///
/// #[derive(Default)]
/// struct Count(AtomicU64);
/// impl Progress for Count {
///     fn begin(&self, _what: &str, _total: u64) {}
///     fn step(&self) {
///         self.0.fetch_add(1, Ordering::Relaxed);
///     }
///     fn end(&self) {}
/// }
///
/// let count = std::sync::Arc::new(Count::default());
/// let h = ProgressHandle::new(count.clone());
/// h.begin("files", 2);
/// h.step();
/// h.step();
/// h.end();
/// assert_eq!(count.0.load(Ordering::Relaxed), 2);
/// ProgressHandle::default().step(); // nothing to report to
/// ```
#[derive(Clone, Default)]
pub struct ProgressHandle(Option<Arc<dyn Progress>>);

impl ProgressHandle {
    /// Reports to `p`.
    pub fn new(p: Arc<dyn Progress>) -> ProgressHandle {
        ProgressHandle(Some(p))
    }

    /// Whether anyone is told.
    pub fn is_some(&self) -> bool {
        self.0.is_some()
    }

    /// See [`Progress::begin`].
    pub fn begin(&self, what: &str, total: u64) {
        if let Some(p) = &self.0 {
            p.begin(what, total);
        }
    }

    /// See [`Progress::step`].
    pub fn step(&self) {
        if let Some(p) = &self.0 {
            p.step();
        }
    }

    /// See [`Progress::end`].
    pub fn end(&self) {
        if let Some(p) = &self.0 {
            p.end();
        }
    }
}

impl fmt::Debug for ProgressHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "ProgressHandle(Some(..))"
        } else {
            "ProgressHandle(None)"
        })
    }
}
