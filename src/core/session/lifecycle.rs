//! Opening and closing: `connect`, `disconnect`, the transport's open and close, timers.

use super::{
    Event, Session, SessionError, State, CLOSE_CONNECT_TIMEOUT, CLOSE_HEARTBEAT_TIMEOUT,
    CLOSE_NORMAL,
};
use crate::core::command::Command;
use crate::core::decoder::Decoder;
use crate::core::encoder::ContentLength;
use crate::core::frame::{Frame, Headers};
use crate::core::version::{accept_version, Version};
use crate::text::{concat, decimal, quoted};

impl Session {
    /// Starts the session: builds the CONNECT frame (`accept-version` from the subprotocols,
    /// `heart-beat` from the config, then the caller's headers such as `login`, `passcode` and
    /// `host`, which is sent only when given) and sends it as soon as the transport is open
    /// (at once if it already is).
    ///
    /// Allowed in [`State::Idle`] and [`State::Closed`]. The caller's `accept-version` and
    /// `heart-beat` headers are replaced by the session's own.
    pub fn connect(&mut self, now: u64, headers: Headers) -> Result<(), SessionError> {
        self.observe(now);
        match self.state {
            State::Idle | State::Closed => {}
            state => return Err(SessionError::AlreadyConnected(state)),
        }
        let hb = self.config.heartbeat;
        let mut all = Headers::with_capacity(headers.len() + 2);
        all.push("accept-version", accept_version(&self.config.subprotocols));
        all.push(
            "heart-beat",
            concat(&[&decimal(hb.outgoing_ms), ",", &decimal(hb.incoming_ms)]),
        );
        for (name, value) in headers.iter() {
            if name != "accept-version" && name != "heart-beat" {
                all.push(name, value);
            }
        }
        let frame = Frame {
            command: Command::Connect,
            headers: all,
            body: Vec::new(),
        };
        // CONNECT is never escaped, so the version does not matter here.
        let mut bytes = Vec::with_capacity(128);
        crate::core::encoder::encode_into(&mut bytes, &frame, Version::V1_2, ContentLength::Auto)?;
        self.connect_frame = Some(bytes);
        self.version = None;
        self.connected_headers = None;
        self.disconnect_requested = false;
        self.set_state(State::Connecting);
        if self.transport_open {
            self.send_connect(now);
        }
        Ok(())
    }

    /// Sends the CONNECT frame and starts the CONNECTED deadline.
    fn send_connect(&mut self, now: u64) {
        if let Some(bytes) = self.connect_frame.clone() {
            self.push_transmit(now, bytes);
            self.connect_deadline = self.deadline_after(now);
        }
    }

    /// Ends the session politely. When connected: sends DISCONNECT with a receipt (the
    /// caller's `receipt` header, else a generated one; returned), enters
    /// [`State::Disconnecting`], and requests the close when the RECEIPT arrives or after
    /// [`Config::timeout_ms`](super::Config::timeout_ms); the transport closing first also
    /// ends it. Before CONNECTED: requests the close at once (there is nothing to say
    /// DISCONNECT to). In any other state it does nothing.
    ///
    /// The subscriptions, held frames, transactions and receipts are dropped when the
    /// transport has closed.
    pub fn disconnect(
        &mut self,
        now: u64,
        mut headers: Headers,
    ) -> Result<Option<String>, SessionError> {
        self.observe(now);
        match self.state {
            State::Idle | State::Closed | State::Disconnecting => Ok(None),
            State::Connecting | State::Reconnecting => {
                self.disconnect_requested = true;
                self.set_state(State::Disconnecting);
                self.request_close(
                    now,
                    CLOSE_NORMAL,
                    "disconnected before the session opened".to_owned(),
                );
                if !self.transport_open {
                    self.finish_closed(CLOSE_NORMAL, String::new(), true);
                }
                Ok(None)
            }
            State::Connected => {
                if self.closing.is_some() {
                    // A close is already under way; it ends the session.
                    self.disconnect_requested = true;
                    self.set_state(State::Disconnecting);
                    return Ok(None);
                }
                let receipt = match self.take_receipt(&mut headers)? {
                    Some(id) => id,
                    None => {
                        let id = self.receipts.generate_id();
                        headers.set("receipt", id.as_str());
                        id
                    }
                };
                let frame = Frame {
                    command: Command::Disconnect,
                    headers,
                    body: Vec::new(),
                };
                let bytes = self.encode(&frame, ContentLength::Auto)?;
                self.push_transmit(now, bytes);
                self.receipts
                    .register(receipt.clone(), Command::Disconnect, true);
                self.disconnect_requested = true;
                self.disconnect_deadline = self.deadline_after(now);
                self.set_state(State::Disconnecting);
                Ok(Some(receipt))
            }
        }
    }

