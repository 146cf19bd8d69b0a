//! CONNECT, CONNECTED and the connect timeout.

use super::*;

#[test]
fn connect_frame_has_accept_version_heart_beat_and_the_users_headers() {
    let mut h = Harness::new(Config::default());
    h.connect(&[("login", "guest"), ("passcode", "guest")]);
    assert_eq!(h.s.state(), State::Connecting);
    assert!(
        h.take_out().is_empty(),
        "nothing is sent before the transport opens"
    );
    h.open(Some("v12.stomp"));
    let f = h.one_frame();
    assert_eq!(f.command, Command::Connect);
    assert_eq!(hv(&f, "accept-version"), Some("1.2,1.1,1.0"));
    assert_eq!(hv(&f, "heart-beat"), Some("10000,10000"));
    assert_eq!(hv(&f, "login"), Some("guest"));
    assert_eq!(hv(&f, "passcode"), Some("guest"));
    assert_eq!(hv(&f, "host"), None, "host is sent only when given");
}

#[test]
fn host_is_sent_when_given_and_own_headers_win() {
    let mut h = Harness::new(Config {
        subprotocols: vec!["v11.stomp".into()],
        heartbeat: HeartbeatConfig {
            outgoing_ms: 0,
            incoming_ms: 4_000,
            tolerance: 2,
        },
        ..Config::default()
    });
    h.open(None);
    assert!(h.take_out().is_empty(), "nothing is sent before connect");
    h.connect(&[
        ("host", "/"),
        ("accept-version", "9.9"),
        ("heart-beat", "1,1"),
    ]);
    let f = h.one_frame();
    assert_eq!(hv(&f, "host"), Some("/"));
    assert_eq!(hv(&f, "accept-version"), Some("1.1"));
    assert_eq!(hv(&f, "heart-beat"), Some("0,4000"));
    assert_eq!(
        f.headers.iter().filter(|(n, _)| *n == "heart-beat").count(),
        1
    );
}

#[test]
fn connected_negotiates_each_version() {
    for (header, protocol, expected) in [
        ("version:1.2\n", Some("v12.stomp"), Version::V1_2),
        ("version:1.1\n", Some("v12.stomp"), Version::V1_1),
        ("version:1.0\n", None, Version::V1_0),
        ("", None, Version::V1_0),
        ("", Some("v11.stomp"), Version::V1_1),
    ] {
        let mut h = Harness::new(quiet());
        h.connect(&[]);
        h.open(protocol);
        h.take_out();
        h.take_events();
        h.server(&format!(
            "CONNECTED\n{header}server:test/1\nsession:s-1\n\n\0"
        ));
        assert_eq!(h.s.version(), Some(expected), "{header:?} {protocol:?}");
        assert_eq!(h.s.state(), State::Connected);
        assert!(h.s.is_connected());
        assert_eq!(h.s.server(), Some("test/1"));
        assert_eq!(h.s.session_id(), Some("s-1"));
        let events = h.take_events();
        assert_eq!(events.first(), Some(&Event::StateChanged(State::Connected)));
        assert!(
            matches!(events.get(1), Some(Event::Connected(f)) if f.command == Command::Connected)
        );
        assert_eq!(
            h.s.poll_timeout(),
            None,
            "no deadline once connected without heart-beats"
        );
    }
}

#[test]
fn an_unknown_version_is_a_protocol_error() {
    let mut h = Harness::new(quiet());
    h.connect(&[]);
    h.open(None);
    h.server("CONNECTED\nversion:2.0\n\n\0");
    let events = h.take_events();
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::ProtocolError(m) if m.contains("2.0"))));
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::Close { code, .. } if *code == CLOSE_PROTOCOL_ERROR)));
    assert_eq!(h.s.state(), State::Closed);
}

