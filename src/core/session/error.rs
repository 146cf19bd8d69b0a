//! Why a user command was refused.

use std::fmt;

use super::event::State;
use crate::core::encoder::EncodeError;
use crate::core::version::Version;
use crate::text::{concat, decimal, quoted};

/// A command the session refused; nothing was sent or queued. The JS layer turns the
/// argument errors ([`SessionError::is_argument_error`]) into a `TypeError`, the rest into an
/// `Error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionError {
    /// The command needs a session that is connecting or connected; it is in this state.
    NotConnected(State),
    /// `connect` was called while the session is already connecting, connected or
    /// disconnecting.
    AlreadyConnected(State),
    /// The queue of frames waiting for CONNECTED is full (its bound is given).
    QueueFull(usize),
    /// An argument is empty or otherwise unusable; the text says which.
    InvalidArgument(&'static str),
    /// `subscribe` with an `id` that a live subscription already has.
    DuplicateSubscription(String),
    /// `unsubscribe` with an id no live subscription has.
    UnknownSubscription(String),
    /// `begin` with the id of a transaction that is still open.
    DuplicateTransaction(String),
    /// `commit` or `abort` of a transaction that is not open.
    UnknownTransaction(String),
    /// A command in (or `commit` of) a transaction that a lost connection rolled back.
    TransactionAborted(String),
    /// The negotiated version lacks the command (NACK in STOMP 1.0).
    Unsupported {
        /// The command, as on the wire.
        command: &'static str,
        /// The negotiated version.
        version: Version,
    },
    /// The transport sends text messages and the frame's body is not valid UTF-8.
    NotUtf8,
    /// The frame cannot be encoded (a header name that would corrupt the stream).
    Encode(EncodeError),
}

impl SessionError {
    /// Whether the caller passed a bad argument (a JS `TypeError`) rather than calling at
    /// the wrong time or past a limit.
    pub fn is_argument_error(&self) -> bool {
        matches!(
            self,
            SessionError::InvalidArgument(_)
                | SessionError::DuplicateSubscription(_)
                | SessionError::UnknownSubscription(_)
                | SessionError::DuplicateTransaction(_)
                | SessionError::UnknownTransaction(_)
                | SessionError::NotUtf8
                | SessionError::Encode(_)
        )
    }
}

impl SessionError {
    /// What went wrong, for people (built without `core::fmt`, see [`crate::text`]).
    pub fn message(&self) -> String {
        match self {
            SessionError::NotConnected(state) => concat(&[
                "the STOMP client is not connected (state: ",
                state.as_str(),
                ")",
            ]),
            SessionError::AlreadyConnected(state) => {
                concat(&["connect called while the STOMP client is ", state.as_str()])
            }
            SessionError::QueueFull(n) => concat(&[
                &decimal(*n as u64),
                " frames are already waiting for the connection; refusing more",
            ]),
            SessionError::InvalidArgument(what) => (*what).to_owned(),
            SessionError::DuplicateSubscription(id) => {
                concat(&["a subscription with id ", &quoted(id), " already exists"])
            }
            SessionError::UnknownSubscription(id) => {
                concat(&["no subscription with id ", &quoted(id)])
            }
            SessionError::DuplicateTransaction(id) => {
                concat(&["transaction ", &quoted(id), " is already open"])
            }
            SessionError::UnknownTransaction(id) => concat(&["no open transaction ", &quoted(id)]),
            SessionError::TransactionAborted(id) => concat(&[
                "transaction ",
                &quoted(id),
                " was aborted: the connection it began on was lost",
            ]),
            SessionError::Unsupported { command, version } => {
                concat(&[command, " is not available in STOMP ", version.as_str()])
            }
            SessionError::NotUtf8 => "the body is not valid UTF-8 text, and this transport sends \
                                      text messages (use the binary option on a WebSocket; over \
                                      SockJS bodies must be UTF-8)"
                .to_owned(),
            SessionError::Encode(e) => concat(&["the frame cannot be sent: ", &e.message()]),
        }
    }
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for SessionError {}

impl From<EncodeError> for SessionError {
    fn from(e: EncodeError) -> Self {
        SessionError::Encode(e)
    }
}
