//! The SockJS protocol (sockjs-protocol 0.3.3), client side, sans-IO.
//!
//! A SockJS client first asks `GET {base}/info` ([`BaseUrl::info_url`], [`Info::parse`]),
//! measuring the round trip, then tries the transports [`select_transports`] returns, each
//! within [`attempt_timeout_ms`], on session URLs built from a random [`SessionId`]
//! ([`BaseUrl::websocket_url`], [`BaseUrl::session_url`]). Every frame the server sends, one per
//! WebSocket message or per response line ([`StreamSplitter`], [`poll_frames`]), decodes with
//! [`parse_frame`]; messages go out as JSON arrays of strings ([`encode_messages`]). When the
//! session ends without a server `c` frame, [`ClientClose`] gives the code and reason.
//!
//! Nothing here touches the browser, a clock or a random source: times and random bytes are
//! parameters.
//!
//! ```
//! use webstomp_wasm::core::sockjs::*;
//!
//! let base = BaseUrl::parse("http://localhost:8081/echo/").unwrap();
//! let info = Info::parse(r#"{"websocket":false,"cookie_needed":false}"#).unwrap();
//! let transports = select_transports(["websocket", "xhr-streaming"], &info);
//! assert_eq!(transports, [Transport::XhrStreaming]);
//! assert_eq!(attempt_timeout_ms(40, 5000, transports[0]), 5000);
//!
//! let session = SessionId::from_random([0, 0, 0, 1, 2, 3, 4, 5, 6, 7]);
//! assert_eq!(
//!     base.session_url(&session, Endpoint::XhrStreaming),
//!     "http://localhost:8081/echo/000/abcdefgh/xhr_streaming"
//! );
//! assert_eq!(encode_messages(["SEND\n\n\u{2028}\0"]), r#"["SEND\n\n\u2028\u0000"]"#);
//! assert_eq!(parse_frame(r#"a["x"]"#), Ok(SockJsFrame::Messages(vec!["x".into()])));
//! ```

pub mod close;
pub mod encode;
pub mod frame;
pub mod info;
pub mod json;
pub mod stream;
pub mod transport;
pub mod url;

#[cfg(test)]
mod tests;

pub use close::{falls_back, is_user_code, ClientClose};
pub use encode::{encode_into, encode_messages, quote_into};
pub use frame::{parse_frame, FrameError, SockJsFrame};
pub use info::{Info, InfoError};
pub use stream::{poll_frames, StreamError, StreamSplitter};
pub use transport::{
    attempt_timeout_ms, rto_ms, select_transports, Transport, INFO_TIMEOUT_MS, RECEIVE_RETRIES,
};
pub use url::{add_cache_buster, BaseUrl, Endpoint, SessionId, UrlError};
