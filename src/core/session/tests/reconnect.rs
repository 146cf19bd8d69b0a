//! Reconnect: the schedule, re-subscribing, held and unconfirmed frames, transactions.

use super::*;
use crate::core::encoder::ContentLength;

fn policy(max_attempts: Option<u32>) -> Config {
    Config {
        reconnect: Some(ReconnectConfig {
            delay_ms: 100,
            max_delay_ms: 1_000,
            multiplier: 2.0,
            jitter: 0.0,
            max_attempts,
        }),
        ..quiet()
    }
}

/// A session that reconnects, connected as `login:me` with one subscription.
fn connected_with_sub(config: Config) -> Harness {
    let mut h = Harness::new(config);
    h.connect(&[("login", "me")]);
    h.open(Some("v12.stomp"));
    h.server("CONNECTED\nversion:1.2\n\n\0");
    h.s.subscribe(h.now, "/topic/a", headers(&[("ack", "client")]))
        .unwrap();
    h.drain();
    h.take_frames();
    h.take_events();
    h
}

fn send(
    h: &mut Harness,
    body: &str,
    pairs: &[(&str, &str)],
) -> Result<Option<String>, SessionError> {
    let r = h.s.send(
        h.now,
        "/queue/q",
        body.as_bytes().to_vec(),
        headers(pairs),
        ContentLength::Auto,
    );
    h.drain();
    r
}

/// The `Lost` event's (code, attempt, delay) among the events since the last take.
fn lost(h: &mut Harness) -> Option<(u16, u32, u64)> {
    h.take_events().into_iter().find_map(|e| match e {
        Event::Lost {
            code,
            attempt,
            delay_ms,
            ..
        } => Some((code, attempt, delay_ms)),
        _ => None,
    })
}

/// Waits out the delay and checks the request for attempt `n`.
fn reconnect_request(h: &mut Harness, delay: u64, n: u32) {
    h.take_events();
    h.advance(delay - 1);
    assert!(
        !h.events.contains(&Event::Reconnect { attempt: n }),
        "too early"
    );
    h.advance(1);
    assert_eq!(h.take_events(), vec![Event::Reconnect { attempt: n }]);
}

fn commands(frames: &[Frame]) -> Vec<&'static str> {
    frames.iter().map(|f| f.command.as_str()).collect()
}

#[test]
fn a_lost_connection_reconnects_and_subscribes_again_with_the_same_id() {
    let mut h = connected_with_sub(policy(None));
    h.close(1006, "gone", false);
    assert_eq!(h.s.state(), State::Reconnecting);
    assert_eq!(h.s.reconnect_attempt(), 1);
    assert!(h.events.contains(&Event::StateChanged(State::Reconnecting)));
    assert_eq!(lost(&mut h), Some((1006, 1, 100)));
    reconnect_request(&mut h, 100, 1);

    h.open(Some("v12.stomp"));
    let connect = h.one_frame();
    assert_eq!(connect.command, Command::Connect);
    assert_eq!(hv(&connect, "login"), Some("me"));
    h.server("CONNECTED\nversion:1.2\n\n\0");
    let sub = h.one_frame();
    assert_eq!(sub.command, Command::Subscribe);
    assert_eq!(hv(&sub, "id"), Some("sub-0"));
    assert_eq!(hv(&sub, "destination"), Some("/topic/a"));
    assert_eq!(hv(&sub, "ack"), Some("client"));
    assert_eq!(h.s.state(), State::Connected);
    assert_eq!(h.s.reconnect_attempt(), 0);
}

#[test]
fn waits_grow_per_failed_attempt_and_reset_after_connected() {
    let mut h = connected_with_sub(policy(None));
    h.close(1006, "", false);
    assert_eq!(lost(&mut h), Some((1006, 1, 100)));
    for (attempt, delay) in [(1, 100), (2, 200), (3, 400)] {
        reconnect_request(&mut h, delay, attempt);
        h.close(1006, "refused", false);
        let next = lost(&mut h).unwrap();
        assert_eq!((next.1, next.2), (attempt + 1, delay * 2));
        assert_eq!(h.s.state(), State::Reconnecting);
    }
    reconnect_request(&mut h, 800, 4);
    h.open(None);
    h.server("CONNECTED\nversion:1.2\n\n\0");
    h.close(1006, "", false);
    assert_eq!(lost(&mut h), Some((1006, 1, 100)));
}

