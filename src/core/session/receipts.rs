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
    /// Its frame has gone out (a held frame's receipt survives a lost connection).
    pub(crate) sent: bool,
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

    /// Starts waiting for `id`, asked for by a `command` frame (`sent`: it has gone out).
    pub(crate) fn register(&mut self, id: String, command: Command, sent: bool) {
        self.pending.push(PendingReceipt {
            id,
            command,
            resend: None,
            sent,
        });
    }

    /// The frame asking for receipt `id` has gone out; a SEND frame is kept for re-sending.
    pub(crate) fn mark_sent(&mut self, id: &str, frame: Frame, content_length: ContentLength) {
        if let Some(p) = self.pending.iter_mut().find(|p| p.id == id && !p.sent) {
            p.sent = true;
            if frame.command == Command::Send {
                p.resend = Some((frame, content_length));
            }
        }
    }

    /// The connection was lost: stops waiting for receipts whose frames went out and will
    /// not be sent again (all but SEND frames, DISCONNECT included).
    pub(crate) fn lost(&mut self) {
        self.pending
            .retain(|p| (!p.sent || p.resend.is_some()) && p.command != Command::Disconnect);
    }

    /// The SEND frames to send again on a new connection, oldest first.
    pub(crate) fn resends(&self) -> Vec<(Frame, ContentLength)> {
        self.pending
            .iter()
            .filter_map(|p| p.resend.clone())
            .collect()
    }

    /// Stops waiting for the receipts of SEND frames in transaction `tx`; returns their ids.
    pub(crate) fn drop_in_transaction(&mut self, tx: &str) -> Vec<String> {
        let mut dropped = Vec::new();
        self.pending.retain(|p| {
            let in_tx = p
                .resend
                .as_ref()
                .is_some_and(|(f, _)| f.headers.get("transaction") == Some(tx));
            if in_tx {
                dropped.push(p.id.clone());
            }
            !in_tx
        });
        dropped
    }

    /// Stops waiting for `id` (the oldest entry with it), returning the entry.
    pub(crate) fn remove(&mut self, id: &str) -> Option<PendingReceipt> {
        let i = self.pending.iter().position(|p| p.id == id)?;
        Some(self.pending.remove(i))
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
