//! STOMP commands.

/// Every command of STOMP 1.0 to 1.2, client and server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// Client: open a session.
    Connect,
    /// Client: open a session (1.1+ alias of CONNECT).
    Stomp,
    /// Server: the session is open.
    Connected,
    /// Client: send a message to a destination.
    Send,
    /// Client: subscribe to a destination.
    Subscribe,
    /// Client: end a subscription.
    Unsubscribe,
    /// Client: acknowledge a message.
    Ack,
    /// Client: reject a message (1.1+).
    Nack,
    /// Client: begin a transaction.
    Begin,
    /// Client: commit a transaction.
    Commit,
    /// Client: abort a transaction.
    Abort,
    /// Client: close the session.
    Disconnect,
    /// Server: a message for a subscription.
    Message,
    /// Server: a receipt for a client frame.
    Receipt,
    /// Server: an error; the server closes the connection after it.
    Error,
}

/// Every command, those a server sends first (MESSAGE on every delivery).
const PARSE_ORDER: [Command; 15] = [
    Command::Message,
    Command::Receipt,
    Command::Error,
    Command::Connected,
    Command::Send,
    Command::Subscribe,
    Command::Unsubscribe,
    Command::Ack,
    Command::Nack,
    Command::Begin,
    Command::Commit,
    Command::Abort,
    Command::Disconnect,
    Command::Connect,
    Command::Stomp,
];

impl Command {
    /// The command as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Command::Connect => "CONNECT",
            Command::Stomp => "STOMP",
            Command::Connected => "CONNECTED",
            Command::Send => "SEND",
            Command::Subscribe => "SUBSCRIBE",
            Command::Unsubscribe => "UNSUBSCRIBE",
            Command::Ack => "ACK",
            Command::Nack => "NACK",
            Command::Begin => "BEGIN",
            Command::Commit => "COMMIT",
            Command::Abort => "ABORT",
            Command::Disconnect => "DISCONNECT",
            Command::Message => "MESSAGE",
            Command::Receipt => "RECEIPT",
            Command::Error => "ERROR",
        }
    }

    /// Parses a command line (without its EOL). Commands are case-sensitive.
    pub fn parse(bytes: &[u8]) -> Option<Command> {
        // A search of one table: a `match` on byte strings compiles to a kilobyte of compares.
        PARSE_ORDER
            .into_iter()
            .find(|c| c.as_str().as_bytes() == bytes)
    }

    /// Whether header values of this command are never escaped (CONNECT, STOMP and CONNECTED,
    /// per the STOMP 1.2 spec, so that 1.0 peers can read them).
    pub fn is_unescaped(self) -> bool {
        matches!(self, Command::Connect | Command::Stomp | Command::Connected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_round_trips_every_command() {
        let all = [
            Command::Connect,
            Command::Stomp,
            Command::Connected,
            Command::Send,
            Command::Subscribe,
            Command::Unsubscribe,
            Command::Ack,
            Command::Nack,
            Command::Begin,
            Command::Commit,
            Command::Abort,
            Command::Disconnect,
            Command::Message,
            Command::Receipt,
            Command::Error,
        ];
        for c in all {
            assert_eq!(Command::parse(c.as_str().as_bytes()), Some(c));
        }
        assert_eq!(Command::parse(b"message"), None);
        assert_eq!(Command::parse(b""), None);
    }
}
