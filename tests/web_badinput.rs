#![cfg(target_arch = "wasm32")]
//! Bad STOMP input on every real transport, in every browser: the scripted server
//! (`scripts/scripted-stomp.mjs`, part of `scripts/sockjs-servers.sh`) answers CONNECT, then
//! sends one kind of garbage over a raw WebSocket and over each SockJS transport. Each must end
//! in a protocol error and a close with 4002 (or, for a stream that ends early, the server's own
//! close), within a bounded wait, and leave the WebAssembly instance working.
//!
//! Build with the servers' URLs loaded (see `tests/web_sockjs.rs`): `SOCKJS_SCRIPT_URL` is
//! compiled in.

mod support;

use support::fake::FakeSocket;
use support::{config, headers, text, Client, Closed, STEP_MS};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};
use webstomp_wasm::core::frame::Headers;
use webstomp_wasm::core::session::{Config, Event, ReconnectConfig, State, CLOSE_PROTOCOL_ERROR};
use webstomp_wasm::io::{OpenOptions, Target};

wasm_bindgen_test_configure!(run_in_browser);

fn script_url() -> &'static str {
    match option_env!("SOCKJS_SCRIPT_URL") {
        Some(url) => url,
        None => panic!(
            "SOCKJS_SCRIPT_URL was not set when this suite was compiled: run \
             scripts/sockjs-servers.sh start, then `set -a; . test-output/sockjs/env; set +a`"
        ),
    }
}

