//! The SockJS client transports in the browser: `websocket`, `xhr-streaming` and
//! `xhr-polling`, with `/info` and the fallback between them, on the sans-IO codec in
//! [`crate::core::sockjs`].
//!
//! [`SockJs::open`] asks `GET {base}/info?t=…` (at most [`INFO_TIMEOUT_MS`], the round trip
//! measured), then tries the transports [`select_transports`] leaves, in order, each on a new
//! random session id and within [`attempt_timeout_ms`] of the `/info` round trip and the
//! `timeout` option. An attempt that fails or times out before the server's `o` frame moves on
//! to the next transport ([`falls_back`]); when none is left the connection closes with
//! `2000 All transports failed`. After `o` the transport reports through the same [`Link`] as
//! a WebSocket does:
//!
//! | SockJS | [`Input`] |
//! |---|---|
//! | `o` | `Open(None)` |
//! | `a["m1","m2"]` | `Data(m1)`, `Data(m2)` |
//! | `h` | nothing |
//! | `c[3000,"Go away!"]` | `Closed { code: 3000, reason: "Go away!", clean: true }` |
//! | an undecodable frame or body | `Closed { code: 1002, reason: "SockJS protocol error: …" }` |
//! | a second `o` | `Closed { code: 1006, reason: "Server lost session: …" }` |
//! | a receive request failing (network, HTTP status) | `Closed { code: 1006, … }` |
//! | an `xhr_send` failing | `Closed { code: 1006, reason: "Sending error: …" }` |
//! | the WebSocket closing | `Closed { code: 1006, reason: "WebSocket connection broken: …" }` |
//! | `/info` failing or timing out | `Closed { code: 1002, reason: "Cannot connect to server: …" }` |
//!
//! The browser APIs come from small structural bindings (`fetch.rs`), not `web-sys`. Nothing
//! outlives the [`SockJs`]: dropping it aborts every request, closes the WebSocket and cancels
//! the timers, and every task it started stops at its next step.
//!
//! ```ignore
//! let sockjs = SockJs::open("http://localhost:8080/stomp", &[], 5000, link)?;
//! // … link gets Input::Open(None), then:
//! sockjs.send(b"CONNECT\naccept-version:1.2\n\n\0")?;
//! assert_eq!(sockjs.transport_name(), Some("websocket"));
//! ```
//!
//! [`INFO_TIMEOUT_MS`]: crate::core::sockjs::INFO_TIMEOUT_MS
//! [`select_transports`]: crate::core::sockjs::select_transports
//! [`attempt_timeout_ms`]: crate::core::sockjs::attempt_timeout_ms
//! [`falls_back`]: crate::core::sockjs::falls_back
//! [`Input`]: crate::io::transport::Input

#![cfg_attr(
    not(test),
    deny(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)
)]

mod conn;
mod fetch;
mod websocket;
mod xhr;

use std::rc::Rc;

use conn::Conn;

use crate::core::sockjs::BaseUrl;
use crate::io::transport::Link;

/// The error for a transmit that is not UTF-8.
pub const NOT_UTF8: &str = "over SockJS every STOMP frame travels as text, and this one is not \
                            valid UTF-8 (a binary body must be UTF-8 text over SockJS)";

/// A SockJS connection at one base URL. Dropping it aborts every request and timer, closes the
/// WebSocket and clears every handler, without reporting anything.
pub struct SockJs {
    conn: Rc<Conn>,
}

impl SockJs {
    /// Starts connecting to the SockJS endpoint at `base_url` (`http://` or `https://`),
    /// trying `transports` (names as in the `transports` option; empty: all), each attempt
    /// given at least `timeout_ms`. Everything is reported through `link`, never from inside
    /// this call. Errs only on a URL that is not a SockJS base URL.
    pub fn open(
        base_url: &str,
        transports: &[String],
        timeout_ms: u64,
        link: Link,
    ) -> Result<SockJs, String> {
        let base = BaseUrl::parse(base_url).map_err(|e| e.message().to_owned())?;
        Ok(SockJs {
            conn: Conn::start(base, transports, timeout_ms, link),
        })
    }

    /// Sends one STOMP transmit as one SockJS message. It must be UTF-8 ([`NOT_UTF8`]
    /// otherwise), and the session must be open.
    pub fn send(&self, bytes: &[u8]) -> Result<(), String> {
        let text = std::str::from_utf8(bytes).map_err(|_| NOT_UTF8.to_owned())?;
        self.conn.send(text)
    }

    /// Ends the connection (aborting its requests, closing its WebSocket) and reports
    /// `Closed { code, reason, clean: true }` from a later task, as a WebSocket's close event.
    /// Does nothing once closed.
    pub fn close(&self, code: u16, reason: &str) {
        self.conn.close(code, reason);
    }

    /// The transport the session opened on (`websocket`, `xhr-streaming` or `xhr-polling`),
    /// once the server's `o` frame came; it stays after the session ends.
    pub fn transport_name(&self) -> Option<&'static str> {
        self.conn.transport().map(|t| t.name())
    }
}

impl Drop for SockJs {
    fn drop(&mut self) {
        self.conn.stop();
    }
}
