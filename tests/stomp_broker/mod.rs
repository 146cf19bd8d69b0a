//! The browser driver against a real STOMP broker over WebSocket: what a user checks of a STOMP
//! client. Each test uses destinations of its own, so the tests cannot see each other's
//! messages.
//!
//! One suite, run once per broker: `tests/web_rabbitmq.rs` (RabbitMQ Web-STOMP) and
//! `tests/web_embedded.rs` (the dev server's embedded broker) each declare this module and a
//! `broker()` that says where the broker is and the little that differs between brokers. The
//! assertions are what the STOMP 1.2 spec guarantees, plus what both brokers do alike.

use crate::support::{brief, config, headers, text, unique, Client, Closed, STEP_MS};
use wasm_bindgen_test::wasm_bindgen_test;
use webstomp_wasm::core::command::Command;
use webstomp_wasm::core::encoder::ContentLength;
use webstomp_wasm::core::frame::Headers;
use webstomp_wasm::core::session::{
    Config, Event, HeartbeatConfig, Negotiated, SessionError, State, CLOSE_NORMAL,
};
use webstomp_wasm::core::version::Version;

/// A broker under test, as the suite's crate root describes it.
pub struct Broker {
    /// Its STOMP-over-WebSocket endpoint (path `/ws`), baked in at compile time, and the
    /// variable that bakes it in.
    pub url: Option<&'static str>,
    pub url_variable: &'static str,
    /// How its CONNECTED `server` header starts.
    pub server: &'static str,
    /// A SEND (destination, headers) after which it sends ERROR and ends the session. The spec
    /// has a server close the connection after every ERROR; RabbitMQ keeps most sessions open
    /// after an ERROR, and ends one only on a channel error (a missing exchange).
    pub fatal_send: fn() -> (String, Headers),
    /// Whether the socket may drop before the close frame after that SEND (1006). RabbitMQ
    /// closes its TCP connection right after its close frame, and WebKit at times sees the
    /// drop first.
    pub fatal_close_may_drop: bool,
}

/// The endpoint.
fn url() -> &'static str {
    // Not `env!`: the suite must still compile without a broker (clippy, `cargo test --no-run`).
    let broker = crate::broker();
    match broker.url {
        Some(url) => url,
        None => panic!(
            "{} was not set when this suite was compiled: run it through \
             scripts/browser-tests.sh after scripts/rabbitmq.sh start and \
             scripts/sockjs-servers.sh start",
            broker.url_variable
        ),
    }
}

/// A fresh queue destination.
fn queue() -> String {
    format!("/queue/{}", unique("t"))
}

/// Connects without the `binary` option.
async fn connect(config: Config) -> Client {
    let (client, connected) = Client::connect_to(url(), config, false).await;
    assert_eq!(connected.command, Command::Connected);
    client
}

/// DISCONNECT and wait for the transport's close.
async fn disconnect(client: &Client) {
    let receipt = client.run(|s, now| s.disconnect(now, Headers::new()));
    assert!(matches!(receipt, Ok(Some(_))), "{receipt:?}");
    let closed = expect_disconnected(client, receipt.ok().flatten().as_deref()).await;
    assert!(closed.after_disconnect, "{closed:?}");
    assert_eq!(client.state(), State::Closed);
}

/// The close after a DISCONNECT with `receipt`, and the RECEIPT before it if one comes: the
/// spec has the server answer it (the embedded broker does, then closes); RabbitMQ's
/// Web-STOMP closes the socket without answering.
async fn expect_disconnected(client: &Client, receipt: Option<&str>) -> Closed {
    match client.next(STEP_MS).await {
        Some(Event::Receipt { id, .. }) if Some(id.as_str()) == receipt => {
            client.expect_closed().await
        }
        Some(Event::Closed {
            code,
            reason,
            was_clean,
            after_disconnect,
        }) => Closed {
            code,
            reason,
            was_clean,
            after_disconnect,
        },
        other => panic!(
            "expected the RECEIPT {receipt:?} or the close, got {:?}",
            other.as_ref().map(brief)
        ),
    }
}

