//! The session's settings.

use crate::core::decoder::Limits;

/// Heart-beat settings, in milliseconds; `0` turns a direction off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeartbeatConfig {
    /// The smallest interval at which this client can send heart-beats (the `cx` of the
    /// CONNECT frame's `heart-beat:cx,cy`).
    pub outgoing_ms: u64,
    /// The interval at which this client wants to receive heart-beats (the `cy`).
    pub incoming_ms: u64,
    /// How many expected intervals of silence from the server are tolerated before the
    /// connection counts as dead (`0` counts as `1`).
    pub tolerance: u32,
}

impl HeartbeatConfig {
    /// No heart-beats in either direction.
    pub const OFF: HeartbeatConfig = HeartbeatConfig {
        outgoing_ms: 0,
        incoming_ms: 0,
        tolerance: 2,
    };
}

impl Default for HeartbeatConfig {
    /// 10 000 ms both ways, tolerance 2.
    fn default() -> Self {
        HeartbeatConfig {
            outgoing_ms: 10_000,
            incoming_ms: 10_000,
            tolerance: 2,
        }
    }
}

/// Everything a [`Session`](super::Session) is configured with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The WebSocket subprotocols offered (`v12.stomp`, ...); they decide the CONNECT frame's
    /// `accept-version` (see [`accept_version`](crate::core::version::accept_version)).
    pub subprotocols: Vec<String>,
    /// Heart-beat intervals and tolerance.
    pub heartbeat: HeartbeatConfig,
    /// Limits for incoming frames; a frame past them is a protocol error.
    pub limits: Limits,
    /// The largest transport message sent, in bytes; a larger frame is split into several
    /// messages. `0` never splits.
    pub max_ws_frame_size: usize,
    /// The transport carries only text (SockJS): a frame whose body is not UTF-8 is refused
    /// with [`SessionError::NotUtf8`](super::SessionError::NotUtf8). A WebSocket carries both
    /// (`false`): the IO layer sends a frame that is not UTF-8 as a binary message. Either way
    /// splits of a UTF-8 frame end on character boundaries.
    pub text: bool,
    /// The CONNECT-to-CONNECTED limit and the DISCONNECT-to-RECEIPT limit, in ms (`0`: none).
    pub timeout_ms: u64,
    /// The most frames held while the session waits for CONNECTED; past it commands fail with
    /// [`SessionError::QueueFull`](super::SessionError::QueueFull).
    pub max_queued: usize,
    /// Emit an [`Event::Debug`](super::Event::Debug) line for every outgoing frame and
    /// heart-beat (secrets masked). Can be changed later with
    /// [`Session::set_debug`](super::Session::set_debug).
    pub debug: bool,
}

impl Default for Config {
    /// Subprotocols `v12.stomp`, `v11.stomp`, `v10.stomp`; heart-beats 10 000 ms both ways
    /// with tolerance 2; default [`Limits`] (16 MiB frames); no splitting;
    /// text transmits (as the JS `binary: false` default); 5 000 ms timeout; 1 000 queued
    /// frames; no debug lines.
    fn default() -> Self {
        Config {
            subprotocols: vec![
                "v12.stomp".to_owned(),
                "v11.stomp".to_owned(),
                "v10.stomp".to_owned(),
            ],
            heartbeat: HeartbeatConfig::default(),
            limits: Limits::default(),
            max_ws_frame_size: 0,
            text: true,
            timeout_ms: 5_000,
            max_queued: 1_000,
            debug: false,
        }
    }
}
