//! The sans-IO STOMP session state machine.
//!
//! A [`Session`] owns no socket and reads no clock. The IO layer feeds it what happened and
//! carries out what it asks for:
//!
//! - **Inputs**: [`Session::handle_open`], [`Session::handle_data`],
//!   [`Session::handle_close`] from the transport; [`Session::handle_timeout`] when the
//!   deadline from [`Session::poll_timeout`] has passed; [`Session::check_now`] when the page
//!   becomes visible again.
//! - **User commands**: [`Session::connect`], [`Session::send`], [`Session::subscribe`],
//!   [`Session::unsubscribe`], [`Session::begin`], [`Session::commit`], [`Session::abort`],
//!   [`Session::ack`], [`Session::nack`], [`Session::disconnect`]. They return a
//!   [`SessionError`] (and change nothing) when refused.
//! - **Outputs**, to drain after every input or command: [`Session::poll_transmit`] (transport
//!   messages, already split), [`Session::poll_event`] ([`Event`]s, among them
//!   [`Event::Close`], the request to close the transport), and [`Session::poll_timeout`]
//!   (the next deadline, absolute).
//!
//! Every input and command takes `now`, wall-clock milliseconds (`Date.now()`). Time may go
//! backwards (the clock was adjusted): the session then moves its stored times back by as
//! much, so that no deadline stretches; a jump forwards looks like a late timer (see
//! [`heartbeat`]).
//!
//! # Life cycle
//!
//! ```text
//! Idle ──connect──► Connecting ──CONNECTED──► Connected ──disconnect──► Disconnecting
//!                       │                        │                          │
//!                       └──── transport closed ──┴────── transport closed ──┴──► Closed
//!                          (with a reconnect policy: ──► Reconnecting ──CONNECTED──► Connected)
//! ```
//!
//! - `connect` remembers the CONNECT frame and sends it once the transport is open. No
//!   CONNECTED within [`Config::timeout_ms`] of sending it: [`Event::Close`] with
//!   [`CLOSE_CONNECT_TIMEOUT`].
//! - Commands issued while connecting are held in order (at most [`Config::max_queued`]) and
//!   sent after CONNECTED. Subscriptions live in a registry: on CONNECTED every live
//!   subscription is sent first, then the held frames.
//! - `disconnect` sends DISCONNECT with a receipt. Its RECEIPT, or [`Config::timeout_ms`]
//!   without it, makes the session request the close; the transport closing (for any reason)
//!   makes it [`State::Closed`].
//! - Whenever the session requests a close, it stops its heart-beats and ignores further
//!   data; if the transport's close is not reported within [`Config::timeout_ms`], it counts
//!   the transport as closed. The IO layer must report [`Session::handle_close`] only for the
//!   transport it currently drives.
//! - **Reconnect** ([`Config::reconnect`]): a transport lost while connecting or connected
//!   (not after `disconnect`) makes the session [`State::Reconnecting`]: it reports
//!   [`Event::Lost`] instead of [`Event::Closed`], waits the policy's delay, then asks for a
//!   new transport with [`Event::Reconnect`], and sends the same CONNECT once it opens. On
//!   CONNECTED it sends every live subscription again (same id and headers), then every SEND
//!   whose receipt has not come (at-least-once), then the held commands. When the policy
//!   allows no more attempts, the session is [`State::Closed`].
//! - A lost transport keeps the subscription registry, the held frames and the SEND frames
//!   awaiting receipts, so that a reconnect (or a new `connect`) resumes; `disconnect` clears
//!   them. Transactions whose BEGIN went out are aborted ([`Event::TransactionAborted`]): the
//!   server forgot them.
//!
//! # Example
//!
//! ```
//! use webstomp_wasm::core::frame::Headers;
//! use webstomp_wasm::core::session::{Config, Event, Session, State};
//!
//! let mut s = Session::new(Config::default());
//! s.connect(0, Headers::new()).unwrap();
//! assert_eq!(s.poll_transmit(), None); // the transport is not open yet
//! s.handle_open(10, Some("v12.stomp"));
//! let connect = s.poll_transmit().unwrap(); // the CONNECT frame, to send
//! # let _ = connect;
//! assert_eq!(s.poll_event(), Some(Event::StateChanged(State::Connecting)));
//! assert_eq!(s.poll_timeout(), Some(5_010)); // the CONNECTED deadline
//! ```
#![cfg_attr(
    not(test),
    deny(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)
)]

