//! Writing data files (offices, the coverage table) on a named thread, so building and syncing
//! a large file never stalls the window; the outcome is picked up by the next frame.

use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// A data file being written.
pub struct DataExportJob {
    receiver: Receiver<Result<(), String>>,
}

impl DataExportJob {
    /// Runs `write` on its own thread; `repaint` is called when it is done. `Err` when the
    /// thread cannot start (the caller reports it).
    pub fn start(
        write: impl FnOnce() -> Result<(), String> + Send + 'static,
        repaint: impl Fn() + Send + 'static,
    ) -> std::io::Result<Self> {
        let (sender, receiver) = channel();
        std::thread::Builder::new()
            .name("mahalleh-export".into())
            .spawn(move || {
                let _ = sender.send(write());
                repaint();
            })?;
        Ok(Self { receiver })
    }

    /// The outcome once the file is written (or failed); `None` while it is being written.
    pub fn poll(&self) -> Option<Result<(), String>> {
        match self.receiver.try_recv() {
            Ok(outcome) => Some(outcome),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err("the export stopped unexpectedly".into())),
        }
    }
}
