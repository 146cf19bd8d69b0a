//! DISCONNECT by receipt, by close and by timeout; server ERROR frames.

use super::*;

/// A connected session with a subscription, after `disconnect`: returns the receipt id.
fn disconnecting() -> (Harness, String) {
    let mut h = Harness::connected_12();
    h.s.subscribe(h.now, "/a", Headers::new()).unwrap();
    h.drain();
    h.take_out();
    let receipt = h.s.disconnect(h.now, Headers::new()).unwrap().unwrap();
    h.drain();
    (h, receipt)
}

#[test]
fn disconnect_sends_disconnect_with_a_receipt() {
    let (mut h, receipt) = disconnecting();
    assert_eq!(receipt, "receipt-0");
    let f = h.one_frame();
    assert_eq!(f.command, Command::Disconnect);
    assert_eq!(hv(&f, "receipt"), Some("receipt-0"));
    assert_eq!(h.s.state(), State::Disconnecting);
    assert_eq!(
        h.take_events(),
        vec![Event::StateChanged(State::Disconnecting)]
    );
    assert_eq!(h.s.poll_timeout(), Some(h.now + 5_000));
    // A second call does nothing.
    assert_eq!(h.s.disconnect(h.now, Headers::new()), Ok(None));
}

#[test]
fn disconnect_ends_on_its_receipt() {
    let (mut h, receipt) = disconnecting();
    h.take_events();
    // Messages still in flight reach their subscription.
    h.server("MESSAGE\nsubscription:sub-0\nmessage-id:1\ndestination:/a\n\nlate\0");
    assert!(matches!(
        h.take_events().as_slice(),
        [Event::Message { known: true, .. }]
    ));
    h.server(&format!("RECEIPT\nreceipt-id:{receipt}\n\n\0"));
    let events = h.take_events();
    assert!(matches!(&events[0], Event::Receipt { id, .. } if *id == receipt));
    assert_eq!(
        events[1],
        Event::Close {
            code: CLOSE_NORMAL,
            reason: "disconnected".into()
        }
    );
    assert_eq!(h.s.state(), State::Disconnecting);
    h.close(1000, "", true);
    assert_eq!(h.s.state(), State::Closed);
    assert_eq!(
        h.take_events(),
        vec![
            Event::StateChanged(State::Closed),
            Event::Closed {
                code: CLOSE_NORMAL,
                reason: "disconnected".into(),
                was_clean: true,
                after_disconnect: true,
            }
        ]
    );
    assert_eq!(
        h.s.subscriptions().count(),
        0,
        "disconnect drops the subscriptions"
    );
    assert_eq!(h.s.pending_receipts().count(), 0);
    assert_eq!(h.s.poll_timeout(), None);
}

#[test]
fn disconnect_ends_when_the_transport_closes_first() {
    // RabbitMQ Web-STOMP closes with 1000 instead of answering the receipt.
    let (mut h, _) = disconnecting();
    h.take_events();
    h.close(1000, "bye", true);
    assert_eq!(h.s.state(), State::Closed);
    assert_eq!(
        h.take_events(),
        vec![
            Event::StateChanged(State::Closed),
            Event::Closed {
                code: 1000,
                reason: "bye".into(),
                was_clean: true,
                after_disconnect: true,
            }
        ]
    );
}

#[test]
fn disconnect_gives_up_waiting_after_the_timeout() {
    let (mut h, _) = disconnecting();
    h.take_events();
    h.advance(4_999);
    assert_eq!(h.close_request(), None);
    h.advance(1);
    let (code, reason) = h.close_request().unwrap();
    assert_eq!(code, CLOSE_NORMAL);
    assert_eq!(reason, "no RECEIPT for DISCONNECT within 5000 ms");
    h.close(1000, "", true);
    assert_eq!(h.s.state(), State::Closed);
}

#[test]
fn disconnect_uses_the_callers_receipt() {
    let mut h = Harness::connected_12();
    let r =
        h.s.disconnect(h.now, headers(&[("receipt", "bye-1")]))
            .unwrap();
    h.drain();
    assert_eq!(r.as_deref(), Some("bye-1"));
    assert_eq!(hv(&h.one_frame(), "receipt"), Some("bye-1"));
}

#[test]
fn disconnect_before_connected_closes_the_transport() {
    let mut h = Harness::new(quiet());
    h.connect(&[]);
    h.open(None);
    h.take_out();
    h.take_events();
    assert_eq!(h.s.disconnect(h.now, Headers::new()), Ok(None));
    h.drain();
    assert!(h.take_out().is_empty(), "no DISCONNECT before CONNECTED");
    let events = h.take_events();
    assert_eq!(events[0], Event::StateChanged(State::Disconnecting));
    assert!(matches!(
        &events[1],
        Event::Close {
            code: CLOSE_NORMAL,
            ..
        }
    ));
    h.close(1000, "", true);
    assert_eq!(h.s.state(), State::Closed);
}

#[test]
fn disconnect_before_the_transport_opened_ends_at_once() {
    let mut h = Harness::new(quiet());
    h.connect(&[]);
    h.take_events();
    h.s.disconnect(h.now, Headers::new()).unwrap();
    h.drain();
    assert_eq!(h.s.state(), State::Closed);
    let events = h.take_events();
    assert!(
        matches!(&events[1], Event::Close { .. }),
        "the IO must abort the opening"
    );
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Closed {
            after_disconnect: true,
            ..
        }
    )));
    assert_eq!(h.s.poll_timeout(), None);
}

#[test]
fn disconnect_when_idle_does_nothing() {
    let mut h = Harness::new(quiet());
    assert_eq!(h.s.disconnect(h.now, Headers::new()), Ok(None));
    h.drain();
    assert!(h.take_events().is_empty());
    assert_eq!(h.s.state(), State::Idle);
}

#[test]
fn server_error_frames_are_reported() {
    let mut h = Harness::connected_12();
    h.server("ERROR\nmessage:malformed frame\ncontent-length:3\n\na\0b\0");
    let events = h.take_events();
    assert!(matches!(
        events.as_slice(),
        [Event::ServerError(f)] if hv(f, "message") == Some("malformed frame") && f.body == b"a\0b"
    ));
    h.close(1002, "", false);
    assert!(h.take_events().contains(&Event::Closed {
        code: 1002,
        reason: String::new(),
        was_clean: false,
        after_disconnect: false,
    }));
}
