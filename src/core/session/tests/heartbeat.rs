//! Heart-beat negotiation, sending and the silence check.

use super::*;

fn with_hb(outgoing_ms: u64, incoming_ms: u64, server: &str) -> Harness {
    let config = Config {
        heartbeat: HeartbeatConfig {
            outgoing_ms,
            incoming_ms,
            tolerance: 2,
        },
        ..Config::default()
    };
    Harness::connected(config, &format!("version:1.2\nheart-beat:{server}\n"))
}

fn intervals(h: &Harness) -> (u64, u64) {
    let n = h.s.heartbeat();
    (n.outgoing_ms, n.incoming_ms)
}

#[test]
fn intervals_follow_the_spec_table() {
    // client (cx, cy), server (sx, sy) -> (max(cx, sy), max(cy, sx)); 0 if either is 0.
    assert_eq!(
        intervals(&with_hb(10_000, 10_000, "5000,20000")),
        (20_000, 10_000)
    );
    assert_eq!(
        intervals(&with_hb(10_000, 10_000, "30000,1000")),
        (10_000, 30_000)
    );
    assert_eq!(intervals(&with_hb(10_000, 10_000, "0,0")), (0, 0));
    assert_eq!(intervals(&with_hb(0, 0, "5000,5000")), (0, 0));
    assert_eq!(intervals(&with_hb(0, 10_000, "20000,0")), (0, 20_000));
    assert_eq!(intervals(&with_hb(10_000, 0, "0,5000")), (10_000, 0));
    assert_eq!(intervals(&with_hb(10_000, 10_000, "garbage")), (0, 0));
    let h = Harness::connected(Config::default(), "version:1.2\n");
    assert_eq!(intervals(&h), (0, 0), "no heart-beat header: none");
    assert_eq!(h.s.poll_timeout(), None);
}

#[test]
fn heart_beats_go_out_only_when_nothing_else_did() {
    let mut h = with_hb(10_000, 0, "0,10000");
    let start = h.now;
    assert_eq!(h.s.poll_timeout(), Some(start + 10_000));
    h.advance(5_000);
    assert_eq!(h.take_heartbeats(), 0);
    h.s.send(
        h.now,
        "/q",
        b"x".to_vec(),
        Headers::new(),
        ContentLength::Auto,
    )
    .unwrap();
    h.drain();
    h.take_out();
    h.advance(5_000); // 10 000 after CONNECT, 5 000 after the SEND
    assert_eq!(h.take_heartbeats(), 0);
    h.advance(5_000); // 10 000 after the SEND
    assert_eq!(h.take_heartbeats(), 1);
    assert_eq!(h.raw.len(), 0);
    h.advance(9_999);
    assert_eq!(h.take_heartbeats(), 0);
    h.advance(1);
    assert_eq!(h.take_heartbeats(), 1);
    h.advance(30_000);
    assert_eq!(h.take_heartbeats(), 3);
}

#[test]
fn a_heart_beat_is_one_eol() {
    let mut h = with_hb(1_000, 0, "0,1000");
    h.advance(1_000);
    let raw = std::mem::take(&mut h.raw);
    assert_eq!(raw, vec![b"\n".to_vec()]);
}

#[test]
fn silence_is_fatal_at_interval_times_tolerance_and_not_before() {
    let mut h = with_hb(0, 10_000, "10000,0");
    h.advance(19_999);
    assert_eq!(h.close_request(), None);
    assert_eq!(h.s.state(), State::Connected);
    h.advance(1);
    let events = h.take_events();
    let reason = "no heart-beat from the server in 20000 ms".to_owned();
    assert!(events.contains(&Event::Close {
        code: CLOSE_HEARTBEAT_TIMEOUT,
        reason: reason.clone(),
    }));
    // Done with the transport at once (a dead peer may never complete the close).
    assert!(events.contains(&Event::Closed {
        code: CLOSE_HEARTBEAT_TIMEOUT,
        reason,
        was_clean: false,
        after_disconnect: false,
    }));
    assert_eq!(h.s.state(), State::Closed);
    // Nothing more is checked or sent.
    h.feed(b"\n");
    assert_eq!(h.s.heartbeat(), Negotiated::default());
    h.close(1006, "", false);
    assert!(h.take_events().is_empty());
}