#[test]
fn gives_up_after_max_attempts_with_a_closed_event() {
    let mut h = Harness::new(policy(Some(2)));
    h.connect(&[]);
    h.close(1006, "refused", false); // the first connect failed: attempt 1 follows
    assert_eq!(lost(&mut h), Some((1006, 1, 100)));
    reconnect_request(&mut h, 100, 1);
    h.close(1006, "refused", false);
    assert_eq!(lost(&mut h), Some((1006, 2, 200)));
    reconnect_request(&mut h, 200, 2);
    h.close(1006, "refused", false);
    assert_eq!(h.s.state(), State::Closed);
    let closed = h.take_events().into_iter().find_map(|e| match e {
        Event::Closed {
            code,
            after_disconnect,
            ..
        } => Some((code, after_disconnect)),
        _ => None,
    });
    assert_eq!(closed, Some((1006, false)));
    assert_eq!(h.s.poll_timeout(), None);
}

#[test]
fn commands_issued_while_reconnecting_go_out_in_order_after_connected() {
    let mut h = connected_with_sub(policy(None));
    h.close(1006, "", false);
    send(&mut h, "one", &[]).unwrap();
    h.s.ack(h.now, "m-1", "sub-0", Headers::new()).unwrap();
    send(&mut h, "two", &[]).unwrap();
    h.s.subscribe(h.now, "/topic/b", Headers::new()).unwrap();
    assert_eq!(h.s.queued(), 3);
    reconnect_request(&mut h, 100, 1);
    h.open(None);
    h.take_frames();
    h.server("CONNECTED\nversion:1.2\n\n\0");
    let frames = h.take_frames();
    assert_eq!(
        commands(&frames),
        ["SUBSCRIBE", "SUBSCRIBE", "SEND", "ACK", "SEND"]
    );
    assert_eq!(frames[2].body, b"one");
    assert_eq!(hv(&frames[3], "id"), Some("m-1"));
    assert_eq!(frames[4].body, b"two");
}

#[test]
fn the_queue_is_bounded_while_reconnecting() {
    let mut h = connected_with_sub(Config {
        max_queued: 2,
        ..policy(None)
    });
    h.close(1006, "", false);
    send(&mut h, "1", &[]).unwrap();
    send(&mut h, "2", &[]).unwrap();
    assert_eq!(send(&mut h, "3", &[]), Err(SessionError::QueueFull(2)));
}

#[test]
fn sends_without_their_receipt_are_sent_again_after_reconnect() {
    let mut h = connected_with_sub(policy(None));
    assert_eq!(
        send(&mut h, "a", &[("receipt", "r-a")]),
        Ok(Some("r-a".into()))
    );
    send(&mut h, "b", &[("receipt", "true")]).unwrap();
    send(&mut h, "c", &[]).unwrap();
    h.take_frames();
    h.server("RECEIPT\nreceipt-id:r-a\n\n\0");
    h.close(1006, "", false);
    send(&mut h, "d", &[("receipt", "true")]).unwrap();
    reconnect_request(&mut h, 100, 1);
    h.open(None);
    h.take_frames();
    h.server("CONNECTED\nversion:1.2\n\n\0");
    let frames = h.take_frames();
    assert_eq!(commands(&frames), ["SUBSCRIBE", "SEND", "SEND"]);
    assert_eq!(frames[1].body, b"b", "only the unconfirmed SEND again");
    assert_eq!(frames[2].body, b"d");
    let (b, d) = (
        hv(&frames[1], "receipt").unwrap().to_owned(),
        hv(&frames[2], "receipt").unwrap().to_owned(),
    );
    assert_eq!(
        h.s.pending_receipts().collect::<Vec<_>>(),
        [b.as_str(), d.as_str()]
    );
    h.server(&format!(
        "RECEIPT\nreceipt-id:{b}\n\n\0RECEIPT\nreceipt-id:{d}\n\n\0"
    ));
    assert_eq!(h.s.pending_receipts().count(), 0);
    // Confirmed: a second loss sends nothing again.
    h.close(1006, "", false);
    reconnect_request(&mut h, 100, 1);
    h.open(None);
    h.take_frames();
    h.server("CONNECTED\nversion:1.2\n\n\0");
    assert_eq!(commands(&h.take_frames()), ["SUBSCRIBE"]);
}