#[wasm_bindgen_test]
async fn connect_negotiates_1_2_then_subscribe_send_and_receive() {
    let client = connect(config()).await;
    assert_eq!(client.state(), State::Connected);
    assert_eq!(client.session(|s| s.version()), Some(Version::V1_2));
    let server = client.session(|s| s.server().map(str::to_owned));
    let expected = crate::broker().server;
    assert!(
        server.as_deref().is_some_and(|s| s.starts_with(expected)),
        "server header {server:?}, expected {expected}..."
    );
    assert_eq!(
        client.states(),
        [State::Connecting, State::Connected],
        "state changes"
    );

    let dest = queue();
    let id = client.subscribe_confirmed(&dest, &[]).await;
    client.send(
        &dest,
        "hello, rabbit: héllo 😀",
        headers(&[("content-type", "text/plain"), ("x-colon", "a:b\\c")]),
    );
    let message = client.expect_message().await;
    assert_eq!(text(&message), "hello, rabbit: héllo 😀");
    assert_eq!(message.headers.get("subscription"), Some(id.as_str()));
    assert_eq!(message.headers.get("destination"), Some(dest.as_str()));
    assert_eq!(message.headers.get("content-type"), Some("text/plain"));
    // Escaped on the way out, unescaped on the way in.
    assert_eq!(message.headers.get("x-colon"), Some("a:b\\c"));
    assert!(message.headers.get("message-id").is_some());
    disconnect(&client).await;
}

#[wasm_bindgen_test]
async fn a_send_with_a_receipt_gets_that_receipt() {
    let client = connect(config()).await;
    let dest = queue();

    let id = client.send(&dest, "one", headers(&[("receipt", "my-receipt-1")]));
    assert_eq!(id.as_deref(), Some("my-receipt-1"));
    assert_eq!(
        client.session(|s| s.pending_receipts().map(str::to_owned).collect::<Vec<_>>()),
        ["my-receipt-1"]
    );
    let frame = client.expect_receipt("my-receipt-1").await;
    assert_eq!(frame.command, Command::Receipt);

    // `receipt: true` asks for a generated id.
    let generated = client
        .send(&dest, "two", headers(&[("receipt", "true")]))
        .expect("a generated receipt id");
    assert_ne!(generated, "true");
    client.expect_receipt(&generated).await;
    assert_eq!(client.session(|s| s.pending_receipts().count()), 0);
    disconnect(&client).await;
}

#[wasm_bindgen_test]
async fn client_individual_ack_and_nack_with_redelivery() {
    let dest = queue();
    let client = connect(config()).await;
    let sub = client
        .subscribe_confirmed(&dest, &[("ack", "client-individual")])
        .await;
    client.send(&dest, "one", Headers::new());
    client.send(&dest, "two", Headers::new());
    let one = client.expect_message().await;
    let two = client.expect_message().await;
    assert_eq!((text(&one), text(&two)), ("one", "two"));
    // `redelivered` is not in the spec; both brokers set it to true on a redelivery only
    // (RabbitMQ says false on a first delivery, the embedded broker leaves it out).
    assert_ne!(one.headers.get("redelivered"), Some("true"));
    let ack_id = |m: &webstomp_wasm::core::frame::Frame| {
        m.headers
            .get("ack")
            .expect("a MESSAGE in client-individual mode has an ack header in STOMP 1.2")
            .to_owned()
    };

    let (one_id, two_id) = (ack_id(&one), ack_id(&two));
    client
        .run(|s, now| s.ack(now, &one_id, &sub, Headers::new()))
        .expect("ack");
    client
        .run(|s, now| s.nack(now, &two_id, &sub, Headers::new()))
        .expect("nack");
    // The broker requeues a NACKed queue message and delivers it again.
    let again = client.expect_message().await;
    assert_eq!(text(&again), "two");
    assert_eq!(again.headers.get("redelivered"), Some("true"));
    let again_id = ack_id(&again);
    client
        .run(|s, now| s.ack(now, &again_id, &sub, headers(&[("receipt", "acked")])))
        .expect("ack");
    client.expect_receipt("acked").await;
    disconnect(&client).await;

    // Nothing is left: unacknowledged messages would be delivered to the next consumer.
    let client = connect(config()).await;
    client.subscribe_confirmed(&dest, &[]).await;
    client.expect_quiet(1_000).await;
    client.send(&dest, "probe", Headers::new());
    assert_eq!(text(&client.expect_message().await), "probe");
    disconnect(&client).await;
}

