//! SockJS close codes and reasons.
//!
//! The client reports these in its close event. Codes and reason strings are sockjs-client's
//! (`lib/main.js`, `lib/transport/*.js`) unless marked otherwise; the server-sent ones come from
//! the sockjs-protocol 0.3.3 test suite.

/// The server's close code for a second receiving request on a session
/// (`c[2010,"Another connection still open"]`).
pub const ANOTHER_CONNECTION_STILL_OPEN: u16 = 2010;

/// The code a server may send after a receiving request was aborted
/// (`c[1002,"Connection interrupted"]`).
pub const CONNECTION_INTERRUPTED: u16 = 1002;

/// The code of the protocol test server's `close` service (`c[3000,"Go away!"]`): an
/// application code, as any server-chosen 3000-4999 code is.
pub const GO_AWAY: u16 = 3000;

/// Why the client closed, when it was not the server's `c` frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientClose {
    /// 1000 `Normal closure`: closed by the user without a code.
    Normal,
    /// 1002 `Cannot connect to server`: `/info` failed (network error, a status other than
    /// 200, or no answer within [`super::INFO_TIMEOUT_MS`]).
    CannotConnect,
    /// 1002 `SockJS protocol error`: a frame that cannot be decoded. This client's choice:
    /// sockjs-client silently ignores such frames.
    ProtocolError,
    /// 1006 `Server lost session`: an `o` frame on an already open session (the server
    /// restarted and forgot it).
    ServerLostSession,
    /// 1006 `WebSocket connection broken`: the websocket transport's error event.
    WebSocketBroken,
    /// 1006 `Sending error`: an `xhr_send` request failed (sockjs-client appends the error).
    SendingError,
    /// 1006 `network`: an XHR transport's receive requests kept ending without frames
    /// ([`super::RECEIVE_RETRIES`]).
    ReceiveRetriesExhausted,
    /// 1006 `permanent`: an XHR receive request was answered with a status other than 200.
    ReceiveFailed,
    /// 2000 `All transports failed`: no transport left to try.
    AllTransportsFailed,
    /// 2007 `Transport timed out`: an attempt did not open within its timeout; the next
    /// transport is tried.
    TransportTimedOut,
}

impl ClientClose {
    /// The close code.
    pub const fn code(self) -> u16 {
        match self {
            ClientClose::Normal => 1000,
            ClientClose::CannotConnect | ClientClose::ProtocolError => 1002,
            ClientClose::ServerLostSession
            | ClientClose::WebSocketBroken
            | ClientClose::SendingError
            | ClientClose::ReceiveRetriesExhausted
            | ClientClose::ReceiveFailed => 1006,
            ClientClose::AllTransportsFailed => 2000,
            ClientClose::TransportTimedOut => 2007,
        }
    }

    /// The reason string.
    pub const fn reason(self) -> &'static str {
        match self {
            ClientClose::Normal => "Normal closure",
            ClientClose::CannotConnect => "Cannot connect to server",
            ClientClose::ProtocolError => "SockJS protocol error",
            ClientClose::ServerLostSession => "Server lost session",
            ClientClose::WebSocketBroken => "WebSocket connection broken",
            ClientClose::SendingError => "Sending error",
            ClientClose::ReceiveRetriesExhausted => "network",
            ClientClose::ReceiveFailed => "permanent",
            ClientClose::AllTransportsFailed => "All transports failed",
            ClientClose::TransportTimedOut => "Transport timed out",
        }
    }
}

/// Whether `code` is one a user may pass to `close()`: 1000 or 3000-4999
/// (sockjs-client `userSetCode`).
pub const fn is_user_code(code: u16) -> bool {
    code == 1000 || (code >= 3000 && code <= 4999)
}

/// Whether a transport that ends with `code` before the session opened should make the client
/// try the next transport (sockjs-client `_transportClose`): every code except user codes and
/// 2000. Once the session is open, any close ends it.
pub const fn falls_back(code: u16) -> bool {
    !is_user_code(code) && code != ClientClose::AllTransportsFailed.code()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_reasons() {
        assert_eq!(ClientClose::Normal.code(), 1000);
        assert_eq!(ClientClose::AllTransportsFailed.code(), 2000);
        assert_eq!(
            ClientClose::AllTransportsFailed.reason(),
            "All transports failed"
        );
        assert_eq!(ClientClose::TransportTimedOut.code(), 2007);
        assert_eq!(ClientClose::ServerLostSession.code(), 1006);
        assert_eq!(
            ClientClose::CannotConnect.reason(),
            "Cannot connect to server"
        );
        assert_eq!(ClientClose::ProtocolError.code(), 1002);
    }

    #[test]
    fn fallback_rule() {
        assert!(falls_back(1006));
        assert!(falls_back(1002));
        assert!(falls_back(2007));
        assert!(falls_back(ANOTHER_CONNECTION_STILL_OPEN));
        assert!(!falls_back(2000));
        assert!(!falls_back(1000));
        assert!(!falls_back(GO_AWAY));
        assert!(!falls_back(4999));
        assert!(falls_back(5000));
        assert!(is_user_code(3000) && !is_user_code(2999) && !is_user_code(1001));
    }
}
