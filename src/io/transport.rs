//! What every transport reports to the driver, and how.

use std::rc::Rc;

use js_sys::JsString;

/// An event from a transport.
#[derive(Debug)]
pub enum Input<'a> {
    /// The transport is open; the WebSocket subprotocol it negotiated, if any.
    Open(Option<String>),
    /// Bytes of the STOMP stream.
    Data(&'a [u8]),
    /// An all-ASCII text message of the STOMP stream: its bytes, and the JS string itself,
    /// whose UTF-16 offsets are its byte offsets. (Other text comes as [`Input::Data`].)
    Ascii {
        /// The bytes of `text`.
        bytes: &'a [u8],
        /// The message as received.
        text: JsString,
    },
    /// A line for the debug log (a SockJS transport that failed, and the next one tried).
    Note(String),
    /// The transport failed in a way it cannot report as a close; it will be closed.
    Fail(String),
    /// The transport closed.
    Closed {
        /// The close code.
        code: u16,
        /// The close reason.
        reason: String,
        /// Whether the close was clean.
        clean: bool,
    },
}

/// How a transport reports to the driver. The driver holds only weak references back, so a
/// transport never keeps a dropped client alive.
pub type Link = Rc<dyn Fn(Input<'_>)>;
