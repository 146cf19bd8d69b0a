//! The SockJS transports this client speaks, which of them to try, and how long each attempt
//! may take.
//!
//! From sockjs-client: transports are tried in its fixed order, the `transports` option only
//! filters that order (`lib/utils/transport.js`, `filterToEnabled`; an empty list means all),
//! and `/info` `websocket: false` removes websocket. Each attempt gets a timer of
//! `Math.max(options.timeout, rto * Transport.roundTrips || 5000)` (`lib/main.js`, `_connect`),
//! where `roundTrips` is 2 for websocket, xhr-streaming and xhr-polling alike and the RTO comes
//! from the `/info` round trip (`countRTO`). The `|| 5000` never applies (the RTO is at least
//! 300 ms), so the formula is `max(timeout, 2 × RTO)`.

use super::info::Info;
use super::url::Endpoint;

/// A SockJS transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transport {
    /// `websocket`: SockJS frames over a WebSocket at `.../websocket`.
    WebSocket,
    /// `xhr-streaming`: a long `POST .../xhr_streaming` response, sending by `xhr_send`.
    XhrStreaming,
    /// `xhr-polling`: repeated `POST .../xhr`, sending by `xhr_send`.
    XhrPolling,
}

impl Transport {
    /// Every transport, in the order they are tried.
    pub const ALL: [Transport; 3] = [
        Transport::WebSocket,
        Transport::XhrStreaming,
        Transport::XhrPolling,
    ];

    /// The name used in the `transports` option and reported as the client's `transport`.
    pub const fn name(self) -> &'static str {
        match self {
            Transport::WebSocket => "websocket",
            Transport::XhrStreaming => "xhr-streaming",
            Transport::XhrPolling => "xhr-polling",
        }
    }

    /// The transport of that name (exact, as in sockjs-client).
    pub fn from_name(name: &str) -> Option<Transport> {
        Transport::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The endpoint the transport receives on (and, for websocket, sends on too).
    pub const fn receive_endpoint(self) -> Endpoint {
        match self {
            Transport::WebSocket => Endpoint::Websocket,
            Transport::XhrStreaming => Endpoint::XhrStreaming,
            Transport::XhrPolling => Endpoint::Xhr,
        }
    }

    /// The round trips an attempt needs before the session opens, per sockjs-client (2 for
    /// all three: WebSocket over TLS may need two, the XHRs a CORS preflight and the request).
    pub const fn round_trips(self) -> u64 {
        2
    }
}

/// The transports to try, in order: [`Transport::ALL`] filtered by `requested` (names as in
/// the `transports` option; an empty list means all; unknown names such as
/// `iframe-eventsource`, which sockjs-client configurations may list, are ignored) and by
/// `info` (`websocket: false` removes websocket). The order of `requested` does not matter,
/// as in sockjs-client. An empty result means the client closes with
/// [`super::ClientClose::AllTransportsFailed`].
pub fn select_transports<I>(requested: I, info: &Info) -> Vec<Transport>
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    // Indexed by the enum's order, which is `Transport::ALL`'s. Plain loops: iterator adapters
    // over arrays cost far more code here.
    let mut wanted = [false; 3];
    let mut any = false;
    for name in requested {
        any = true;
        if let Some(t) = Transport::from_name(name.as_ref()) {
            wanted[t as usize] = true;
        }
    }
    let mut out = Vec::with_capacity(3);
    for t in Transport::ALL {
        if (wanted[t as usize] || !any) && (info.websocket || t != Transport::WebSocket) {
            out.push(t);
        }
    }
    out
}

/// How long sockjs-client waits for the `/info` answer before closing with
/// [`super::ClientClose::CannotConnect`] (`InfoReceiver.timeout`).
pub const INFO_TIMEOUT_MS: u64 = 8000;

/// How many receive requests in a row may end without a frame before an XHR transport
/// gives up (`Polling.NETWORK_RETRIES`; any frame resets the count). A receive request
/// answered with a status other than 200 ends the transport at once.
pub const RECEIVE_RETRIES: u32 = 3;

/// The retransmission timeout for a measured `/info` round-trip time (sockjs-client
/// `countRTO`, after RFC 2988): `4 × rtt` when `rtt > 100` ms, else `300 + rtt`.
pub const fn rto_ms(rtt_ms: u64) -> u64 {
    if rtt_ms > 100 {
        rtt_ms.saturating_mul(4)
    } else {
        300 + rtt_ms
    }
}

/// The time one transport attempt may take to open the session:
/// `max(floor_ms, rto_ms(rtt_ms) × transport.round_trips())`, where `floor_ms` is the
/// `timeout` option. With the default floor of 5000 ms that is 5000 ms up to an RTT of 625 ms
/// and `8 × rtt` above. When it expires the attempt is abandoned
/// ([`super::ClientClose::TransportTimedOut`]) and the next transport is tried.
pub const fn attempt_timeout_ms(rtt_ms: u64, floor_ms: u64, transport: Transport) -> u64 {
    let by_rto = rto_ms(rtt_ms).saturating_mul(transport.round_trips());
    if by_rto > floor_ms {
        by_rto
    } else {
        floor_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Transport::*;

    fn info(websocket: bool) -> Info {
        Info {
            websocket,
            ..Info::default()
        }
    }

    #[test]
    fn names() {
        for t in Transport::ALL {
            assert_eq!(Transport::from_name(t.name()), Some(t));
        }
        assert_eq!(Transport::from_name("xhr_streaming"), None);
        assert_eq!(Transport::from_name("WebSocket"), None);
        assert_eq!(XhrPolling.receive_endpoint(), Endpoint::Xhr);
    }

    #[test]
    fn selection() {
        let none: [&str; 0] = [];
        assert_eq!(select_transports(none, &info(true)), Transport::ALL);
        assert_eq!(
            select_transports(none, &info(false)),
            [XhrStreaming, XhrPolling]
        );
        assert_eq!(
            select_transports(["xhr-polling", "websocket"], &info(true)),
            [WebSocket, XhrPolling]
        );
        assert_eq!(
            select_transports(vec!["websocket".to_string()], &info(false)),
            []
        );
        assert_eq!(
            select_transports(
                ["iframe-eventsource", "xhr-streaming", "xhr-streaming"],
                &info(true)
            ),
            [XhrStreaming]
        );
        assert_eq!(select_transports(["jsonp-polling"], &info(true)), []);
    }

    #[test]
    fn timing() {
        assert_eq!(rto_ms(0), 300);
        assert_eq!(rto_ms(100), 400);
        assert_eq!(rto_ms(101), 404);
        assert_eq!(rto_ms(1000), 4000);
        assert_eq!(rto_ms(u64::MAX), u64::MAX);
        assert_eq!(attempt_timeout_ms(10, 5000, WebSocket), 5000);
        assert_eq!(attempt_timeout_ms(625, 5000, XhrStreaming), 5000);
        assert_eq!(attempt_timeout_ms(626, 5000, XhrStreaming), 5008);
        assert_eq!(attempt_timeout_ms(50, 0, XhrPolling), 700);
        assert_eq!(attempt_timeout_ms(u64::MAX, 0, XhrPolling), u64::MAX);
    }
}
