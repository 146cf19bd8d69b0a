//! What every transport reports to the driver, and how.

use std::rc::Rc;

/// An event from a transport.
#[derive(Debug)]
pub enum Input {
    /// The transport is open; the WebSocket subprotocol it negotiated, if any.
    Open(Option<String>),
    /// Bytes of the STOMP stream.
    Data(Vec<u8>),
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
pub type Link = Rc<dyn Fn(Input)>;