#[test]
fn any_received_byte_resets_the_silence_clock() {
    let mut h = with_hb(0, 10_000, "10000,0");
    h.advance(15_000);
    h.feed(b"\n");
    h.advance(15_000);
    h.server("MESSAGE\nsubscription:x\nmessage-id:1\ndestination:/q\n\nhi\0");
    h.advance(19_999);
    assert_eq!(h.close_request(), None);
    h.advance(1);
    assert!(h.close_request().is_some());
}

#[test]
fn a_very_late_timer_rechecks_instead_of_killing() {
    let mut h = with_hb(0, 10_000, "10000,0");
    let start = h.now;
    // The deadline was start + 20 000; the frozen tab runs the timer 10 000 later.
    h.jump(30_000);
    h.fire();
    assert_eq!(h.close_request(), None);
    assert_eq!(h.s.poll_timeout(), Some(start + 40_000));
    // The data queued behind the frozen timer arrives: all is well.
    h.jump(500);
    h.feed(b"\n");
    assert_eq!(h.s.poll_timeout(), Some(h.now + 20_000));
    h.advance(19_999);
    assert_eq!(h.close_request(), None);
    h.advance(1);
    assert!(h.close_request().is_some());
}

#[test]
fn the_grace_interval_is_granted_once() {
    let mut h = with_hb(0, 10_000, "10000,0");
    h.jump(100_000);
    h.fire();
    assert_eq!(h.close_request(), None);
    h.jump(50_000); // the grace deadline's timer is late too
    h.fire();
    let (code, reason) = h.close_request().unwrap();
    assert_eq!(code, CLOSE_HEARTBEAT_TIMEOUT);
    assert_eq!(reason, "no heart-beat from the server in 150000 ms");
}

#[test]
fn a_slightly_late_timer_still_kills() {
    let mut h = with_hb(0, 10_000, "10000,0");
    h.jump(29_999); // 9 999 past the deadline: less than one interval late
    h.fire();
    assert!(h.close_request().is_some());
}

#[test]
fn check_now_runs_the_check_at_once() {
    let mut h = with_hb(0, 10_000, "10000,0");
    h.jump(19_999);
    h.s.check_now(h.now);
    h.drain();
    assert_eq!(h.close_request(), None);
    h.jump(1);
    h.s.check_now(h.now);
    h.drain();
    assert!(h.close_request().is_some());
}

#[test]
fn check_now_after_a_long_hidden_period_grants_grace() {
    let mut h = with_hb(0, 10_000, "10000,0");
    h.jump(300_000);
    h.s.check_now(h.now);
    h.drain();
    assert_eq!(h.close_request(), None);
    h.feed(b"\n");
    h.advance(19_999);
    assert_eq!(h.close_request(), None);
}

#[test]
fn a_clock_going_back_does_not_stretch_the_limit() {
    let mut h = with_hb(0, 10_000, "10000,0");
    h.advance(5_000);
    h.s.check_now(h.now); // the session last saw the clock here
    h.now -= 1_000_000; // then the wall clock is set back
    h.s.check_now(h.now);
    h.drain();
    assert_eq!(h.close_request(), None);
    // 5 000 ms of silence were seen; 15 000 more make the 20 000.
    h.advance(14_999);
    assert_eq!(h.close_request(), None);
    h.advance(1);
    assert!(h.close_request().is_some());
}

#[test]
fn heart_beats_stop_when_the_transport_closes() {
    let mut h = with_hb(10_000, 10_000, "10000,10000");
    h.close(1006, "", false);
    assert_eq!(h.s.poll_timeout(), None);
    h.advance(100_000);
    assert!(h.take_out().is_empty());
}
