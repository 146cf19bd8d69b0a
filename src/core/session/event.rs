//! What the session reports: its states and its events.

use std::fmt;

use crate::core::frame::Frame;

/// Close code for a normal end of the session (a completed or timed-out DISCONNECT).
pub const CLOSE_NORMAL: u16 = 1000;
/// Close code when the server stayed silent past the heart-beat limit.
pub const CLOSE_HEARTBEAT_TIMEOUT: u16 = 4000;
/// Close code when no CONNECTED frame came within the timeout.
pub const CLOSE_CONNECT_TIMEOUT: u16 = 4001;
/// Close code when the server sent bytes that are not STOMP (or past a size limit).
pub const CLOSE_PROTOCOL_ERROR: u16 = 4002;

/// The session's state, as the JS `state` property shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// Created; `connect` not called yet.
    Idle,
    /// `connect` called; waiting for the transport and then for CONNECTED.
    Connecting,
    /// CONNECTED received: commands go out at once.
    Connected,
    /// The connection was lost and a new one is being made ([`Config::reconnect`]): waiting
    /// for the next attempt, for its transport or for its CONNECTED. Commands are held.
    ///
    /// [`Config::reconnect`]: super::Config::reconnect
    Reconnecting,
    /// DISCONNECT sent (or requested before CONNECTED); waiting for its RECEIPT, the
    /// transport's close or the timeout.
    Disconnecting,
    /// The transport closed; the session is over until `connect` is called again.
    Closed,
}

impl State {
    /// The state's JS name: `"idle"`, `"connecting"`, `"connected"`, `"reconnecting"`,
    /// `"disconnecting"` or `"closed"`.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Idle => "idle",
            State::Connecting => "connecting",
            State::Connected => "connected",
            State::Reconnecting => "reconnecting",
            State::Disconnecting => "disconnecting",
            State::Closed => "closed",
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something the IO and API layers must act on, from [`Session::poll_event`].
///
/// [`Session::poll_event`]: super::Session::poll_event
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The state changed to this one.
    StateChanged(State),
    /// The CONNECTED frame: the session is open.
    Connected(Frame),
    /// A MESSAGE frame.
    Message {
        /// The frame.
        frame: Frame,
        /// Its `subscription` header.
        subscription: Option<String>,
        /// Whether a live subscription has that id (if not, the API gives the frame to
        /// `onreceive`).
        known: bool,
        /// The stream offsets of the frame and of its body: where their bytes were in the
        /// input, counting every byte given to
        /// [`Session::handle_data`](super::Session::handle_data) since the session began (see
        /// [`Session::input_position`](super::Session::input_position)).
        frame_at: u64,
        /// See `frame_at`.
        body_at: u64,
    },
    /// A RECEIPT frame (every one, including the DISCONNECT's).
    Receipt {
        /// Its `receipt-id` header (empty when missing).
        id: String,
        /// The frame.
        frame: Frame,
    },
    /// An ERROR frame; the server closes the connection after it.
    ServerError(Frame),
    /// Bad input from the server or a queued frame that could not be sent; the message says
    /// what happened. Fatal problems are followed by [`Event::Close`].
    ProtocolError(String),
    /// A request to the IO layer: close the transport with this code and reason. The reason
    /// fits a WebSocket close frame (at most 123 bytes).
    Close {
        /// The close code (1000, or 4000-4002: see the `CLOSE_*` constants).
        code: u16,
        /// Why, for people.
        reason: String,
    },
    /// The transport closed (reported by [`Session::handle_close`], or assumed when a close
    /// the session requested was not reported within the timeout).
    ///
    /// [`Session::handle_close`]: super::Session::handle_close
    Closed {
        /// The close code: the session's own if it had requested the close, else the
        /// transport's.
        code: u16,
        /// The close reason, chosen like `code`.
        reason: String,
        /// Whether the transport closed cleanly.
        was_clean: bool,
        /// Whether the user had called `disconnect` (so this close is no failure).
        after_disconnect: bool,
    },
    /// The transport was lost (as [`Event::Closed`] reports it) and reconnect attempt
    /// `attempt` starts after `delay_ms`: the session is [`State::Reconnecting`].
    Lost {
        /// The close code, chosen as for [`Event::Closed`].
        code: u16,
        /// The close reason.
        reason: String,
        /// Whether the transport closed cleanly.
        was_clean: bool,
        /// The number of the coming attempt (1 after a CONNECTED session).
        attempt: u32,
        /// The wait before it, in ms.
        delay_ms: u64,
    },
    /// A request to the IO layer: open a new transport for reconnect attempt `attempt`; the
    /// session sends CONNECT when [`Session::handle_open`] reports it open.
    ///
    /// [`Session::handle_open`]: super::Session::handle_open
    Reconnect {
        /// The attempt's number, from 1.
        attempt: u32,
    },
    /// A transaction begun on a lost connection: the server rolled it back with it. Its id
    /// can no longer be committed.
    TransactionAborted(String),
    /// A receipt that will never come, because its frame was dropped (it belonged to an
    /// aborted transaction, or could not be sent after CONNECTED).
    ReceiptDropped {
        /// The receipt id.
        id: String,
        /// Why, for people.
        reason: String,
    },
    /// A debug line for an outgoing frame or heart-beat, secrets masked (only when debug
    /// lines are on).
    Debug(String),
}