#[test]
fn receipts_of_other_frames_on_the_lost_connection_are_forgotten() {
    let mut h = connected_with_sub(policy(None));
    h.s.unsubscribe(h.now, "sub-0", headers(&[("receipt", "u")]))
        .unwrap();
    h.drain();
    h.close(1006, "", false);
    assert_eq!(h.s.pending_receipts().count(), 0);
}

#[test]
fn transactions_begun_on_the_lost_connection_are_aborted_and_reported() {
    let mut h = connected_with_sub(policy(None));
    let tx = h.s.begin(h.now, None, Headers::new()).unwrap().id;
    send(
        &mut h,
        "in tx",
        &[("transaction", &tx), ("receipt", "r-tx")],
    )
    .unwrap();
    h.take_frames();
    h.close(1006, "", false);
    let events = h.take_events();
    assert!(
        events.contains(&Event::TransactionAborted(tx.clone())),
        "{events:?}"
    );
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::ReceiptDropped { id, .. } if id == "r-tx")));
    assert_eq!(h.s.open_transactions().count(), 0);
    assert_eq!(
        send(&mut h, "late", &[("transaction", &tx)]),
        Err(SessionError::TransactionAborted(tx.clone()))
    );
    assert_eq!(
        h.s.commit(h.now, &tx, Headers::new()),
        Err(SessionError::TransactionAborted(tx.clone()))
    );
    // Reported once: afterwards the id is unknown, and may be begun anew.
    assert_eq!(
        h.s.commit(h.now, &tx, Headers::new()),
        Err(SessionError::UnknownTransaction(tx.clone()))
    );
    reconnect_request(&mut h, 100, 1);
    h.open(None);
    h.take_frames();
    h.server("CONNECTED\nversion:1.2\n\n\0");
    assert_eq!(
        commands(&h.take_frames()),
        ["SUBSCRIBE"],
        "nothing of the transaction"
    );
}

#[test]
fn aborting_an_aborted_transaction_succeeds_quietly() {
    let mut h = connected_with_sub(policy(None));
    let tx = h.s.begin(h.now, Some("t1"), Headers::new()).unwrap().id;
    h.close(1006, "", false);
    assert_eq!(h.s.abort(h.now, &tx, Headers::new()), Ok(None));
    h.drain();
    assert!(h.take_frames().is_empty());
}

#[test]
fn a_begin_still_held_survives_a_failed_attempt() {
    let mut h = connected_with_sub(policy(None));
    h.close(1006, "", false);
    let tx = h.s.begin(h.now, None, Headers::new()).unwrap().id;
    reconnect_request(&mut h, 100, 1);
    h.close(1006, "refused", false);
    assert!(!h
        .take_events()
        .contains(&Event::TransactionAborted(tx.clone())));
    reconnect_request(&mut h, 200, 2);
    h.open(None);
    h.take_frames();
    h.server("CONNECTED\nversion:1.2\n\n\0");
    let frames = h.take_frames();
    assert_eq!(commands(&frames), ["SUBSCRIBE", "BEGIN"]);
    h.s.commit(h.now, &tx, Headers::new()).unwrap();
}

#[test]
fn disconnect_while_waiting_to_reconnect_ends_at_once() {
    let mut h = connected_with_sub(policy(None));
    h.close(1006, "", false);
    h.take_events();
    assert_eq!(h.s.disconnect(h.now, Headers::new()), Ok(None));
    h.drain();
    assert_eq!(h.s.state(), State::Closed);
    assert_eq!(h.s.poll_timeout(), None, "no timer left");
    assert!(h.take_events().iter().any(|e| matches!(
        e,
        Event::Closed {
            after_disconnect: true,
            ..
        }
    )));
    h.advance(10_000);
    assert!(h.take_events().is_empty());
}

