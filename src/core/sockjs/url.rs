//! SockJS URLs: the base URL, `/info`, and the session URLs
//! `{base}/{server}/{session}/{endpoint}`.
//!
//! Following sockjs-client (`lib/main.js`, `lib/utils/url.js`): the base URL must be `http:` or
//! `https:` with a host and no fragment; trailing `/` are removed from its path; paths are added
//! before its query string (`addPath`); the websocket URL swaps `http` for `ws` (`https` for
//! `wss`); every XHR request gets a cache-busting `t=<Date.now()>` query parameter
//! (`lib/transport/browser/abstract-xhr.js`, `addQuery`).

use std::fmt;

use crate::text::{concat, push_decimal};

/// Why a base URL was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlError {
    /// The scheme is not `http:` or `https:`.
    Scheme,
    /// There is no host.
    MissingHost,
    /// The URL has a `#fragment`.
    Fragment,
    /// The URL contains a space or a control character.
    InvalidChar,
}

impl UrlError {
    /// The error's message (its `Display` text).
    pub fn message(&self) -> &'static str {
        match self {
            UrlError::Scheme => "the SockJS URL's scheme must be either 'http:' or 'https:'",
            UrlError::MissingHost => "the SockJS URL has no host",
            UrlError::Fragment => "the SockJS URL must not contain a fragment",
            UrlError::InvalidChar => "the SockJS URL contains a space or a control character",
        }
    }
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for UrlError {}

/// A SockJS endpoint under a session URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// `websocket`: the SockJS-framed WebSocket.
    Websocket,
    /// `xhr_streaming`: the streaming receive request.
    XhrStreaming,
    /// `xhr`: the polling receive request.
    Xhr,
    /// `xhr_send`: the send request of both XHR transports.
    XhrSend,
}

impl Endpoint {
    /// The path segment, e.g. `xhr_streaming`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Endpoint::Websocket => "websocket",
            Endpoint::XhrStreaming => "xhr_streaming",
            Endpoint::Xhr => "xhr",
            Endpoint::XhrSend => "xhr_send",
        }
    }
}

/// sockjs-client's session id alphabet (`lib/utils/random.js`): 32 characters, so that
/// `byte % 32` is unbiased.
const SESSION_ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz012345";

/// A session's `{server}/{session}` path part: a 3-digit server id (`000` to `999`, a hint for
/// sticky load balancing) and an 8-character random session id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionId {
    /// `NNN/xxxxxxxx`, ASCII.
    text: [u8; 12],
}

impl SessionId {
    /// A session id from 10 random bytes (the core has no random source: the caller passes
    /// `crypto.getRandomValues` output). Bytes 0-1 pick the server id, bytes 2-9 one session
    /// character each, as sockjs-client does (`byte % 32`, unbiased).
    pub fn from_random(bytes: [u8; 10]) -> SessionId {
        let [s0, s1, rest @ ..] = bytes;
        let server = (u32::from(u16::from_le_bytes([s0, s1])) * 1000) >> 16;
        let mut text = *b"000/00000000";
        let digits = [server / 100, server / 10 % 10, server % 10];
        for (slot, d) in text.iter_mut().zip(digits) {
            *slot = b'0' + d as u8;
        }
        for (slot, r) in text.iter_mut().skip(4).zip(rest) {
            *slot = SESSION_ALPHABET[usize::from(r % 32)];
        }
        SessionId { text }
    }

    /// A session id from three calls of a random `u32` source.
    pub fn generate(mut next: impl FnMut() -> u32) -> SessionId {
        let [a, b, c] = [next(), next(), next()];
        let mut bytes = [0u8; 10];
        let source = a.to_le_bytes().into_iter().take(2);
        let source = source.chain(b.to_le_bytes()).chain(c.to_le_bytes());
        for (slot, byte) in bytes.iter_mut().zip(source) {
            *slot = byte;
        }
        SessionId::from_random(bytes)
    }

    /// `server/session`, e.g. `042/k3x0a1zq`.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.text).unwrap_or_default()
    }

    /// The 3-digit server id.
    pub fn server(&self) -> &str {
        self.as_str().get(..3).unwrap_or_default()
    }

    /// The 8-character session id.
    pub fn session(&self) -> &str {
        self.as_str().get(4..).unwrap_or_default()
    }
}

/// A normalised SockJS base URL, e.g. `http://host:8080/chat` (from `http://host:8080/chat/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// The normalised URL: scheme (lowercase), authority, path without trailing `/`, query.
    url: String,
    /// Where the path ends (the `?` of the query, or the end).
    path_end: usize,
}