mod ack;
mod backoff;
mod commands;
mod config;
pub mod debug;
mod error;
mod event;
pub mod heartbeat;
mod ids;
mod input;
mod lifecycle;
mod queue;
mod receipts;
mod subscriptions;
mod transactions;

#[cfg(test)]
mod tests;

use std::collections::VecDeque;

pub use commands::Issued;
pub use config::{Config, HeartbeatConfig, ReconnectConfig};
pub use error::SessionError;
pub use event::{
    Event, State, CLOSE_CONNECT_TIMEOUT, CLOSE_HEARTBEAT_TIMEOUT, CLOSE_NORMAL,
    CLOSE_PROTOCOL_ERROR,
};
pub use heartbeat::Negotiated;
pub use subscriptions::Subscription;

use crate::core::decoder::Decoder;
use crate::core::encoder::{self, ContentLength, EncodeError};
use crate::core::frame::{Frame, Headers};
use crate::core::version::Version;
use backoff::Backoff;
use heartbeat::Heartbeat;
use ids::Ids;
use queue::Queue;
use receipts::Receipts;
use subscriptions::Subscriptions;
use transactions::Transactions;

/// The longest WebSocket close reason, in UTF-8 bytes.
const MAX_CLOSE_REASON: usize = 123;

/// A close the session asked the IO layer for, not yet reported done.
#[derive(Debug, Clone)]
struct Closing {
    code: u16,
    reason: String,
    /// When to count the transport as closed anyway.
    deadline: Option<u64>,
}

/// One STOMP session over a sequence of transports (see the [module docs](self)).
#[derive(Debug)]
pub struct Session {
    config: Config,
    state: State,
    debug: bool,
    /// The latest `now` seen.
    now: u64,
    transport_open: bool,
    /// The version the transport's subprotocol named, if any.
    subprotocol_version: Option<Version>,
    /// The version CONNECTED announced.
    version: Option<Version>,
    /// The CONNECTED frame's headers.
    connected_headers: Option<Headers>,
    /// The encoded CONNECT frame, kept for every (re)connect.
    connect_frame: Option<Vec<u8>>,
    connect_deadline: Option<u64>,
    disconnect_deadline: Option<u64>,
    /// When a transport that has not opened counts as failed (see [`Session::opening`]).
    open_deadline: Option<u64>,
    /// When the next reconnect attempt starts.
    reconnect_deadline: Option<u64>,
    backoff: Backoff,
    /// `disconnect` was called since the last `connect`.
    disconnect_requested: bool,
    closing: Option<Closing>,
    decoder: Decoder,
    heartbeat: Heartbeat,
    subscriptions: Subscriptions,
    receipts: Receipts,
    transactions: Transactions,
    queue: Queue,
    transmits: VecDeque<Vec<u8>>,
    events: VecDeque<Event>,
}

impl Session {
    /// A session in [`State::Idle`] with no transport.
    pub fn new(config: Config) -> Self {
        Session {
            debug: config.debug,
            decoder: Decoder::new(config.limits),
            backoff: Backoff::new(config.seed),
            config,
            state: State::Idle,
            now: 0,
            transport_open: false,
            subprotocol_version: None,
            version: None,
            connected_headers: None,
            connect_frame: None,
            connect_deadline: None,
            disconnect_deadline: None,
            open_deadline: None,
            reconnect_deadline: None,
            disconnect_requested: false,
            closing: None,
            heartbeat: Heartbeat::default(),
            subscriptions: Subscriptions::default(),
            receipts: Receipts::default(),
            transactions: Transactions::default(),
            queue: Queue::default(),
            transmits: VecDeque::new(),
            events: VecDeque::new(),
        }
    }

