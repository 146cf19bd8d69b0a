//! Bad input and arbitrary call orders: errors, never panics.

use super::*;
use proptest::prelude::*;

#[test]
fn garbage_is_a_protocol_error_and_closes() {
    let mut h = Harness::connected_12();
    h.feed(b"HELLO\n\n\0");
    let events = h.take_events();
    assert!(
        matches!(&events[0], Event::ProtocolError(m) if m.starts_with("invalid data from the server"))
    );
    assert!(matches!(
        &events[1],
        Event::Close {
            code: CLOSE_PROTOCOL_ERROR,
            ..
        }
    ));
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Closed {
            code: CLOSE_PROTOCOL_ERROR,
            ..
        }
    )));
    // The stream is unusable: later bytes are ignored, commands refused.
    h.server("MESSAGE\nsubscription:s\nmessage-id:1\ndestination:/a\n\nx\0");
    assert!(h.take_events().is_empty());
    assert!(h
        .s
        .send(h.now, "/q", Vec::new(), Headers::new(), ContentLength::Auto)
        .is_err());
    h.close(1006, "", false);
    assert!(h.take_events().is_empty());
}

#[test]
fn a_frame_past_the_size_limit_is_a_protocol_error() {
    let mut config = quiet();
    config.limits.max_frame_size = 64;
    let mut h = Harness::connected(config, "version:1.2\n");
    let body = "x".repeat(200);
    h.server(&format!(
        "MESSAGE\nsubscription:s\nmessage-id:1\ndestination:/a\n\n{body}\0"
    ));
    assert!(h.take_events().iter().any(|e| matches!(
        e,
        Event::Close {
            code: CLOSE_PROTOCOL_ERROR,
            ..
        }
    )));
}

#[test]
fn unexpected_frames_are_reported_and_ignored() {
    let mut h = Harness::new(quiet());
    h.connect(&[]);
    h.open(None);
    h.take_events();
    h.server("MESSAGE\nsubscription:s\nmessage-id:1\ndestination:/a\n\nx\0");
    h.server("SEND\ndestination:/a\n\n\0");
    let events = h.take_events();
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|e| matches!(e, Event::ProtocolError(_))));
    h.server("CONNECTED\nversion:1.2\n\n\0");
    assert!(h.s.is_connected());
    h.server("CONNECTED\nversion:1.2\n\n\0");
    assert!(
        matches!(h.take_events().last(), Some(Event::ProtocolError(m)) if m.contains("CONNECTED"))
    );
    assert!(h.s.is_connected());
}

#[test]
fn close_reasons_fit_a_websocket_close_frame() {
    let mut h = Harness::new(quiet());
    h.connect(&[]);
    h.open(None);
    h.server(&format!("CONNECTED\nversion:{}\n\n\0", "é".repeat(100)));
    let (_, reason) = h.close_request().unwrap();
    assert!(
        reason.len() <= 123 && reason.len() > 100,
        "{}",
        reason.len()
    );
}

#[test]
fn heart_beat_eols_between_frames_and_crlf_are_fine() {
    let mut h = Harness::connected_12();
    h.feed(b"\n\r\n\nMESSAGE\r\nsubscription:s\r\nmessage-id:1\r\ndestination:/a\r\n\r\nx\0\r\n\n");
    let events = h.take_events();
    assert!(
        matches!(events.as_slice(), [Event::Message { .. }]),
        "{events:?}"
    );
}

/// One step of an arbitrary dialogue.
#[derive(Debug, Clone)]
enum Op {
    Open(u8),
    Data(Vec<u8>),
    Frame(u8),
    Close(u16),
    Advance(u32),
    ClockBack(u32),
    CheckNow,
    Connect,
    Disconnect,
    Send(Vec<u8>, bool),
    Subscribe(Option<u8>),
    Unsubscribe(u8),
    Begin,
    Commit(u8),
    Ack(u8),
    Nack(u8),
}

