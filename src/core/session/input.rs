//! Received bytes: decoding and what each server frame does.

use super::ids::Ids;
use super::{debug, heartbeat, Event, Session, State, CLOSE_NORMAL, CLOSE_PROTOCOL_ERROR};
use crate::core::command::Command;
use crate::core::decoder::Decoded;
use crate::core::frame::Frame;
use crate::core::version::Version;
use crate::text::{concat, quoted};

impl Session {
    /// Bytes from the transport, in any chunking. Every byte counts as a sign of life for the
    /// heart-beat check. Undecodable input emits [`Event::ProtocolError`] and requests the
    /// close ([`CLOSE_PROTOCOL_ERROR`]); after that, and once a
    /// close was requested for any reason, input is ignored.
    pub fn handle_data(&mut self, now: u64, bytes: &[u8]) {
        self.observe(now);
        if self.closing.is_some() || !self.transport_open {
            return;
        }
        self.heartbeat.received(now);
        self.decoder.push(bytes);
        loop {
            match self.decoder.next() {
                Ok(None) => break,
                Ok(Some(Decoded::Heartbeat)) => {
                    if self.debug {
                        self.debug_line("<<< ", debug::describe_bytes(b"\n"));
                    }
                }
                Ok(Some(Decoded::Frame(frame))) => {
                    let at = (self.decoder.frame_at(), self.decoder.body_at());
                    self.handle_frame(now, frame, at);
                    if self.closing.is_some() || !self.transport_open {
                        break;
                    }
                }
                Err(e) => {
                    let message = concat(&["invalid data from the server: ", &e.message()]);
                    self.events.push_back(Event::ProtocolError(message.clone()));
                    self.fail_connection(now, CLOSE_PROTOCOL_ERROR, message);
                    break;
                }
            }
        }
    }

    /// The stream offset of the next received byte (see [`Event::Message`]'s `body_at`).
    pub fn input_position(&self) -> u64 {
        self.decoder.position()
    }

    fn handle_frame(&mut self, now: u64, frame: Frame, (frame_at, body_at): (u64, u64)) {
        if self.debug {
            self.debug_line("<<< ", debug::describe_frame(&frame));
        }
        let live = matches!(self.state, State::Connected | State::Disconnecting);
        match frame.command {
            Command::Connected if matches!(self.state, State::Connecting | State::Reconnecting) => {
                self.on_connected(now, frame)
            }
            Command::Error => {
                // Before CONNECTED an ERROR ends the attempt: some brokers (RabbitMQ's
                // "Bad CONNECT") leave the socket open, which would wait out the timeout.
                let refused = matches!(self.state, State::Connecting | State::Reconnecting);
                let mut reason = String::from("the server refused the connection: ");
                reason.push_str(frame.headers.get("message").unwrap_or("ERROR"));
                self.events.push_back(Event::ServerError(frame));
                if refused {
                    self.fail_connection(now, CLOSE_NORMAL, reason);
                }
            }
            Command::Message if live => self.on_message(frame, (frame_at, body_at)),
            Command::Receipt if live => self.on_receipt(now, frame),
            command => {
                let message = concat(&[
                    "ignored an unexpected ",
                    command.as_str(),
                    " frame from the server (state: ",
                    self.state.as_str(),
                    ")",
                ]);
                self.events.push_back(Event::ProtocolError(message));
            }
        }
    }

    #[cfg_attr(webstomp_speed, optimize(speed))]
    fn on_message(&mut self, frame: Frame, (frame_at, body_at): (u64, u64)) {
        let subscription = frame.headers.get("subscription").map(str::to_owned);
        let known = subscription
            .as_deref()
            .is_some_and(|id| self.subscriptions.contains(id));
        self.events.push_back(Event::Message {
            frame,
            subscription,
            known,
            frame_at,
            body_at,
        });
    }

    fn on_connected(&mut self, now: u64, frame: Frame) {
        let version = match frame.headers.get("version") {
            Some(v) => match Version::parse(v) {
                Some(version) => version,
                None => {
                    let message = concat(&[
                        "the server chose STOMP version ",
                        &quoted(v),
                        ", not 1.0-1.2",
                    ]);
                    self.events.push_back(Event::ProtocolError(message.clone()));
                    self.fail_connection(now, CLOSE_PROTOCOL_ERROR, message);
                    return;
                }
            },
            None => self.subprotocol_version.unwrap_or(Version::V1_0),
        };
        self.version = Some(version);
        self.decoder.set_version(version);
        self.connect_deadline = None;
        let hb = self.config.heartbeat;
        let server = heartbeat::parse_header(frame.headers.get("heart-beat"));
        let intervals = heartbeat::negotiate((hb.outgoing_ms, hb.incoming_ms), server);
        self.heartbeat.start(intervals, hb.tolerance);
        self.connected_headers = Some(frame.headers.clone());
        self.backoff.reset();
        self.set_state(State::Connected);
        self.events.push_back(Event::Connected(frame));
        self.send_subscriptions(now);
        self.resend_unconfirmed(now);
        self.flush_queue(now);
    }

    fn on_receipt(&mut self, now: u64, frame: Frame) {
        let id = frame
            .headers
            .get("receipt-id")
            .unwrap_or_default()
            .to_owned();
        let pending = self.receipts.remove(&id);
        self.events.push_back(Event::Receipt { id, frame });
        if pending.is_some_and(|p| p.command == Command::Disconnect) {
            self.request_close(now, CLOSE_NORMAL, "disconnected".to_owned());
        }
    }
}
