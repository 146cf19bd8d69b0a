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

/// When and how often to reconnect after a lost connection (never after `disconnect`).
///
/// Attempt `n` (1, 2, ...) waits `min(delay_ms * multiplier^(n-1), max_delay_ms)`, less a
/// random share of up to `jitter` of it (so that clients dropped together do not return
/// together, and the wait never exceeds the cap). CONNECTED resets the count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReconnectConfig {
    /// The first wait, in ms.
    pub delay_ms: u64,
    /// The longest wait, in ms.
    pub max_delay_ms: u64,
    /// The growth of the wait per attempt (values below 1 count as 1).
    pub multiplier: f64,
    /// The largest share of a wait taken off at random, 0 to 1.
    pub jitter: f64,
    /// How many attempts in a row may fail before the session gives up (`None`: never).
    pub max_attempts: Option<u32>,
}

impl Default for ReconnectConfig {
    /// 1 000 ms, doubling up to 30 000 ms, jitter 0.5, unlimited attempts (the JS defaults).
    fn default() -> Self {
        ReconnectConfig {
            delay_ms: 1_000,
            max_delay_ms: 30_000,
            multiplier: 2.0,
            jitter: 0.5,
            max_attempts: None,
        }
    }
}

/// Everything a [`Session`](super::Session) is configured with.
#[derive(Debug, Clone, PartialEq)]
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
    /// Reconnect after a lost connection (`None`: a lost connection ends the session).
    pub reconnect: Option<ReconnectConfig>,
    /// Seeds the reconnect jitter (the IO layer passes a random number).
    pub seed: u64,
}

impl Default for Config {
    /// Subprotocols `v12.stomp`, `v11.stomp`, `v10.stomp`; heart-beats 10 000 ms both ways
    /// with tolerance 2; default [`Limits`] (16 MiB frames); no splitting;
    /// text transmits (as the JS `binary: false` default); 5 000 ms timeout; 1 000 queued
    /// frames; no debug lines; no reconnect.
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
            reconnect: None,
            seed: 0,
        }
    }
}