#[wasm_bindgen_test]
async fn a_transaction_delivers_on_commit_and_drops_on_abort() {
    let client = connect(config()).await;
    let dest = queue();
    client.subscribe_confirmed(&dest, &[]).await;

    let tx = client
        .run(|s, now| s.begin(now, None, Headers::new()))
        .expect("begin")
        .id;
    client.send(&dest, "tx-1", headers(&[("transaction", &tx)]));
    client.send(&dest, "tx-2", headers(&[("transaction", &tx)]));
    client.expect_quiet(500).await;
    client
        .run(|s, now| s.commit(now, &tx, Headers::new()))
        .expect("commit");
    assert_eq!(text(&client.expect_message().await), "tx-1");
    assert_eq!(text(&client.expect_message().await), "tx-2");

    let tx = client
        .run(|s, now| s.begin(now, Some("tx-aborted"), Headers::new()))
        .expect("begin")
        .id;
    client.send(&dest, "dropped", headers(&[("transaction", &tx)]));
    client
        .run(|s, now| s.abort(now, &tx, headers(&[("receipt", "aborted")])))
        .expect("abort");
    client.expect_receipt("aborted").await;
    client.expect_quiet(500).await;
    client.send(&dest, "after", Headers::new());
    assert_eq!(text(&client.expect_message().await), "after");
    assert_eq!(client.session(|s| s.open_transactions().count()), 0);
    disconnect(&client).await;
}

#[wasm_bindgen_test]
async fn heart_beats_are_negotiated_and_keep_the_connection_alive() {
    let beating = Config {
        heartbeat: HeartbeatConfig {
            outgoing_ms: 1_000,
            incoming_ms: 1_000,
            tolerance: 2,
        },
        debug: true,
        ..config()
    };
    let (client, connected) = Client::connect_to(url(), beating, false).await;
    let offered = connected.headers.get("heart-beat").map(str::to_owned);
    // The spec: each way, the larger of what one side can send and the other wants, unless
    // either says 0. Both test brokers offer at most 1 s, so that is what applies.
    let (sx, sy) = offered
        .as_deref()
        .and_then(|h| h.split_once(','))
        .and_then(|(x, y)| Some((x.trim().parse::<u64>().ok()?, y.trim().parse::<u64>().ok()?)))
        .unwrap_or_else(|| panic!("CONNECTED heart-beat:{offered:?}"));
    let negotiate = |ours: u64, theirs: u64| if theirs == 0 { 0 } else { ours.max(theirs) };
    let negotiated = client.session(|s| s.heartbeat());
    assert_eq!(
        negotiated,
        Negotiated {
            outgoing_ms: negotiate(1_000, sy),
            incoming_ms: negotiate(1_000, sx)
        },
        "negotiated from the server's heart-beat:{offered:?}"
    );
    assert_eq!(
        negotiated,
        Negotiated {
            outgoing_ms: 1_000,
            incoming_ms: 1_000
        },
        "the broker offers heart-beat:{offered:?}, not at most 1 s"
    );
    let before = client.debug_lines().len();

    // Three intervals of nothing but heart-beats: no close, no error.
    client.expect_quiet(3_500).await;
    assert_eq!(client.state(), State::Connected);
    assert!(client.session(|s| s.is_transport_open()));
    let lines = client.debug_lines();
    let count = |prefix: &str| {
        lines[before..]
            .iter()
            .filter(|l| l.starts_with(prefix) && l.ends_with("<heart-beat>"))
            .count()
    };
    let (sent, received) = (count(">>> "), count("<<< "));
    assert!(sent >= 2, "{sent} heart-beats sent in 3.5 s at 1 s");
    assert!(
        received >= 2,
        "{received} heart-beats received in 3.5 s at 1 s"
    );

    let dest = queue();
    client.subscribe_confirmed(&dest, &[]).await;
    client.send(&dest, "still here", Headers::new());
    assert_eq!(text(&client.expect_message().await), "still here");
    disconnect(&client).await;
}

#[wasm_bindgen_test]
async fn a_failed_websocket_handshake_is_reported_as_a_close() {
    // The broker answers 404 on any other path: the browser fails the socket.
    let wrong = url().replace("/ws", "/not-stomp");
    let client = Client::open(&wrong, config(), false);
    client.connect(headers(&[("host", "/")]));
    let closed = client.expect_closed().await;
    assert_eq!(closed.code, 1006, "{closed:?}");
    assert!(!closed.after_disconnect && !closed.was_clean, "{closed:?}");
    assert_eq!(client.state(), State::Closed);
    assert_eq!(client.states(), [State::Connecting, State::Closed]);
}