impl BaseUrl {
    /// Checks and normalises a base URL. Leading and trailing whitespace is ignored; the
    /// scheme is lowercased; trailing `/` of the path are removed; a query is kept (an empty
    /// `?` is dropped).
    pub fn parse(url: &str) -> Result<BaseUrl, UrlError> {
        let url = url.trim_ascii();
        if url.bytes().any(|b| b <= b' ' || b == 0x7f) {
            return Err(UrlError::InvalidChar);
        }
        if url.contains('#') {
            return Err(UrlError::Fragment);
        }
        // The scheme ends at the first `:`, which must start `://` (a byte search: no
        // substring searcher in the module).
        let colon = url.find(':').ok_or(UrlError::Scheme)?;
        let (scheme, rest) = url.split_at(colon);
        let rest = rest.strip_prefix("://").ok_or(UrlError::Scheme)?;
        let scheme = if scheme.eq_ignore_ascii_case("http") {
            "http"
        } else if scheme.eq_ignore_ascii_case("https") {
            "https"
        } else {
            return Err(UrlError::Scheme);
        };
        let (before_query, query) = match rest.split_once('?') {
            Some((b, q)) => (b, q),
            None => (rest, ""),
        };
        let host_end = before_query.find('/').unwrap_or(before_query.len());
        let (authority, path) = before_query.split_at(host_end);
        if authority.is_empty() {
            return Err(UrlError::MissingHost);
        }
        let mut out = String::with_capacity(url.len());
        out.push_str(scheme);
        out.push_str("://");
        out.push_str(authority);
        out.push_str(path.trim_end_matches('/'));
        let path_end = out.len();
        if !query.is_empty() {
            out.push('?');
            out.push_str(query);
        }
        Ok(BaseUrl { url: out, path_end })
    }

    /// The normalised URL.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The URL with `path` added to its path, before the query (sockjs-client's `addPath`).
    pub fn with_path(&self, path: &str) -> String {
        let (base, query) = self.url.split_at(self.path_end);
        let mut out = String::with_capacity(self.url.len() + path.len());
        out.push_str(base);
        out.push_str(path);
        out.push_str(query);
        out
    }

    /// `{base}/info?t={cache_buster}`: the `GET` asking for the server's [`super::Info`]
    /// (sockjs-client passes `Date.now()`).
    pub fn info_url(&self, cache_buster: u64) -> String {
        let mut url = self.with_path("/info");
        add_cache_buster(&mut url, cache_buster);
        url
    }

    /// `{base}/{server}/{session}/{endpoint}`, over `http(s)`. Add a cache buster for XHRs.
    pub fn session_url(&self, session: &SessionId, endpoint: Endpoint) -> String {
        let mut path = String::with_capacity(14 + endpoint.as_str().len());
        path.push('/');
        path.push_str(session.as_str());
        path.push('/');
        path.push_str(endpoint.as_str());
        self.with_path(&path)
    }

    /// `ws(s)://.../{server}/{session}/websocket`: the websocket transport's URL.
    pub fn websocket_url(&self, session: &SessionId) -> String {
        let url = self.session_url(session, Endpoint::Websocket);
        match url.strip_prefix("https") {
            Some(rest) => concat(&["wss", rest]),
            None => concat(&["ws", url.get(4..).unwrap_or_default()]),
        }
    }
}