#[test]
fn connect_timeout_closes_at_the_limit_and_not_before() {
    let mut h = Harness::new(quiet());
    h.connect(&[]);
    h.jump(60_000); // the transport took a while to open: the limit starts at CONNECT
    h.open(None);
    h.take_out();
    assert_eq!(h.s.poll_timeout(), Some(h.now + 5_000));
    h.advance(4_999);
    assert_eq!(h.close_request(), None);
    h.advance(1);
    let reason = "no CONNECTED frame from the server within 5000 ms".to_owned();
    // The session asks for the close and is done with the transport at once: its close may
    // never be reported (a black hole), and is ignored when it is.
    assert_eq!(h.s.state(), State::Closed);
    assert_eq!(
        h.take_events(),
        vec![
            Event::Close {
                code: CLOSE_CONNECT_TIMEOUT,
                reason: reason.clone(),
            },
            Event::StateChanged(State::Closed),
            Event::Closed {
                code: CLOSE_CONNECT_TIMEOUT,
                reason,
                was_clean: false,
                after_disconnect: false,
            }
        ]
    );
    h.close(1006, "", false);
    assert!(h.take_events().is_empty());
}

#[test]
fn an_unreported_close_counts_as_done_after_the_timeout() {
    let mut h = Harness::connected_12();
    h.s.disconnect(h.now, Headers::new()).unwrap();
    h.advance(5_000); // no RECEIPT: the session asks for the close, and waits for it
    assert!(h.close_request().is_some());
    h.advance(4_999);
    assert_eq!(h.s.state(), State::Disconnecting);
    h.advance(1);
    assert_eq!(h.s.state(), State::Closed);
    assert!(h.take_events().iter().any(|e| matches!(
        e,
        Event::Closed {
            code: CLOSE_NORMAL,
            was_clean: false,
            after_disconnect: true,
            ..
        }
    )));
    // A late report of the same close changes nothing.
    h.close(1000, "", true);
    assert!(h.take_events().is_empty());
    assert_eq!(h.s.poll_timeout(), None);
}

#[test]
fn connect_twice_is_refused_and_connect_again_after_close_works() {
    let mut h = Harness::connected_12();
    assert_eq!(
        h.s.connect(h.now, Headers::new()),
        Err(SessionError::AlreadyConnected(State::Connected))
    );
    h.close(1006, "gone", false);
    assert!(h.take_events().contains(&Event::Closed {
        code: 1006,
        reason: "gone".into(),
        was_clean: false,
        after_disconnect: false,
    }));
    h.connect(&[("login", "again")]);
    assert_eq!(h.s.state(), State::Connecting);
    assert!(h.take_out().is_empty());
    h.open(Some("v12.stomp"));
    assert_eq!(hv(&h.one_frame(), "login"), Some("again"));
}

#[test]
fn error_frame_while_connecting_is_reported() {
    let mut h = Harness::new(quiet());
    h.connect(&[("login", "bad")]);
    h.open(None);
    h.take_events();
    h.server("ERROR\nmessage:Access refused\n\nBad login\0");
    let events = h.take_events();
    assert!(matches!(
        events.first(),
        Some(Event::ServerError(f)) if hv(f, "message") == Some("Access refused") && f.body == b"Bad login"
    ));
    // The attempt is over: the transport is closed at once rather than after the timeout.
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::Close { code: 1000, reason }
        if reason.contains("Access refused"))));
    h.close(1000, "", true);
    assert_eq!(h.s.state(), State::Closed);
}

#[test]
fn transport_failing_before_open_closes_the_session() {
    let mut h = Harness::new(quiet());
    h.connect(&[]);
    h.close(1006, "", false);
    assert_eq!(h.s.state(), State::Closed);
    assert_eq!(h.s.poll_timeout(), None);
}

#[test]
fn connect_headers_are_never_escaped() {
    let mut h = Harness::new(quiet());
    h.connect(&[("passcode", "a:b\\c")]);
    h.open(Some("v12.stomp"));
    let raw = String::from_utf8(h.raw.concat()).unwrap();
    assert!(raw.contains("\npasscode:a:b\\c\n"), "{raw:?}");
}

#[test]
fn the_subprotocol_version_unescapes_an_error_before_connected() {
    let mut h = Harness::new(quiet());
    h.connect(&[]);
    h.open(Some("v12.stomp"));
    h.take_events();
    h.server("ERROR\nmessage:vhost\\c / refused\n\n\0");
    assert!(matches!(
        h.take_events().first(),
        Some(Event::ServerError(f)) if hv(f, "message") == Some("vhost: / refused")
    ));
}