    // ----- outputs -----

    /// The next transport message to send (at most [`Config::max_ws_frame_size`] bytes when
    /// that is set; UTF-8 text when [`Config::text`] is set).
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.transmits.pop_front()
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// When [`Session::handle_timeout`] must be called next (absolute ms), if ever.
    pub fn poll_timeout(&self) -> Option<u64> {
        if let Some(closing) = &self.closing {
            return closing.deadline;
        }
        [
            self.connect_deadline,
            self.disconnect_deadline,
            self.open_deadline,
            self.reconnect_deadline,
            self.heartbeat.send_deadline(),
            self.heartbeat.receive_deadline(),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    // ----- read-only state -----

    /// The current state.
    pub fn state(&self) -> State {
        self.state
    }

    /// Whether the session is [`State::Connected`] (the JS `connected` property).
    pub fn is_connected(&self) -> bool {
        self.state == State::Connected
    }

    /// The version the last CONNECTED frame announced.
    pub fn version(&self) -> Option<Version> {
        self.version
    }

    /// The heart-beat intervals in force (zero when off or not connected).
    pub fn heartbeat(&self) -> Negotiated {
        self.heartbeat.intervals
    }

    /// The last CONNECTED frame's headers.
    pub fn connected_headers(&self) -> Option<&Headers> {
        self.connected_headers.as_ref()
    }

    /// The last CONNECTED frame's `server` header.
    pub fn server(&self) -> Option<&str> {
        self.connected_headers.as_ref()?.get("server")
    }

    /// The last CONNECTED frame's `session` header.
    pub fn session_id(&self) -> Option<&str> {
        self.connected_headers.as_ref()?.get("session")
    }

    /// Whether the transport is open (reported open and not yet closed).
    pub fn is_transport_open(&self) -> bool {
        self.transport_open
    }

    /// Whether the subscription `id` is live.
    pub fn has_subscription(&self, id: &str) -> bool {
        self.subscriptions.contains(id)
    }

    /// Every live subscription, oldest first.
    pub fn subscriptions(&self) -> impl Iterator<Item = &Subscription> {
        self.subscriptions.iter()
    }

    /// The ids of the receipts the session waits for, oldest first.
    pub fn pending_receipts(&self) -> impl Iterator<Item = &str> {
        self.receipts.iter().map(|p| p.id.as_str())
    }

    /// The open transactions, oldest first.
    pub fn open_transactions(&self) -> impl Iterator<Item = &str> {
        self.transactions.iter()
    }

    /// The number of the current reconnect attempt: 0 unless [`State::Reconnecting`].
    pub fn reconnect_attempt(&self) -> u32 {
        match self.state {
            State::Reconnecting => self.backoff.attempt(),
            _ => 0,
        }
    }

    /// How many commands wait for CONNECTED.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Whether [`Event::Debug`] lines are emitted.
    pub fn debug(&self) -> bool {
        self.debug
    }

    /// A line from the transport for the debug log (an [`Event::Debug`] when debug is on).
    pub fn note(&mut self, line: &str) {
        if self.debug {
            self.debug_line("", line.to_owned());
        }
    }

    /// Turns [`Event::Debug`] lines on or off.
    pub fn set_debug(&mut self, on: bool) {
        self.debug = on;
    }

    /// Sets [`Config::text`] for frames sent from now on: a client whose URLs mix SockJS
    /// (always text) and WebSocket (text unless `binary`) sets it before opening each one.
    pub fn set_text(&mut self, text: bool) {
        self.config.text = text;
    }

    // ----- internals shared by the other files -----

    /// Takes note of `now`; when the clock went back, moves every stored time back as much.
    fn observe(&mut self, now: u64) {
        if now < self.now {
            let by = self.now - now;
            let back = |t: &mut Option<u64>| *t = t.map(|t| t.saturating_sub(by));
            back(&mut self.connect_deadline);
            back(&mut self.disconnect_deadline);
            back(&mut self.open_deadline);
            back(&mut self.reconnect_deadline);
            if let Some(closing) = &mut self.closing {
                back(&mut closing.deadline);
            }
            self.heartbeat.shift_back(by);
        }
        self.now = now;
    }

    /// `now + timeout_ms`, or `None` when the timeout is off.
    fn deadline_after(&self, now: u64) -> Option<u64> {
        match self.config.timeout_ms {
            0 => None,
            ms => Some(now.saturating_add(ms)),
        }
    }

    fn set_state(&mut self, state: State) {
        if self.state != state {
            self.state = state;
            self.events.push_back(Event::StateChanged(state));
        }
    }

    fn debug_line(&mut self, prefix: &str, rendered: String) {
        let mut line = String::with_capacity(prefix.len() + rendered.len());
        line.push_str(prefix);
        line.push_str(&rendered);
        self.events.push_back(Event::Debug(line));
    }

    /// Encodes `frame` for the negotiated version.
    fn encode(&self, frame: &Frame, content_length: ContentLength) -> Result<Vec<u8>, EncodeError> {
        let version = self.version.unwrap_or(Version::V1_2);
        let mut out = Vec::with_capacity(frame.body.len().saturating_add(128));
        encoder::encode_into(&mut out, frame, version, content_length)?;
        Ok(out)
    }

    /// Queues encoded bytes for the transport, split per [`Config::max_ws_frame_size`].
    fn push_transmit(&mut self, now: u64, bytes: Vec<u8>) {
        if self.debug {
            self.debug_line(">>> ", debug::describe_bytes(&bytes));
        }
        let max = self.config.max_ws_frame_size;
        if max == 0 || bytes.len() <= max {
            self.transmits.push_back(bytes);
        } else {
            // Text pieces must each be valid UTF-8: cut on character boundaries whenever the
            // frame is text, whatever the transport.
            let text = self.config.text || std::str::from_utf8(&bytes).is_ok();
            for piece in encoder::split(&bytes, max, text) {
                self.transmits.push_back(piece.to_vec());
            }
        }
        self.heartbeat.sent(now);
    }

    /// Encodes and queues `frame`; a SEND with a receipt is then kept for re-sending.
    fn transmit_frame(
        &mut self,
        now: u64,
        frame: Frame,
        content_length: ContentLength,
    ) -> Result<(), EncodeError> {
        let bytes = self.encode(&frame, content_length)?;
        self.push_transmit(now, bytes);
        self.note_sent(frame, content_length);
        Ok(())
    }

    /// Marks the receipt of a frame that went out as sent; a SEND frame is kept until its
    /// receipt comes, to be sent again on a new connection (at-least-once).
    fn note_sent(&mut self, frame: Frame, content_length: ContentLength) {
        if let Some(id) = frame.headers.get("receipt").map(str::to_owned) {
            self.receipts.mark_sent(&id, frame, content_length);
        }
    }

    /// The connection is dead or unusable (no heart-beat, no CONNECTED, bad input, refused):
    /// asks the IO layer to close the transport and, without waiting for its close (which may
    /// never come through a black hole), ends the session's use of it at once, so that a
    /// reconnect starts and commands are held rather than refused meanwhile.
    fn fail_connection(&mut self, now: u64, code: u16, reason: String) {
        self.request_close(now, code, reason);
        if let Some(closing) = self.closing.take() {
            self.finish_closed(closing.code, closing.reason, false);
        }
    }

    /// Asks the IO layer to close the transport (once), stopping heart-beats and timers.
    fn request_close(&mut self, now: u64, code: u16, mut reason: String) {
        if self.closing.is_some() {
            return;
        }
        if reason.len() > MAX_CLOSE_REASON {
            let mut end = MAX_CLOSE_REASON;
            while !reason.is_char_boundary(end) {
                end = end.saturating_sub(1);
            }
            reason.truncate(end);
        }
        self.heartbeat.stop();
        self.connect_deadline = None;
        self.disconnect_deadline = None;
        self.open_deadline = None;
        self.closing = Some(Closing {
            code,
            reason: reason.clone(),
            deadline: self.deadline_after(now),
        });
        self.events.push_back(Event::Close { code, reason });
    }
}
