//! Cancelling a solve and watching its progress from another thread: a shared flag and a pair
//! of work counters, cheap enough to touch in the solvers' inner loops.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The answer was not finished: someone cancelled the solve.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the solve was cancelled")]
pub struct Cancelled;

/// Shared between a solve and whoever waits for it: clone it, hand one clone to the solver and
/// keep the other to call [`SolveControl::cancel`] or read [`SolveControl::progress`].
///
/// ```
/// use mahalleh::analysis::location::SolveControl;
/// let control = SolveControl::default();
/// let watcher = control.clone();
/// assert!(!control.is_cancelled());
/// watcher.cancel();
/// assert!(control.is_cancelled());
/// ```
#[derive(Clone, Debug, Default)]
pub struct SolveControl {
    shared: Arc<Shared>,
}

#[derive(Debug, Default)]
struct Shared {
    cancelled: AtomicBool,
    done: AtomicU64,
    total: AtomicU64,
}

impl SolveControl {
    /// Asks the solve to stop; it returns [`Cancelled`] at its next check (within milliseconds).
    pub fn cancel(&self) {
        self.shared.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether [`SolveControl::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.shared.cancelled.load(Ordering::Relaxed)
    }

    /// `Err(Cancelled)` once cancelled: for `?` at the solvers' checkpoints.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.is_cancelled() { Err(Cancelled) } else { Ok(()) }
    }

    /// Share of the planned work done so far, 0..=1 (0 before any work is planned).
    pub fn progress(&self) -> f32 {
        let total = self.shared.total.load(Ordering::Relaxed);
        let done = self.shared.done.load(Ordering::Relaxed);
        if total == 0 {
            0.0
        } else {
            (done as f64 / total as f64).clamp(0.0, 1.0) as f32
        }
    }

    /// Adds `units` to the work the solve expects to do.
    pub(crate) fn plan(&self, units: u64) {
        self.shared.total.fetch_add(units, Ordering::Relaxed);
    }

    /// Marks `units` of the planned work as done.
    pub(crate) fn advance(&self, units: u64) {
        self.shared.done.fetch_add(units, Ordering::Relaxed);
    }

    /// Marks all planned work as done (a stage that finished early).
    pub(crate) fn finish(&self) {
        let total = self.shared.total.load(Ordering::Relaxed);
        self.shared.done.fetch_max(total, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_the_share_of_planned_work_done() {
        let control = SolveControl::default();
        assert_eq!(control.progress(), 0.0);
        control.plan(8);
        control.advance(2);
        assert!((control.progress() - 0.25).abs() < 1e-6);
        control.advance(20);
        assert_eq!(control.progress(), 1.0);
        assert_eq!(control.check(), Ok(()));
        control.clone().cancel();
        assert_eq!(control.check(), Err(Cancelled));
    }
}