#[wasm_bindgen_test]
async fn a_url_the_browser_refuses_is_an_error_at_once() {
    let client = Client::new(config());
    let opened = client.driver().open_websocket("ws://[::1", &[], false);
    match opened {
        Err(e) => assert!(e.starts_with("cannot open WebSocket"), "{e}"),
        Ok(()) => panic!("a WebSocket opened to an invalid URL"),
    }
}

#[wasm_bindgen_test]
async fn an_error_frame_from_the_broker_is_reported() {
    // A SEND in a transaction that was never begun: every broker must refuse it.
    let client = connect(config()).await;
    let tx = unique("never-begun");
    client.send(&queue(), "lost", headers(&[("transaction", &tx)]));
    let error = client.expect_server_error().await;
    assert_eq!(error.command, Command::Error);
    let message = error.headers.get("message").unwrap_or_default();
    assert!(!message.is_empty(), "an ERROR has a message header");
    let body = String::from_utf8_lossy(&error.body);
    assert!(body.contains(&tx), "the ERROR body names {tx}: {body:?}");
    client.driver().shutdown();
}

#[wasm_bindgen_test]
async fn a_broker_that_ends_the_session_closes_the_client() {
    // With RabbitMQ, a SEND to a missing exchange (a channel error; Web-STOMP 3.10 logs an
    // ERROR frame but closes the socket, 1000 "STOMP died", before sending it). With the
    // embedded broker, any ERROR (it sends one, then closes with 1002).
    let client = connect(config()).await;
    let (destination, send_headers) = (crate::broker().fatal_send)();
    client.send(&destination, "lost", send_headers);
    let closed = loop {
        match client.next(STEP_MS).await {
            Some(Event::ServerError(frame)) => {
                assert_eq!(frame.command, Command::Error);
            }
            Some(Event::Closed {
                code,
                after_disconnect,
                ..
            }) => break (code, after_disconnect),
            other => panic!(
                "expected the ERROR frame or the close, got {:?}",
                other.as_ref().map(brief)
            ),
        }
    };
    // Closed by the broker, not after a DISCONNECT of ours; with its close frame (1006 would
    // mean that none came) unless the broker may drop TCP first. (Firefox calls RabbitMQ's
    // close unclean, and WebKit at times reports 1006: RabbitMQ drops TCP at once.)
    assert!(!closed.1, "{closed:?}");
    assert!(
        closed.0 != 1006 || crate::broker().fatal_close_may_drop,
        "{closed:?}"
    );
    assert_eq!(client.state(), State::Closed);
    assert!(!client.session(|s| s.is_transport_open()));
    let refused = client.run(|s, now| {
        s.send(
            now,
            "/queue/x",
            b"late".to_vec(),
            Headers::new(),
            ContentLength::Auto,
        )
    });
    assert_eq!(refused, Err(SessionError::NotConnected(State::Closed)));
}

#[wasm_bindgen_test]
async fn a_one_megabyte_text_body_round_trips() {
    const SIZE: usize = 1 << 20;
    let client = connect(config()).await;
    let dest = queue();
    client.subscribe_confirmed(&dest, &[]).await;

    let pattern = "0123456789 abcdefghijklmnopqrstuvwxyz é € 😀\n";
    let mut body = String::with_capacity(SIZE);
    while body.len() + pattern.len() <= SIZE {
        body.push_str(pattern);
    }
    while body.len() < SIZE {
        body.push('x');
    }
    assert_eq!(body.len(), SIZE);

    client.send(&dest, body.as_str(), Headers::new());
    let message = client.expect_message().await;
    assert_eq!(message.body.len(), SIZE);
    assert!(
        message.body == body.as_bytes(),
        "the body changed on the way"
    );
    assert_eq!(
        message.headers.get("content-length"),
        Some(SIZE.to_string().as_str())
    );
    disconnect(&client).await;
}

/// Every byte value: NULs, and sequences that are not UTF-8.
fn every_byte() -> Vec<u8> {
    (0..=255u8).chain((0..=255u8).rev()).collect()
}

