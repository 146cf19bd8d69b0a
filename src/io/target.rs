//! Where a driver's connections come from, and how they are opened.

/// Where connections come from.
pub enum Target {
    /// `client(url)`: the URLs in order; `connect` uses the first, and each reconnect attempt
    /// moves on to the next (failover across a cluster's nodes).
    Urls(Vec<String>),
    /// `over(() => socket)`: a function making a new WebSocket-like object per attempt.
    Factory(js_sys::Function),
    /// `over(socket)`: one socket, taken over at once; it cannot be opened again.
    Socket,
}

/// How transports are opened.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// The WebSocket subprotocols offered.
    pub protocols: Vec<String>,
    /// Send every frame as a binary WebSocket message.
    pub binary: bool,
    /// The SockJS transports to try (empty: all).
    pub transports: Vec<String>,
    /// A WebSocket's open limit and the SockJS attempt timeout floor, in ms (0: none).
    pub timeout_ms: u64,
}

/// What kind of transport a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlKind {
    /// `ws://` or `wss://`: a browser WebSocket.
    WebSocket,
    /// `http://` or `https://`: a SockJS endpoint.
    SockJs,
}

impl UrlKind {
    /// The kind of `url`, by its scheme (any case), if it is one of ours.
    pub fn of(url: &str) -> Option<UrlKind> {
        let scheme = url.split_once("://")?.0;
        if scheme.eq_ignore_ascii_case("ws") || scheme.eq_ignore_ascii_case("wss") {
            Some(UrlKind::WebSocket)
        } else if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
            Some(UrlKind::SockJs)
        } else {
            None
        }
    }
}