    /// The transport is open. `protocol` is the negotiated WebSocket subprotocol, if any:
    /// when it names a STOMP version, that version is used until CONNECTED says otherwise
    /// (and when CONNECTED has no `version` header). Sends CONNECT if `connect` was called.
    pub fn handle_open(&mut self, now: u64, protocol: Option<&str>) {
        self.observe(now);
        if self.transport_open {
            return;
        }
        self.transport_open = true;
        self.open_deadline = None;
        self.decoder = Decoder::starting_at(self.config.limits, self.decoder.position());
        self.subprotocol_version = protocol.and_then(Version::from_subprotocol);
        if let Some(v) = self.subprotocol_version {
            self.decoder.set_version(v);
        }
        self.heartbeat.received(now);
        if matches!(self.state, State::Connecting | State::Reconnecting) && self.closing.is_none() {
            self.send_connect(now);
        }
    }

    /// The transport closed (or failed to open). Emits [`State::Closed`] and
    /// [`Event::Closed`], unless the session already counted the transport as closed.
    pub fn handle_close(&mut self, now: u64, code: u16, reason: &str, was_clean: bool) {
        self.observe(now);
        // Closed, or waiting for the next attempt: no transport of the session's is open.
        let idle = self.state == State::Closed || self.reconnect_deadline.is_some();
        if idle && self.closing.is_none() {
            self.transport_open = false;
            return;
        }
        self.finish_closed(code, reason.to_owned(), was_clean);
    }

    /// The IO layer dropped the transport without waiting for its close (the client is being
    /// shut down): ends the session as after `disconnect`, at once and without reconnecting.
    pub fn abandon(&mut self, now: u64) {
        self.observe(now);
        if !matches!(self.state, State::Idle | State::Closed) {
            self.disconnect_requested = true;
            self.closing = None;
            self.finish_closed(CLOSE_NORMAL, "client closed".to_owned(), true);
        }
    }

    /// The IO layer has started opening a transport. With `limit_ms`, one that has not
    /// opened by then counts as failed ([`Event::Close`] with [`CLOSE_CONNECT_TIMEOUT`]); a
    /// transport with attempt timeouts of its own (SockJS) passes `None`.
    pub fn opening(&mut self, now: u64, limit_ms: Option<u64>) {
        self.observe(now);
        self.open_deadline = match limit_ms {
            Some(ms) if ms > 0 && !self.transport_open => Some(now.saturating_add(ms)),
            _ => None,
        };
    }

