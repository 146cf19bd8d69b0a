//! What goes on the wire: splitting per `max_ws_frame_size`, debug lines.

use super::*;

fn split_config(max: usize, text: bool) -> Config {
    Config {
        max_ws_frame_size: max,
        text,
        ..quiet()
    }
}

#[test]
fn text_transmits_split_on_utf8_boundaries() {
    let mut h = Harness::connected(split_config(16, true), "version:1.2\n");
    let body = "héllo wörld € 😀 ünïcödé ✓✓✓ 😀😀 the end".repeat(3);
    h.s.send(
        h.now,
        "/q",
        body.clone().into_bytes(),
        Headers::new(),
        ContentLength::Auto,
    )
    .unwrap();
    h.drain();
    assert!(h.raw.len() > 3, "the frame was split");
    for piece in &h.raw {
        assert!(
            !piece.is_empty() && piece.len() <= 16,
            "{} bytes",
            piece.len()
        );
        assert!(
            std::str::from_utf8(piece).is_ok(),
            "a piece ends inside a character"
        );
    }
    let f = h.one_frame();
    assert_eq!(f.body, body.as_bytes());
}

#[test]
fn binary_transmits_split_at_the_exact_size() {
    let mut h = Harness::connected(split_config(10, false), "version:1.2\n");
    let body: Vec<u8> = (0..=255).collect();
    h.s.send(
        h.now,
        "/q",
        body.clone(),
        Headers::new(),
        ContentLength::Auto,
    )
    .unwrap();
    h.drain();
    let lens: Vec<_> = h.raw.iter().map(Vec::len).collect();
    let total: usize = lens.iter().sum();
    assert!(lens.iter().rev().skip(1).all(|&l| l == 10), "{lens:?}");
    assert!(lens.last().is_some_and(|&l| l > 0 && l <= 10));
    assert_eq!(lens.len(), total.div_ceil(10));
    assert_eq!(h.one_frame().body, body);
}

#[test]
fn the_connect_frame_is_split_too_and_small_frames_are_not() {
    let mut h = Harness::new(split_config(32, true));
    h.connect(&[
        ("login", "a-rather-long-login-name"),
        ("passcode", "ÿÿÿÿÿÿÿÿÿÿÿÿ"),
    ]);
    h.open(None);
    assert!(h.raw.len() > 1);
    assert!(h.raw.iter().all(|p| p.len() <= 32));
    assert_eq!(hv(&h.one_frame(), "passcode"), Some("ÿÿÿÿÿÿÿÿÿÿÿÿ"));
    h.server("CONNECTED\nversion:1.2\n\n\0");
    h.take_out();
    h.s.send(
        h.now,
        "/q",
        b"x".to_vec(),
        Headers::new(),
        ContentLength::Omit,
    )
    .unwrap();
    h.drain();
    assert_eq!(h.raw.len(), 1);
}

#[test]
fn header_values_are_escaped_for_the_negotiated_version() {
    let mut h = Harness::connected_12();
    h.s.send(
        h.now,
        "/q",
        Vec::new(),
        headers(&[("k", "a:b\nc\\d")]),
        ContentLength::Auto,
    )
    .unwrap();
    h.drain();
    let raw = String::from_utf8(h.raw.concat()).unwrap();
    assert!(raw.contains("k:a\\cb\\nc\\\\d\n"), "{raw:?}");
    assert_eq!(hv(&h.one_frame(), "k"), Some("a:b\nc\\d"));
}

#[test]
fn debug_lines_mask_secrets() {
    let mut h = Harness::new(Config {
        debug: true,
        heartbeat: HeartbeatConfig {
            outgoing_ms: 1_000,
            incoming_ms: 0,
            tolerance: 2,
        },
        ..Config::default()
    });
    h.connect(&[
        ("login", "me"),
        ("passcode", "s3cret"),
        ("Authorization", "Bearer tok"),
    ]);
    h.open(None);
    h.server("CONNECTED\nversion:1.2\nheart-beat:0,1000\n\n\0\n");
    h.advance(1_000);
    let lines: Vec<String> = h
        .take_events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Debug(line) => Some(line),
            _ => None,
        })
        .collect();
    assert!(lines[0].starts_with(">>> CONNECT\n"), "{lines:?}");
    assert!(lines[0].contains("passcode:***"));
    assert!(lines[0].contains("Authorization:Bearer ***"));
    assert!(lines
        .iter()
        .all(|l| !l.contains("s3cret") && !l.contains("tok\n")));
    assert!(lines[1].starts_with("<<< CONNECTED\n"));
    assert_eq!(lines[2], "<<< <heart-beat>");
    assert_eq!(lines[3], ">>> <heart-beat>");
    h.s.set_debug(false);
    h.advance(1_000);
    assert!(!h.take_events().iter().any(|e| matches!(e, Event::Debug(_))));
}