const SERVER_FRAMES: [&str; 8] = [
    "CONNECTED\nversion:1.2\nheart-beat:100,100\n\n\0",
    "CONNECTED\nversion:1.0\n\n\0",
    "CONNECTED\nheart-beat:1,x\n\n\0",
    "MESSAGE\nsubscription:sub-0\nmessage-id:1\nack:1\ndestination:/a\n\nhi\0",
    "RECEIPT\nreceipt-id:receipt-0\n\n\0",
    "RECEIPT\nreceipt-id:receipt-1\n\n\0",
    "ERROR\nmessage:boom\n\n\0",
    "\n",
];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        any::<u8>().prop_map(Op::Open),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(Op::Data),
        any::<u8>().prop_map(Op::Frame),
        any::<u16>().prop_map(Op::Close),
        any::<u32>().prop_map(Op::Advance),
        any::<u32>().prop_map(Op::ClockBack),
        Just(Op::CheckNow),
        Just(Op::Connect),
        Just(Op::Disconnect),
        (proptest::collection::vec(any::<u8>(), 0..8), any::<bool>())
            .prop_map(|(b, r)| Op::Send(b, r)),
        proptest::option::of(any::<u8>()).prop_map(Op::Subscribe),
        any::<u8>().prop_map(Op::Unsubscribe),
        Just(Op::Begin),
        any::<u8>().prop_map(Op::Commit),
        any::<u8>().prop_map(Op::Ack),
        any::<u8>().prop_map(Op::Nack),
    ]
}

fn run(ops: Vec<Op>, config: Config) {
    let mut s = Session::new(config);
    let mut now: u64 = 1_000_000;
    for op in ops {
        let id = |n: u8| format!("sub-{}", n % 4);
        let tx = |n: u8| format!("tx-{}", n % 4);
        match op {
            Op::Open(p) => s.handle_open(
                now,
                ["v12.stomp", "v10.stomp", "x"]
                    .get(usize::from(p % 4))
                    .copied(),
            ),
            Op::Data(bytes) => s.handle_data(now, &bytes),
            Op::Frame(i) => {
                let f = SERVER_FRAMES[usize::from(i) % SERVER_FRAMES.len()];
                s.handle_data(now, f.as_bytes());
            }
            Op::Close(code) => s.handle_close(now, code, "x", code % 2 == 0),
            Op::Advance(ms) => {
                now = now.saturating_add(u64::from(ms % 50_000));
                s.handle_timeout(now);
            }
            Op::ClockBack(ms) => {
                now = now.saturating_sub(u64::from(ms));
                s.handle_timeout(now);
            }
            Op::CheckNow => s.check_now(now),
            Op::Connect => drop(s.connect(now, headers(&[("passcode", "p")]))),
            Op::Disconnect => drop(s.disconnect(now, Headers::new())),
            Op::Send(body, receipt) => {
                let hs = if receipt {
                    headers(&[("receipt", "true")])
                } else {
                    Headers::new()
                };
                drop(s.send(now, "/q", body, hs, ContentLength::Auto));
            }
            Op::Subscribe(n) => {
                let hs = n
                    .map(|n| headers(&[("id", id(n).as_str())]))
                    .unwrap_or_default();
                drop(s.subscribe(now, "/a", hs));
            }
            Op::Unsubscribe(n) => drop(s.unsubscribe(now, &id(n), Headers::new())),
            Op::Begin => drop(s.begin(now, None, Headers::new())),
            Op::Commit(n) => drop(s.commit(now, &tx(n), Headers::new())),
            Op::Ack(n) => drop(s.ack(now, "m", &id(n), Headers::new())),
            Op::Nack(n) => drop(s.nack(now, "m", &id(n), Headers::new())),
        }
        while let Some(t) = s.poll_transmit() {
            let max = s.config().max_ws_frame_size;
            assert!(max == 0 || t.len() <= max);
        }
        while s.poll_event().is_some() {}
        if s.state() == State::Closed {
            assert_eq!(s.poll_timeout(), None, "a finished session has no deadline");
        }
        if let Some(d) = s.poll_timeout() {
            // Firing a due deadline must make progress.
            if d <= now {
                s.handle_timeout(now);
                assert!(s.poll_timeout().is_none_or(|d2| d2 > now || d2 != d));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_call_order_is_safe(ops in proptest::collection::vec(op(), 0..60)) {
        run(ops, Config::default());
    }

    #[test]
    fn any_call_order_is_safe_with_small_limits(ops in proptest::collection::vec(op(), 0..60)) {
        let mut config = Config {
            max_ws_frame_size: 7,
            max_queued: 3,
            timeout_ms: 0,
            debug: true,
            ..Config::default()
        };
        config.limits.max_frame_size = 48;
        run(ops, config);
    }
}
