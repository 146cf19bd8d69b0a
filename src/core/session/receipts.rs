//! Receipts the session waits for.
//!
//! A SEND with a receipt keeps its frame here once it has gone out, until the RECEIPT
//! arrives: that is what a reconnect re-sends (at-least-once delivery).

use super::ids::IdGen;
use crate::core::command::Command;
use crate::core::encoder::ContentLength;
use crate::core::frame::Frame;

/// One receipt the session waits for.
#[derive(Debug, Clone)]
pub(crate) struct PendingReceipt {
    /// The receipt id.
    pub(crate) id: String,
    /// The command of the frame that asked for it.
    pub(crate) command: Command,
    /// For a SEND that has gone out: the frame, to send again after a reconnect.
    pub(crate) resend: Option<(Frame, ContentLength)>,
}

/// The receipts the session waits for, oldest first, and the `receipt-N` generator.
#[derive(Debug, Clone)]
pub(crate) struct Receipts {
    pending: Vec<PendingReceipt>,
    ids: IdGen,
}

impl Default for Receipts {
    fn default() -> Self {
        Receipts {
            pending: Vec::new(),
            ids: IdGen::new("receipt"),
        }
    }
}

impl Receipts {
    /// A fresh id (`receipt-N`) that no pending receipt has.
    pub(crate) fn generate_id(&mut self) -> String {
        let pending = &self.pending;
        self.ids.generate(|id| pending.iter().any(|p| p.id == id))
    }

    /// Starts waiting for `id`, asked for by a `command` frame.
    pub(crate) fn register(&mut self, id: String, command: Command) {
        self.pending.push(PendingReceipt {
            id,
            command,
            resend: None,
        });
    }

    /// Keeps a SEND frame that has gone out with receipt `id`, for re-sending.
    pub(crate) fn attach(&mut self, id: &str, frame: Frame, content_length: ContentLength) {
        if let Some(p) = self
            .pending
            .iter_mut()
            .find(|p| p.id == id && p.resend.is_none())
        {
            p.resend = Some((frame, content_length));
        }
    }

    /// Stops waiting for `id` (the oldest entry with it), returning the entry.
    pub(crate) fn remove(&mut self, id: &str) -> Option<PendingReceipt> {
        let i = self.pending.iter().position(|p| p.id == id)?;
        Some(self.pending.remove(i))
    }

    /// Stops waiting for any DISCONNECT receipt.
    pub(crate) fn remove_disconnect(&mut self) {
        self.pending.retain(|p| p.command != Command::Disconnect);
    }

    /// Every pending entry, oldest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &PendingReceipt> {
        self.pending.iter()
    }

    /// Forgets every pending receipt.
    pub(crate) fn clear(&mut self) {
        self.pending.clear();
    }
}
