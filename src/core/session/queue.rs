//! Frames the user issued before CONNECTED, held in order until it arrives.
//!
//! They are kept as frames, not bytes: header escaping and the ACK headers depend on the
//! version that CONNECTED announces.

use std::collections::VecDeque;

use super::error::SessionError;
use crate::core::command::Command;
use crate::core::encoder::ContentLength;
use crate::core::frame::{Frame, Headers};

/// One held command.
#[derive(Debug, Clone)]
pub(crate) enum Queued {
    /// A complete frame (SEND, BEGIN, COMMIT, ABORT).
    Frame(Frame, ContentLength),
    /// An ACK or NACK, whose headers depend on the version.
    Ack {
        /// NACK rather than ACK.
        nack: bool,
        /// The message's `ack` (1.2) or `message-id` (1.0, 1.1) value.
        message_id: String,
        /// The subscription id.
        subscription: String,
        /// The caller's other headers.
        headers: Headers,
    },
}

/// A bounded FIFO of held commands.
#[derive(Debug, Clone, Default)]
pub(crate) struct Queue {
    items: VecDeque<Queued>,
}

impl Queue {
    /// Appends `item`, or refuses it when `max` items are already held.
    pub(crate) fn push(&mut self, item: Queued, max: usize) -> Result<(), SessionError> {
        if self.items.len() >= max {
            return Err(SessionError::QueueFull(max));
        }
        self.items.push_back(item);
        Ok(())
    }

    /// Whether another item fits under `max`.
    pub(crate) fn has_room(&self, max: usize) -> bool {
        self.items.len() < max
    }

    /// Takes every held item, oldest first.
    pub(crate) fn take(&mut self) -> VecDeque<Queued> {
        std::mem::take(&mut self.items)
    }

    /// The number of held items.
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether a held BEGIN opens transaction `id` (it has not gone out yet).
    pub(crate) fn holds_begin(&self, id: &str) -> bool {
        self.items.iter().any(|item| match item {
            Queued::Frame(frame, _) => {
                frame.command == Command::Begin && frame.headers.get("transaction") == Some(id)
            }
            Queued::Ack { .. } => false,
        })
    }

    /// Drops every held item.
    pub(crate) fn clear(&mut self) {
        self.items.clear();
    }
}
