//! Session tests: a scripted broker dialogue on a virtual clock.
//!
//! [`Harness`] plays the IO layer and the broker: it feeds server bytes, decodes every
//! transmit back into frames with the crate's own [`Decoder`], and moves time forward firing
//! the session's deadlines in order (or jumps it without firing, like a frozen tab).

mod commands;
mod connect;
mod disconnect;
mod heartbeat;
mod reconnect;
#[cfg(not(target_arch = "wasm32"))] // proptest is a host-only dev-dependency
mod robustness;
mod wire;

use super::*;
use crate::core::command::Command;
use crate::core::decoder::{Decoded, Decoder, Limits};
use crate::core::frame::{Frame, Headers};
use crate::core::version::Version;

/// What the client sent, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Out {
    Frame(Frame),
    Heartbeat,
}

pub(super) struct Harness {
    pub s: Session,
    pub now: u64,
    /// Raw transmits not yet taken.
    pub raw: Vec<Vec<u8>>,
    /// Decoded transmits not yet taken.
    pub out: Vec<Out>,
    /// Events not yet taken.
    pub events: Vec<Event>,
    /// Decodes the client's transmits.
    client_decoder: Decoder,
}

/// A config with heart-beats off, so that tests not about them see no heart-beat traffic.
pub(super) fn quiet() -> Config {
    Config {
        heartbeat: HeartbeatConfig::OFF,
        ..Config::default()
    }
}

pub(super) fn headers(pairs: &[(&str, &str)]) -> Headers {
    pairs.iter().copied().collect()
}

impl Harness {
    pub fn new(config: Config) -> Self {
        Harness {
            s: Session::new(config),
            now: 1_000_000,
            raw: Vec::new(),
            out: Vec::new(),
            events: Vec::new(),
            client_decoder: Decoder::new(Limits::default()),
        }
    }

    /// Collects the session's transmits and events.
    pub fn drain(&mut self) {
        if let Some(v) = self.s.version() {
            self.client_decoder.set_version(v);
        }
        while let Some(t) = self.s.poll_transmit() {
            self.client_decoder.push(&t);
            self.raw.push(t);
            loop {
                match self.client_decoder.next() {
                    Ok(Some(Decoded::Frame(f))) => {
                        self.out.push(Out::Frame(f));
                        // A CONNECTED may change the version between two frames.
                        if let Some(v) = self.s.version() {
                            self.client_decoder.set_version(v);
                        }
                    }
                    Ok(Some(Decoded::Heartbeat)) => self.out.push(Out::Heartbeat),
                    Ok(None) => break,
                    Err(e) => panic!("the client sent undecodable bytes: {e}"),
                }
            }
        }
        while let Some(e) = self.s.poll_event() {
            self.events.push(e);
        }
    }

    /// The transport opens with `protocol`.
    pub fn open(&mut self, protocol: Option<&str>) {
        self.s.handle_open(self.now, protocol);
        self.drain();
    }

    pub fn connect(&mut self, pairs: &[(&str, &str)]) {
        self.s.connect(self.now, headers(pairs)).unwrap();
        self.drain();
    }

    /// The server sends `bytes`.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.s.handle_data(self.now, bytes);
        self.drain();
    }

    /// The server sends a frame written as text (`\0` included by the caller).
    pub fn server(&mut self, text: &str) {
        self.feed(text.as_bytes());
    }

    /// The transport closes.
    pub fn close(&mut self, code: u16, reason: &str, was_clean: bool) {
        self.s.handle_close(self.now, code, reason, was_clean);
        self.drain();
    }

    /// Moves time forward by `ms`, firing every deadline on time, in order.
    pub fn advance(&mut self, ms: u64) {
        let target = self.now + ms;
        while let Some(d) = self.s.poll_timeout() {
            if d > target {
                break;
            }
            self.now = self.now.max(d);
            self.s.handle_timeout(self.now);
            self.drain();
            if self.s.poll_timeout() == Some(d) && d <= self.now {
                panic!("the deadline {d} did not move after firing");
            }
        }
        self.now = target;
    }

    /// Moves time forward by `ms` without firing anything (a frozen tab).
    pub fn jump(&mut self, ms: u64) {
        self.now += ms;
    }

    /// Fires the timer now, however late.
    pub fn fire(&mut self) {
        self.s.handle_timeout(self.now);
        self.drain();
    }

    /// Connects and completes the handshake with a CONNECTED carrying `connected_headers`.
    pub fn connected(config: Config, connected_headers: &str) -> Self {
        let mut h = Harness::new(config);
        h.connect(&[]);
        h.open(Some("v12.stomp"));
        h.server(&format!("CONNECTED\n{connected_headers}\n\0"));
        h.take_frames();
        h.take_events();
        h
    }

    /// A connected 1.2 session with heart-beats off.
    pub fn connected_12() -> Self {
        Harness::connected(quiet(), "version:1.2\n")
    }

    pub fn take_out(&mut self) -> Vec<Out> {
        self.raw.clear();
        std::mem::take(&mut self.out)
    }

    /// The frames sent since the last take (heart-beats dropped).
    pub fn take_frames(&mut self) -> Vec<Frame> {
        self.take_out()
            .into_iter()
            .filter_map(|o| match o {
                Out::Frame(f) => Some(f),
                Out::Heartbeat => None,
            })
            .collect()
    }

    /// The one frame sent since the last take.
    pub fn one_frame(&mut self) -> Frame {
        let mut frames = self.take_frames();
        assert_eq!(frames.len(), 1, "expected one frame, got {frames:?}");
        frames.remove(0)
    }

    /// How many heart-beats were sent since the last take (frames dropped).
    pub fn take_heartbeats(&mut self) -> usize {
        self.take_out()
            .into_iter()
            .filter(|o| *o == Out::Heartbeat)
            .count()
    }

    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// The close request among the events since the last take, if any.
    pub fn close_request(&mut self) -> Option<(u16, String)> {
        self.take_events().into_iter().find_map(|e| match e {
            Event::Close { code, reason } => Some((code, reason)),
            _ => None,
        })
    }
}

/// The value of header `name` of `frame`.
pub(super) fn hv<'a>(frame: &'a Frame, name: &str) -> Option<&'a str> {
    frame.headers.get(name)
}

#[test]
fn harness_sees_the_connect_frame() {
    let mut h = Harness::new(quiet());
    h.connect(&[]);
    h.open(None);
    let f = h.one_frame();
    assert_eq!(f.command, Command::Connect);
    let _ = Version::V1_2;
}