    /// Ends the session's use of the transport: clears per-connection data, aborts the
    /// transactions the server forgot, and either schedules a reconnect ([`Event::Lost`]) or
    /// emits [`State::Closed`] and [`Event::Closed`] (with the session's own code and reason
    /// if it had asked for the close).
    pub(super) fn finish_closed(&mut self, code: u16, reason: String, was_clean: bool) {
        let (code, reason) = match self.closing.take() {
            Some(c) => (c.code, c.reason),
            None => (code, reason),
        };
        let after_disconnect = self.disconnect_requested;
        let wanted = matches!(
            self.state,
            State::Connecting | State::Connected | State::Reconnecting
        );
        self.transport_open = false;
        self.connect_deadline = None;
        self.disconnect_deadline = None;
        self.open_deadline = None;
        self.reconnect_deadline = None;
        self.heartbeat.stop();
        self.transmits.clear();
        self.decoder = Decoder::starting_at(self.config.limits, self.decoder.position());
        self.disconnect_requested = false;
        if after_disconnect {
            self.subscriptions.clear();
            self.queue.clear();
            self.transactions.clear();
            self.receipts.clear();
        } else {
            self.receipts.lost();
            self.abort_transactions();
            let next = match self.config.reconnect {
                Some(policy) if wanted => self.backoff.next(&policy),
                _ => None,
            };
            if let Some(delay_ms) = next {
                self.reconnect_deadline = Some(self.now.saturating_add(delay_ms));
                self.set_state(State::Reconnecting);
                self.events.push_back(Event::Lost {
                    code,
                    reason,
                    was_clean,
                    attempt: self.backoff.attempt(),
                    delay_ms,
                });
                return;
            }
        }
        self.backoff.reset();
        self.set_state(State::Closed);
        self.events.push_back(Event::Closed {
            code,
            reason,
            was_clean,
            after_disconnect,
        });
    }

    /// The deadline from [`Session::poll_timeout`] has passed (a call before it, or a
    /// repeated call, is harmless).
    pub fn handle_timeout(&mut self, now: u64) {
        self.observe(now);
        if let Some(closing) = &self.closing {
            if closing.deadline.is_some_and(|d| now >= d) {
                self.finish_closed(0, String::new(), false);
            }
            return;
        }
        if self.reconnect_deadline.is_some_and(|d| now >= d) {
            self.reconnect_deadline = None;
            let attempt = self.backoff.attempt();
            self.events.push_back(Event::Reconnect { attempt });
            return;
        }
        if self.open_deadline.is_some_and(|d| now >= d) {
            let reason = "the transport did not open in time".to_owned();
            self.fail_connection(now, CLOSE_CONNECT_TIMEOUT, reason);
            return;
        }
        if self.connect_deadline.is_some_and(|d| now >= d) {
            let reason = concat(&[
                "no CONNECTED frame from the server within ",
                &decimal(self.config.timeout_ms),
                " ms",
            ]);
            self.fail_connection(now, CLOSE_CONNECT_TIMEOUT, reason);
            return;
        }
        if self.disconnect_deadline.is_some_and(|d| now >= d) {
            let reason = concat(&[
                "no RECEIPT for DISCONNECT within ",
                &decimal(self.config.timeout_ms),
                " ms",
            ]);
            self.request_close(now, CLOSE_NORMAL, reason);
            return;
        }
        self.run_heartbeat(now);
    }

    /// Runs the heart-beat checks at once, whatever the deadline (for the page's
    /// `visibilitychange`): after a long freeze this grants the grace interval rather than
    /// closing at once, as a late timer does.
    pub fn check_now(&mut self, now: u64) {
        self.observe(now);
        if self.closing.is_none() {
            self.run_heartbeat(now);
        }
    }

    /// The connection was lost: every transaction whose BEGIN went out is rolled back by the
    /// server, and SEND frames in it are not sent again.
    fn abort_transactions(&mut self) {
        let queue = &self.queue;
        let aborted = self.transactions.abort_sent(|id| queue.holds_begin(id));
        for tx in aborted {
            for id in self.receipts.drop_in_transaction(&tx) {
                let reason = concat(&[
                    "transaction ",
                    &quoted(&tx),
                    " was aborted: the connection was lost",
                ]);
                self.events.push_back(Event::ReceiptDropped { id, reason });
            }
            self.events.push_back(Event::TransactionAborted(tx));
        }
    }

    fn run_heartbeat(&mut self, now: u64) {
        if let Some(silent) = self.heartbeat.check(now) {
            let reason = concat(&["no heart-beat from the server in ", &decimal(silent), " ms"]);
            self.fail_connection(now, CLOSE_HEARTBEAT_TIMEOUT, reason);
            return;
        }
        if self.heartbeat.send_due(now) {
            self.push_transmit(now, b"\n".to_vec());
        }
    }
}
