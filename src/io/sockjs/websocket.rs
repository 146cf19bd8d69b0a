//! The `websocket` transport: a browser `WebSocket` to `ws(s)://.../{server}/{session}/websocket`
//! carrying one SockJS frame per message. It reuses the plain WebSocket transport
//! ([`Socket`]) with a link that decodes SockJS frames instead of passing STOMP bytes on.

use std::rc::Rc;

use super::conn::{Conn, Failure};
use crate::core::sockjs::ClientClose;
use crate::io::socket::Socket;
use crate::io::transport::{Input, Link};
use crate::text::{concat, decimal};

/// Opens the WebSocket of attempt `epoch`. Its `open` event means nothing yet: the session
/// opens with the server's `o` frame. Any close of the socket is `1006 WebSocket connection
/// broken` (sockjs-client's code), unless a `c` frame came first.
pub(super) fn open(conn: &Rc<Conn>, epoch: u32, url: &str) -> Result<Socket, String> {
    let weak = Rc::downgrade(conn);
    let link: Link = Rc::new(move |input| {
        let Some(conn) = weak.upgrade() else {
            return;
        };
        match input {
            // A plain socket opens and notes nothing.
            Input::Open(_) | Input::Note(_) => {}
            Input::Data(bytes) | Input::Ascii { bytes, .. } => match std::str::from_utf8(bytes) {
                Ok(text) => {
                    conn.frame(epoch, text);
                }
                Err(_) => conn.failed(
                    epoch,
                    Failure::new(
                        ClientClose::ProtocolError,
                        "a WebSocket message that is not UTF-8 text",
                    ),
                ),
            },
            Input::Fail(detail) => {
                conn.failed(epoch, Failure::new(ClientClose::ProtocolError, &detail))
            }
            Input::Closed { code, reason, .. } => {
                let mut detail = concat(&["closed with code ", &decimal(code.into())]);
                if !reason.is_empty() {
                    detail.push_str(": ");
                    detail.push_str(&reason);
                }
                conn.failed(epoch, Failure::new(ClientClose::WebSocketBroken, &detail));
            }
        }
    });
    Socket::open(url, &[], false, link)
}