/// Appends `t={value}` as a query parameter (`?` or `&` as needed), as sockjs-client does to
/// every XHR URL so that no browser or proxy caches a `POST`.
pub fn add_cache_buster(url: &mut String, value: u64) {
    url.push(if url.contains('?') { '&' } else { '?' });
    url.push_str("t=");
    push_decimal(url, value);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(url: &str) -> BaseUrl {
        match BaseUrl::parse(url) {
            Ok(b) => b,
            Err(e) => panic!("{url}: {e}"),
        }
    }

    #[test]
    fn normalisation() {
        assert_eq!(
            base("http://localhost:8081/echo").as_str(),
            "http://localhost:8081/echo"
        );
        assert_eq!(
            base("http://localhost:8081/echo/").as_str(),
            "http://localhost:8081/echo"
        );
        assert_eq!(
            base("HTTPS://h/a/b/c/d/echo///").as_str(),
            "https://h/a/b/c/d/echo"
        );
        assert_eq!(base("http://h").as_str(), "http://h");
        assert_eq!(base("http://h/").as_str(), "http://h");
        assert_eq!(
            base("  http://h/x/?a=1&b=/ ").as_str(),
            "http://h/x?a=1&b=/"
        );
        assert_eq!(base("http://h/x?").as_str(), "http://h/x");
        assert_eq!(base("http://h?a=1").as_str(), "http://h?a=1");
        assert_eq!(
            base("http://user:pw@[::1]:80/x").as_str(),
            "http://user:pw@[::1]:80/x"
        );
    }

    #[test]
    fn refused() {
        assert_eq!(BaseUrl::parse("ws://h/x"), Err(UrlError::Scheme));
        assert_eq!(BaseUrl::parse("ftp://h/x"), Err(UrlError::Scheme));
        assert_eq!(BaseUrl::parse("/relative"), Err(UrlError::Scheme));
        assert_eq!(BaseUrl::parse("http:/h"), Err(UrlError::Scheme));
        assert_eq!(BaseUrl::parse("http:///x"), Err(UrlError::MissingHost));
        assert_eq!(BaseUrl::parse("http://"), Err(UrlError::MissingHost));
        assert_eq!(BaseUrl::parse("http://?a"), Err(UrlError::MissingHost));
        assert_eq!(BaseUrl::parse("http://h/x#f"), Err(UrlError::Fragment));
        assert_eq!(BaseUrl::parse("http://h/a b"), Err(UrlError::InvalidChar));
        assert_eq!(BaseUrl::parse("http://h/a\nb"), Err(UrlError::InvalidChar));
        assert_eq!(BaseUrl::parse(""), Err(UrlError::Scheme));
        assert_eq!(
            UrlError::Fragment.to_string(),
            "the SockJS URL must not contain a fragment"
        );
    }

    #[test]
    fn session_ids() {
        let id = SessionId::from_random([0, 0, 0, 1, 25, 26, 31, 32, 255, 63]);
        assert_eq!(id.as_str(), "000/abz05a55");
        assert_eq!(id.server(), "000");
        assert_eq!(id.session(), "abz05a55");
        let id = SessionId::from_random([0xff, 0xff, 7, 7, 7, 7, 7, 7, 7, 7]);
        assert_eq!(id.server(), "999");
        let id = SessionId::from_random([0x00, 0x80, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(id.server(), "500");
        let id = SessionId::from_random([0x0b, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(id.server(), "039");
        // Every server id 000-999 is reachable, and only those.
        let mut seen = [false; 1000];
        for v in 0..=u16::MAX {
            let [a, b] = v.to_le_bytes();
            let id = SessionId::from_random([a, b, 0, 0, 0, 0, 0, 0, 0, 0]);
            let n: usize = id.server().parse().unwrap_or(usize::MAX);
            if let Some(slot) = seen.get_mut(n) {
                *slot = true;
            }
            assert_eq!(id.server().len(), 3);
        }
        assert!(seen.iter().all(|&s| s));
        let mut n = 0u32;
        let id = SessionId::generate(|| {
            n += 1;
            0x0403_0201 * n
        });
        assert_eq!(id.session().len(), 8);
        assert!(id.session().bytes().all(|b| SESSION_ALPHABET.contains(&b)));
    }

    #[test]
    fn urls() {
        let id = SessionId::from_random([0, 0, 0, 1, 2, 3, 4, 5, 6, 7]);
        let b = base("http://localhost:8081/echo/");
        assert_eq!(b.info_url(1234), "http://localhost:8081/echo/info?t=1234");
        assert_eq!(
            b.session_url(&id, Endpoint::Xhr),
            "http://localhost:8081/echo/000/abcdefgh/xhr"
        );
        assert_eq!(
            b.session_url(&id, Endpoint::XhrSend),
            "http://localhost:8081/echo/000/abcdefgh/xhr_send"
        );
        assert_eq!(
            b.session_url(&id, Endpoint::XhrStreaming),
            "http://localhost:8081/echo/000/abcdefgh/xhr_streaming"
        );
        assert_eq!(
            b.websocket_url(&id),
            "ws://localhost:8081/echo/000/abcdefgh/websocket"
        );
        let b = base("https://h/chat?token=a%20b");
        assert_eq!(b.info_url(5), "https://h/chat/info?token=a%20b&t=5");
        assert_eq!(
            b.websocket_url(&id),
            "wss://h/chat/000/abcdefgh/websocket?token=a%20b"
        );
        let mut u = b.session_url(&id, Endpoint::XhrSend);
        add_cache_buster(&mut u, 1_700_000_000_000);
        assert_eq!(
            u,
            "https://h/chat/000/abcdefgh/xhr_send?token=a%20b&t=1700000000000"
        );
        assert_eq!(b.with_path("/x"), "https://h/chat/x?token=a%20b");
    }
}