#[test]
fn disconnect_during_an_attempt_closes_its_transport_and_ends() {
    let mut h = connected_with_sub(policy(None));
    h.close(1006, "", false);
    reconnect_request(&mut h, 100, 1);
    h.open(None);
    h.take_frames();
    h.s.disconnect(h.now, Headers::new()).unwrap();
    h.drain();
    assert!(h.close_request().is_some());
    h.close(1000, "", true);
    assert_eq!(h.s.state(), State::Closed);
    assert_eq!(h.s.poll_timeout(), None);
}

#[test]
fn a_disconnect_is_never_followed_by_a_reconnect() {
    let mut h = connected_with_sub(policy(None));
    let receipt = h.s.disconnect(h.now, Headers::new()).unwrap().unwrap();
    h.server(&format!("RECEIPT\nreceipt-id:{receipt}\n\n\0"));
    h.close(1000, "", true);
    assert_eq!(h.s.state(), State::Closed);
    assert_eq!(lost(&mut h), None);
    assert_eq!(h.s.poll_timeout(), None);
}

#[test]
fn a_transport_that_does_not_open_in_time_fails_the_attempt() {
    let mut h = Harness::new(policy(None));
    h.connect(&[]);
    h.s.opening(h.now, Some(500));
    h.advance(499);
    assert_eq!(h.close_request(), None);
    h.advance(1);
    let events = h.take_events();
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::Close { code, .. } if *code == CLOSE_CONNECT_TIMEOUT)));
    h.events = events;
    assert_eq!(lost(&mut h), Some((CLOSE_CONNECT_TIMEOUT, 1, 100)));
}

#[test]
fn a_silent_peer_that_never_closes_is_left_and_reconnected() {
    let config = Config {
        heartbeat: HeartbeatConfig {
            outgoing_ms: 0,
            incoming_ms: 1_000,
            tolerance: 2,
        },
        timeout_ms: 3_000,
        ..policy(None)
    };
    let mut h = Harness::connected(config, "version:1.2\nheart-beat:1000,0\n");
    h.advance(1_999);
    assert_eq!(h.s.state(), State::Connected);
    h.advance(1);
    // The black hole would never report the close: the session does not wait for it.
    assert_eq!(h.s.state(), State::Reconnecting);
    let events = h.take_events();
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::Close { code, .. } if *code == CLOSE_HEARTBEAT_TIMEOUT)));
    h.events = events;
    assert_eq!(lost(&mut h), Some((CLOSE_HEARTBEAT_TIMEOUT, 1, 100)));
    // Commands are held meanwhile, not refused.
    assert!(send(&mut h, "held", &[("receipt", "true")]).is_ok());
    reconnect_request(&mut h, 100, 1);
}

#[test]
fn a_stray_close_while_waiting_is_ignored() {
    let mut h = connected_with_sub(policy(None));
    h.close(1006, "", false);
    h.take_events();
    h.close(1006, "late", false);
    assert!(h.take_events().is_empty());
    reconnect_request(&mut h, 100, 1);
}

#[test]
fn without_a_policy_a_loss_ends_the_session() {
    let mut h = connected_with_sub(quiet());
    h.close(1006, "", false);
    assert_eq!(h.s.state(), State::Closed);
    assert_eq!(lost(&mut h), None);
}

#[test]
fn an_error_frame_while_reconnecting_fails_the_attempt() {
    let mut h = connected_with_sub(policy(None));
    h.close(1006, "", false);
    reconnect_request(&mut h, 100, 1);
    h.open(None);
    h.server("ERROR\nmessage:not yet\n\n\0");
    assert_eq!(lost(&mut h).map(|l| (l.1, l.2)), Some((2, 200)));
    h.close(1000, "", true); // the refused transport's close, after the fact: ignored
    assert!(h.take_events().is_empty());
}