#[wasm_bindgen_test]
async fn bodies_with_nul_bytes_round_trip_and_binary_bodies_go_out() {
    let client = connect(config()).await;
    let dest = queue();
    client.subscribe_confirmed(&dest, &[]).await;

    // NUL bytes in a UTF-8 body: a text message each way, cut by content-length.
    let body = "\0a\0\0b\u{1}é\0";
    client.send(&dest, body, Headers::new());
    assert_eq!(client.expect_message().await.body, body.as_bytes());

    // A body that is not UTF-8 goes out as a binary message, which the broker parses (its
    // receipt comes and the session goes on). It cannot hand such a body back here:
    // Web-STOMP sends text messages unless configured with `web_stomp.ws_frame = binary`,
    // and a browser fails a text message that is not UTF-8 (the embedded broker keeps
    // bodies as text and replaces such bytes with U+FFFD).
    let receipt = client.send(&queue(), every_byte(), headers(&[("receipt", "true")]));
    client.expect_receipt(&receipt.expect("a receipt id")).await;
    client.send(&dest, "next", Headers::new());
    assert_eq!(text(&client.expect_message().await), "next");

    // A text-only transport (SockJS) refuses such a body, and sends nothing.
    client.run(|s, _| s.set_text(true));
    let refused = client.run(|s, now| {
        s.send(
            now,
            &dest,
            every_byte(),
            Headers::new(),
            ContentLength::Auto,
        )
    });
    match refused {
        Err(e @ SessionError::NotUtf8) => {
            let message = e.to_string();
            assert!(message.contains("not valid UTF-8"), "{message}");
        }
        other => panic!("expected NotUtf8, got {other:?}"),
    }
    client.send(&dest, "after", Headers::new());
    assert_eq!(text(&client.expect_message().await), "after");
    assert_eq!(client.state(), State::Connected);
    disconnect(&client).await;
}

#[wasm_bindgen_test]
async fn the_binary_option_round_trips_bodies_with_nul_bytes() {
    let (client, _) = Client::connect_to(url(), config(), true).await;
    let dest = queue();
    client.subscribe_confirmed(&dest, &[]).await;

    // NUL bytes and every UTF-8 sequence length, sent as a binary WebSocket message.
    let body: Vec<u8> = "\0\0a\0é\0€\0😀\0\0".bytes().chain(0..0x80).collect();
    client.send(
        &dest,
        body.clone(),
        headers(&[("content-type", "application/octet-stream")]),
    );
    let message = client.expect_message().await;
    assert_eq!(message.body, body);
    assert_eq!(
        message.headers.get("content-length"),
        Some(body.len().to_string().as_str())
    );
    let receipt = client.send(&queue(), every_byte(), headers(&[("receipt", "true")]));
    client.expect_receipt(&receipt.expect("a receipt id")).await;
    disconnect(&client).await;
}

#[wasm_bindgen_test]
async fn a_thousand_messages_arrive_in_order() {
    const COUNT: usize = 1_000;
    let client = connect(config()).await;
    let dest = queue();
    client.subscribe_confirmed(&dest, &[]).await;
    for i in 0..COUNT {
        client.send(&dest, format!("message {i}"), Headers::new());
    }
    for i in 0..COUNT {
        let message = client.expect_message().await;
        assert_eq!(text(&message), format!("message {i}"));
    }
    client.expect_quiet(200).await;
    disconnect(&client).await;
}

#[wasm_bindgen_test]
async fn disconnect_leaves_the_session_closed() {
    let client = connect(config()).await;
    let dest = queue();
    client.subscribe_confirmed(&dest, &[]).await;

    let receipt = client.run(|s, now| s.disconnect(now, Headers::new()));
    assert!(matches!(receipt, Ok(Some(_))), "{receipt:?}");
    assert_eq!(client.state(), State::Disconnecting);
    let closed = expect_disconnected(&client, receipt.ok().flatten().as_deref()).await;
    assert!(closed.after_disconnect, "{closed:?}");
    assert_eq!(closed.code, CLOSE_NORMAL, "{closed:?}");
    assert_eq!(client.state(), State::Closed);
    assert!(!client.session(|s| s.is_connected()));
    assert!(!client.session(|s| s.is_transport_open()));
    assert_eq!(client.session(|s| s.subscriptions().count()), 0);
    assert_eq!(
        client.states(),
        [
            State::Connecting,
            State::Connected,
            State::Disconnecting,
            State::Closed
        ]
    );
    let refused = client.run(|s, now| {
        s.send(
            now,
            &dest,
            b"late".to_vec(),
            Headers::new(),
            ContentLength::Auto,
        )
    });
    assert_eq!(refused, Err(SessionError::NotConnected(State::Closed)));
    // Nothing else comes.
    client.expect_quiet(300).await;
}