/// What a case must end in.
#[derive(Clone, Copy)]
enum Expect {
    /// A protocol error whose text holds this, and the client's close with 4002.
    Protocol(&'static str),
    /// The server's close (the frame under way is lost): a code, and a text in its reason.
    Close(u16, &'static str),
}

/// The scripted cases (scripts/scripted-stomp.mjs `STOMP_CASES`) and what each ends in. The
/// client's `maxFrameSize` is 16384.
const CASES: &[(&str, Expect)] = &[
    ("corrupt", Expect::Protocol("not a STOMP command")),
    (
        "content-length-text",
        Expect::Protocol("bad STOMP content-length \"abc\""),
    ),
    (
        "content-length-negative",
        Expect::Protocol("bad STOMP content-length \"-5\""),
    ),
    (
        "content-length-huge",
        Expect::Protocol("bad STOMP content-length \"9999"),
    ),
    (
        "missing-nul",
        Expect::Protocol("no NUL byte after its body"),
    ),
    ("bad-escape", Expect::Protocol("undefined escape sequence")),
    ("no-colon", Expect::Protocol("header line without a colon")),
    (
        "oversize",
        Expect::Protocol("larger than the limit of 16384"),
    ),
    (
        "oversize-endless",
        Expect::Protocol("larger than the limit of 16384"),
    ),
    (
        "content-length-past-end",
        Expect::Close(1000, "scripted end"),
    ),
    ("truncated-clean", Expect::Close(1000, "scripted end")),
];

/// A config with a 16 KiB frame limit and debug lines on.
fn limited() -> Config {
    let mut c = Config {
        debug: true,
        ..config()
    };
    c.limits.max_frame_size = 16_384;
    c
}

/// Opens a client to `case` over `transport` (`raw` or a SockJS transport) and waits for
/// CONNECTED.
async fn open(case: &str, transport: &str) -> Client {
    let client = Client::new(limited());
    let opened = if transport == "raw" {
        let url = format!("{}/raw/{case}", script_url().replacen("http", "ws", 1));
        client
            .driver()
            .open_websocket(&url, &limited().subprotocols, false)
    } else {
        client.run(|s, _| s.set_text(true));
        let url = format!("{}/stomp.{case}", script_url());
        client
            .driver()
            .open_sockjs(&url, &[transport.to_owned()], 5_000)
    };
    if let Err(e) = opened {
        panic!("{case} over {transport}: {e}");
    }
    client.connect(Headers::new());
    client.expect_connected().await;
    client.subscribe("/queue/a", Headers::new());
    client
}

/// Runs every case over `transport`, then proves the instance still works.
async fn every_case(transport: &str) {
    // The scripted peer itself works on this transport.
    let client = open("alive", transport).await;
    assert_eq!(text(&client.expect_message().await), "alive");
    let receipt = client.run(|s, now| s.disconnect(now, Headers::new()));
    match receipt {
        Ok(Some(id)) => drop(client.expect_receipt(&id).await),
        other => panic!("disconnect over {transport}: {other:?}"),
    }
    assert!(client.expect_closed().await.after_disconnect);

    for &(case, expect) in CASES {
        let client = open(case, transport).await;
        let context = format!("{case} over {transport}");
        let closed = match expect {
            Expect::Protocol(needle) => {
                let error = client.expect_protocol_error().await;
                assert!(
                    error.contains(needle),
                    "{context}: {error:?} says {needle:?}"
                );
                let closed = client.expect_closed().await;
                assert_eq!(closed.code, CLOSE_PROTOCOL_ERROR, "{context}: {closed:?}");
                assert!(closed.reason.contains(needle), "{context}: {closed:?}");
                closed
            }
            Expect::Close(code, needle) => {
                let closed = client.expect_closed().await;
                assert_eq!(closed.code, code, "{context}: {closed:?}");
                assert!(closed.reason.contains(needle), "{context}: {closed:?}");
                closed
            }
        };
        console_log!("{context}: {} {:?}", closed.code, closed.reason);
        assert!(!closed.after_disconnect, "{context}");
        assert_eq!(client.state(), State::Closed, "{context}");
        client.expect_quiet(50).await;
    }

    // The connection dies inside a frame: the transport's own close (1006 on a WebSocket).
    let client = open("truncated", transport).await;
    let closed: Closed = client.expect_closed().await;
    console_log!("truncated over {transport}: {closed:?}");
    assert_eq!(closed.code, 1006, "truncated over {transport}: {closed:?}");
    assert_eq!(client.state(), State::Closed);

    fresh_client_works().await;
}

/// Proves the WebAssembly instance did not trap: a new driver connects, subscribes, sends and
/// receives.
async fn fresh_client_works() {
    let socket = FakeSocket::new("v12.stomp");
    socket.set_auto_reply(true);
    let client = Client::over(&socket, config());
    client.connect(Headers::new());
    socket.open();
    client.expect_connected().await;
    client.subscribe("/queue/after", Headers::new());
    client.send("/queue/after", "still alive", headers(&[]));
    assert_eq!(text(&client.expect_message().await), "still alive");
}

#[wasm_bindgen_test]
async fn garbage_over_a_raw_websocket() {
    every_case("raw").await;
    // Bytes that are not UTF-8, as a binary message.
    let client = open("binary-garbage", "raw").await;
    let error = client.expect_protocol_error().await;
    assert!(error.contains("not a STOMP command"), "{error}");
    assert_eq!(client.expect_closed().await.code, CLOSE_PROTOCOL_ERROR);
}

#[wasm_bindgen_test]
async fn garbage_over_sockjs_websocket() {
    every_case("websocket").await;
}

#[wasm_bindgen_test]
async fn garbage_over_xhr_streaming() {
    every_case("xhr-streaming").await;
}

#[wasm_bindgen_test]
async fn garbage_over_xhr_polling() {
    every_case("xhr-polling").await;
}

/// With reconnect on, bad STOMP after CONNECTED is a lost connection: the session reports it
/// (attempt 1), goes to `Reconnecting`, connects again on a new transport, and `disconnect`
/// ends it for good.
#[wasm_bindgen_test]
async fn garbage_with_reconnect_on_reconnects_on_every_transport() {
    for transport in ["raw", "websocket", "xhr-streaming", "xhr-polling"] {
        let config = Config {
            reconnect: Some(ReconnectConfig {
                delay_ms: 50,
                max_delay_ms: 50,
                multiplier: 1.0,
                jitter: 0.0,
                max_attempts: Some(3),
            }),
            ..limited()
        };
        let client = Client::new(config);
        let (url, transports) = if transport == "raw" {
            let url = format!("{}/raw/corrupt", script_url().replacen("http", "ws", 1));
            (url, vec![])
        } else {
            client.run(|s, _| s.set_text(true));
            (
                format!("{}/stomp.corrupt", script_url()),
                vec![transport.to_owned()],
            )
        };
        client.driver().set_target(
            Target::Urls(vec![url]),
            OpenOptions {
                protocols: limited().subprotocols,
                transports,
                timeout_ms: 5_000,
                ..OpenOptions::default()
            },
        );
        client.connect(Headers::new());
        client.driver().open();
        client.expect_connected().await;
        client.subscribe("/queue/a", Headers::new());

        // The protocol error, the loss (attempt 1), and a new CONNECTED.
        let (mut error, mut lost, mut again) = (None, None, false);
        while !again {
            match client.next(STEP_MS).await {
                None => panic!(
                    "over {transport}: no reconnect within {STEP_MS} ms (states {:?})",
                    client.states()
                ),
                Some(Event::ProtocolError(e)) => error = error.or(Some(e)),
                Some(Event::Lost { code, attempt, .. }) => lost = lost.or(Some((code, attempt))),
                Some(Event::Connected(_)) => again = true,
                Some(_) => {}
            }
        }
        let error = error.unwrap_or_default();
        assert!(
            error.contains("not a STOMP command"),
            "{transport}: {error}"
        );
        assert_eq!(lost, Some((CLOSE_PROTOCOL_ERROR, 1)), "over {transport}");
        let states = client.states();
        assert!(
            states
                .windows(2)
                .any(|w| w == [State::Reconnecting, State::Connected]),
            "over {transport}: {states:?}"
        );

        // disconnect() ends it, and nothing starts again.
        client.run(|s, now| s.disconnect(now, Headers::new())).ok();
        loop {
            match client.next(STEP_MS).await {
                Some(Event::Closed {
                    after_disconnect: true,
                    ..
                }) => break,
                Some(_) => {}
                None => panic!("over {transport}: no close after disconnect"),
            }
        }
        assert_eq!(client.state(), State::Closed, "over {transport}");
        let settled = client.states().len();
        support::sleep(300).await;
        assert_eq!(client.states().len(), settled, "over {transport}");
    }
    fresh_client_works().await;
}
