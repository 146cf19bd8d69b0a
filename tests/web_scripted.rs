//! The browser driver through a scripted WebSocket-shaped object (what `over(fake)` gets), for
//! exact byte sequences a broker will not produce on demand: split frames, several frames per
//! message, escaping, garbage, size limits, outgoing splitting, re-entrant test doubles and
//! the clean-up of a dropped driver.
#![cfg(target_arch = "wasm32")]

mod support;

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use support::fake::{FakeSocket, Sent};
use support::{config, headers, sleep, text, Client, Closed};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use webstomp_wasm::core::command::Command;
use webstomp_wasm::core::encoder::ContentLength;
use webstomp_wasm::core::frame::{Frame, Headers};
use webstomp_wasm::core::session::{
    Config, Event, HeartbeatConfig, SessionError, State, CLOSE_CONNECT_TIMEOUT,
    CLOSE_HEARTBEAT_TIMEOUT, CLOSE_PROTOCOL_ERROR,
};
use webstomp_wasm::io::{Driver, SocketLike};

wasm_bindgen_test_configure!(run_in_browser);

/// A client over a new scripted socket that reports `protocol`, connected with the server's
/// `connected` frame. What the client sent so far (the CONNECT frame) is taken.
async fn connected(config: Config, protocol: &str, connected: &str) -> (Client, FakeSocket) {
    let socket = FakeSocket::new(protocol);
    let client = Client::over(&socket, config);
    handshake(&client, &socket, connected).await;
    (client, socket)
}

/// [`connected`] with STOMP 1.2 and the `binary` option.
async fn connected_binary(config: Config) -> (Client, FakeSocket) {
    let socket = FakeSocket::new("v12.stomp");
    let client = Client::over_binary(&socket, config);
    handshake(&client, &socket, "CONNECTED\nversion:1.2\n\n\0").await;
    (client, socket)
}

/// Connects `client` over `socket`, which the server answers with `connected`.
async fn handshake(client: &Client, socket: &FakeSocket, connected: &str) {
    client.connect(Headers::new());
    socket.open();
    let sent: Vec<u8> = socket
        .take_sent()
        .iter()
        .flat_map(|m| m.bytes().to_vec())
        .collect();
    assert!(
        sent.starts_with(b"CONNECT\n") && sent.ends_with(b"\n\n\0"),
        "the client sent CONNECT on open: {:?}",
        String::from_utf8_lossy(&sent)
    );
    socket.text(connected);
    client.expect_connected().await;
}

/// [`connected`] with STOMP 1.2 and no heart-beats.
async fn connected_1_2(config: Config) -> (Client, FakeSocket) {
    connected(config, "v12.stomp", "CONNECTED\nversion:1.2\n\n\0").await
}

/// The MESSAGE event that must be queued now, and nothing after it.
fn only_message(client: &Client, context: &str) -> Frame {
    let frame = match client.try_next() {
        Some(Event::Message {
            frame, known: true, ..
        }) => frame,
        other => panic!("{context}: expected one MESSAGE, got {other:?}"),
    };
    if let Some(extra) = client.try_next() {
        panic!("{context}: expected nothing after the MESSAGE, got {extra:?}");
    }
    frame
}

/// Proves the WebAssembly instance still works: a new driver on a new socket connects,
/// subscribes, sends and receives.
async fn fresh_client_works() {
    let socket = FakeSocket::new("v12.stomp");
    socket.set_auto_reply(true);
    let client = Client::over(&socket, config());
    client.connect(Headers::new());
    socket.open();
    client.expect_connected().await;
    client.subscribe("/queue/after", Headers::new());
    client.send("/queue/after", "still alive", Headers::new());
    let frame = client.expect_message().await;
    assert_eq!(text(&frame), "still alive");
}

#[wasm_bindgen_test]
async fn over_takes_the_handlers_and_sends_connect_once_open() {
    let socket = FakeSocket::new("v12.stomp");
    assert!(socket.handlers_cleared());
    let client = Client::over(&socket, config());
    assert_eq!(socket.binary_type(), "arraybuffer");
    assert_eq!(socket.handlers(), ["function"; 4]);

    client.connect(headers(&[
        ("login", "guest"),
        ("passcode", "secret"),
        ("host", "/"),
    ]));
    assert_eq!(
        socket.take_sent(),
        [],
        "nothing is sent before the socket opens"
    );
    assert_eq!(client.state(), State::Connecting);

    socket.open();
    assert_eq!(
        socket.take_sent(),
        [Sent::Text(
            "CONNECT\naccept-version:1.2,1.1,1.0\nheart-beat:0,0\nlogin:guest\npasscode:secret\nhost:/\n\n\0"
                .into()
        )]
    );
    socket.text("CONNECTED\nversion:1.2\nserver:fake/1\n\n\0");
    let frame = client.expect_connected().await;
    assert_eq!(frame.headers.get("server"), Some("fake/1"));
    assert_eq!(client.state(), State::Connected);
    assert_eq!(
        client.states(),
        [State::Connecting, State::Connected],
        "state changes"
    );
}

#[wasm_bindgen_test]
async fn an_already_open_socket_gets_connect_at_once() {
    let socket = FakeSocket::new("v11.stomp");
    socket.open();
    let client = Client::over(&socket, config());
    client.connect(Headers::new());
    let sent = socket.take_sent();
    assert!(
        matches!(sent.as_slice(), [Sent::Text(s)] if s.starts_with("CONNECT\n")),
        "{sent:?}"
    );
    // The subprotocol names the version when CONNECTED does not.
    socket.text("CONNECTED\n\n\0");
    client.expect_connected().await;
    assert_eq!(
        client.session(|s| s.version()),
        Some(webstomp_wasm::core::version::Version::V1_1)
    );
}

#[wasm_bindgen_test]
async fn a_socket_that_is_already_closed_fails_connect_at_once() {
    let socket = FakeSocket::new("v12.stomp");
    socket.server_close(1006, "", false);
    let client = Client::over(&socket, config());
    assert_eq!(
        client.state(),
        State::Idle,
        "nothing happens before connect"
    );
    client.connect(Headers::new());
    let closed = client.expect_closed().await;
    assert_eq!(closed.code, 1006);
    assert!(closed.reason.contains("already closed"), "{closed:?}");
    assert!(!closed.after_disconnect);
    assert_eq!(client.state(), State::Closed);
    assert_eq!(socket.take_sent(), []);
    assert!(socket.handlers_cleared());
}

/// A MESSAGE that exercises the decoder: a CRLF line end, an escaped header, multi-byte
/// characters in a header and the body, a NUL inside a `content-length` body, and a CRLF
/// heart-beat after the frame.
fn tricky_message() -> (String, Vec<u8>) {
    let body = "hé\0llo 😀 €";
    let wire = format!(
        "MESSAGE\r\nsubscription:sub-0\nmessage-id:m\\c1\ndestination:/queue/a\n\
         x-name:Zoë 😀\ncontent-length:{}\n\n{body}\0\r\n",
        body.len()
    );
    (wire, body.as_bytes().to_vec())
}

fn check_tricky(frame: &Frame, body: &[u8]) {
    assert_eq!(frame.command, Command::Message);
    assert_eq!(frame.headers.get("message-id"), Some("m:1"));
    assert_eq!(frame.headers.get("x-name"), Some("Zoë 😀"));
    assert_eq!(frame.body, body);
}

#[wasm_bindgen_test]
async fn a_frame_split_at_every_byte_across_two_arraybuffers_is_the_same_frame() {
    let (client, socket) = connected_1_2(config()).await;
    client.subscribe("/queue/a", Headers::new());
    let (wire, body) = tricky_message();
    let bytes = wire.as_bytes();

    socket.bytes(bytes);
    let whole = only_message(&client, "unsplit");
    check_tricky(&whole, &body);

    for cut in 1..bytes.len() {
        socket.bytes(&bytes[..cut]);
        socket.bytes(&bytes[cut..]);
        let frame = only_message(&client, &format!("split at byte {cut}"));
        assert_eq!(frame, whole, "split at byte {cut}");
    }
    assert_eq!(client.state(), State::Connected);
}

#[wasm_bindgen_test]
async fn a_frame_split_at_every_character_across_two_text_messages_is_the_same_frame() {
    let (client, socket) = connected_1_2(config()).await;
    client.subscribe("/queue/a", Headers::new());
    let (wire, body) = tricky_message();

    socket.text(&wire);
    let whole = only_message(&client, "unsplit");
    check_tricky(&whole, &body);

    let mut cuts = 0;
    for cut in (1..wire.len()).filter(|&i| wire.is_char_boundary(i)) {
        socket.text(&wire[..cut]);
        socket.text(&wire[cut..]);
        let frame = only_message(&client, &format!("split at byte {cut}"));
        assert_eq!(frame, whole, "split at byte {cut}");
        cuts += 1;
    }
    assert!(cuts > 50, "only {cuts} split points");
}

#[wasm_bindgen_test]
async fn several_frames_in_one_message_and_a_frame_across_messages() {
    let (client, socket) = connected_1_2(config()).await;
    client.subscribe("/queue/a", Headers::new());

    socket.text(
        "MESSAGE\nsubscription:sub-0\nmessage-id:1\ndestination:/queue/a\ncontent-length:3\n\none\0\n\
         \n\r\n\
         RECEIPT\nreceipt-id:r-7\n\n\0\
         MESSAGE\nsubscription:sub-0\nmessage-id:2\ndestination:/queue/a\n\ntwo\0\n",
    );
    assert_eq!(text(&client.expect_message().await), "one");
    client.expect_receipt("r-7").await;
    assert_eq!(text(&client.expect_message().await), "two");
    assert!(client.try_next().is_none());

    // One and a half frames, then the rest.
    socket.text(
        "MESSAGE\nsubscription:sub-0\nmessage-id:3\ndestination:/queue/a\n\nthree\0MESSAGE\nsubscr",
    );
    assert_eq!(text(&client.expect_message().await), "three");
    assert!(client.try_next().is_none(), "half a frame is no frame");
    socket.text("iption:sub-0\nmessage-id:4\ndestination:/queue/a\n\nfour\0");
    assert_eq!(text(&client.expect_message().await), "four");
    assert!(client.try_next().is_none());
}

#[wasm_bindgen_test]
async fn a_utf8_character_split_across_arraybuffer_messages() {
    let (client, socket) = connected_1_2(config()).await;
    client.subscribe("/queue/a", Headers::new());
    // No content-length: the body ends at the NUL.
    let wire =
        "MESSAGE\nsubscription:sub-0\nmessage-id:1\ndestination:/queue/a\nx-emoji:😀\n\n€😀\0";
    let bytes = wire.as_bytes();

    // One byte per message: every character arrives in pieces.
    for b in bytes {
        socket.bytes(&[*b]);
    }
    let frame = only_message(&client, "one byte per message");
    assert_eq!(frame.headers.get("x-emoji"), Some("😀"));
    assert_eq!(frame.body, "€😀".as_bytes());

    // Each split inside the 4-byte emoji of the header and of the body.
    let header_at = wire.find("😀").unwrap();
    let body_at = wire.rfind("😀").unwrap();
    for start in [header_at, body_at] {
        for inside in 1..4 {
            let cut = start + inside;
            socket.bytes(&bytes[..cut]);
            socket.bytes(&bytes[cut..]);
            let got = only_message(&client, &format!("split at byte {cut}"));
            assert_eq!(got, frame, "split at byte {cut}");
        }
    }
}

#[wasm_bindgen_test]
async fn incoming_headers_are_unescaped_per_version() {
    // 1.2: \c \n \\ \r, in names and values; CONNECTED is never unescaped.
    let (client, socket) = connected(
        config(),
        "v12.stomp",
        "CONNECTED\nversion:1.2\nserver:a\\cb\n\n\0",
    )
    .await;
    assert_eq!(
        client.session(|s| s.server().map(str::to_owned)),
        Some("a\\cb".into())
    );
    client.subscribe("/queue/a", Headers::new());
    socket.text(
        "MESSAGE\nsubscription:sub-0\nmessage-id:1\ndestination:/queue/a\n\
         x-h:a\\cb\\nc\\\\d\\re\nx\\cname:v\n\n\0",
    );
    let frame = client.expect_message().await;
    assert_eq!(frame.headers.get("x-h"), Some("a:b\nc\\d\re"));
    assert_eq!(frame.headers.get("x:name"), Some("v"));

    // 1.1: no \r escape; using it is a fatal protocol error.
    let (client, socket) = connected(config(), "v11.stomp", "CONNECTED\nversion:1.1\n\n\0").await;
    client.subscribe("/queue/a", Headers::new());
    socket.text(
        "MESSAGE\nsubscription:sub-0\nmessage-id:1\ndestination:/queue/a\nx-h:a\\cb\\nc\\\\d\n\n\0",
    );
    assert_eq!(
        client.expect_message().await.headers.get("x-h"),
        Some("a:b\nc\\d")
    );
    socket.text("MESSAGE\nsubscription:sub-0\nmessage-id:2\ndestination:/queue/a\nx-h:a\\r\n\n\0");
    let error = client.expect_protocol_error().await;
    assert!(error.contains("escape"), "{error}");
    assert_eq!(socket.closes(), [(CLOSE_PROTOCOL_ERROR, error)]);

    // 1.0: nothing is unescaped.
    let (client, socket) = connected(config(), "v10.stomp", "CONNECTED\nversion:1.0\n\n\0").await;
    client.subscribe("/queue/a", Headers::new());
    socket.text(
        "MESSAGE\nsubscription:sub-0\nmessage-id:1\ndestination:/queue/a\nx-h:a\\cb\\n\n\n\0",
    );
    assert_eq!(
        client.expect_message().await.headers.get("x-h"),
        Some("a\\cb\\n")
    );
}

#[wasm_bindgen_test]
async fn outgoing_headers_are_escaped_per_version() {
    let tricky = || headers(&[("x-h", "a:b\nc\\d\re"), ("x:name", "v")]);

    let (client, socket) = connected_1_2(config()).await;
    client.send("/queue/a:b", "x", tricky());
    assert_eq!(
        socket.take_sent(),
        [Sent::Text(
            "SEND\nx-h:a\\cb\\nc\\\\d\\re\nx\\cname:v\ndestination:/queue/a\\cb\ncontent-length:1\n\nx\0"
                .into()
        )]
    );

    // 1.1 has no escape for CR: it goes out as it is.
    let (client, socket) = connected(config(), "v11.stomp", "CONNECTED\nversion:1.1\n\n\0").await;
    client.send("/queue/a", "x", tricky());
    assert_eq!(
        socket.take_sent(),
        [Sent::Text(
            "SEND\nx-h:a\\cb\\nc\\\\d\re\nx\\cname:v\ndestination:/queue/a\ncontent-length:1\n\nx\0"
                .into()
        )]
    );

    // 1.0 escapes nothing: a ':' in a value goes out as it is, a newline is refused.
    let (client, socket) = connected(config(), "v10.stomp", "CONNECTED\nversion:1.0\n\n\0").await;
    client.send("/queue/a", "x", headers(&[("x-h", "a:b")]));
    assert_eq!(
        socket.take_sent(),
        [Sent::Text(
            "SEND\nx-h:a:b\ndestination:/queue/a\ncontent-length:1\n\nx\0".into()
        )]
    );
    let refused = client.run(|s, now| {
        s.send(
            now,
            "/queue/a",
            b"x".to_vec(),
            headers(&[("x-h", "a\nb")]),
            ContentLength::Auto,
        )
    });
    assert!(
        matches!(refused, Err(SessionError::Encode(_))),
        "{refused:?}"
    );
    assert_eq!(socket.take_sent(), [], "a refused frame is not sent");
    assert_eq!(client.state(), State::Connected);
}

/// Runs `feed` on a connected client's socket and checks the protocol error, the 4002 close
/// and its report; then that a new driver on the same page works.
async fn check_fatal_input(config: Config, feed: impl FnOnce(&FakeSocket), expect_in_error: &str) {
    let (client, socket) = connected_1_2(config).await;
    client.subscribe("/queue/a", Headers::new());
    feed(&socket);
    let error = client.expect_protocol_error().await;
    assert!(
        error.contains(expect_in_error),
        "the error {error:?} says {expect_in_error:?}"
    );
    let closes = socket.closes();
    assert_eq!(closes.len(), 1, "one close: {closes:?}");
    let (code, reason) = &closes[0];
    assert_eq!(*code, CLOSE_PROTOCOL_ERROR);
    assert!(reason.contains(expect_in_error), "close reason {reason:?}");
    assert!(reason.len() <= 123, "a close reason fits a close frame");
    // The client is done with the socket at once: it does not wait for the close handshake,
    // which a dead peer would never complete.
    let closed = client.expect_closed().await;
    assert_eq!(
        closed,
        Closed {
            code: CLOSE_PROTOCOL_ERROR,
            reason: reason.clone(),
            was_clean: false,
            after_disconnect: false
        }
    );
    assert!(
        client.try_next().is_none(),
        "input after the error is ignored"
    );
    assert_eq!(client.state(), State::Closed);
    assert!(socket.handlers_cleared());
    drop(client);
    fresh_client_works().await;
}

#[wasm_bindgen_test]
async fn garbage_text_is_a_protocol_error_and_the_page_survives() {
    check_fatal_input(
        config(),
        |s| s.text("HELLO there\n\n\0MESSAGE\nsubscription:sub-0\n\nlater\0"),
        "invalid data from the server",
    )
    .await;
}

#[wasm_bindgen_test]
async fn garbage_bytes_are_a_protocol_error_and_the_page_survives() {
    check_fatal_input(
        config(),
        |s| s.bytes(&[0xff, 0xfe, 0x00, 0x80, b'\n', 0x00, 0xc3]),
        "invalid data from the server",
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_header_without_colon_is_a_protocol_error() {
    check_fatal_input(
        config(),
        |s| s.text("MESSAGE\nsubscription:sub-0\nno colon here\n\n\0"),
        "invalid data from the server",
    )
    .await;
}

fn small_frames() -> Config {
    let mut c = config();
    c.limits.max_frame_size = 256;
    c
}

#[wasm_bindgen_test]
async fn a_frame_under_max_frame_size_is_accepted() {
    let (client, socket) = connected_1_2(small_frames()).await;
    client.subscribe("/queue/a", Headers::new());
    let body = "b".repeat(150);
    socket.text(&format!(
        "MESSAGE\nsubscription:sub-0\nmessage-id:1\ndestination:/queue/a\ncontent-length:150\n\n{body}\0"
    ));
    assert_eq!(text(&client.expect_message().await), body);
}

#[wasm_bindgen_test]
async fn an_announced_oversize_body_is_a_protocol_error_and_the_page_survives() {
    check_fatal_input(
        small_frames(),
        |s| {
            s.text("MESSAGE\nsubscription:sub-0\nmessage-id:1\ndestination:/q\ncontent-length:100000\n\nabc")
        },
        "256",
    )
    .await;
}

#[wasm_bindgen_test]
async fn an_endless_frame_is_a_protocol_error_and_the_page_survives() {
    check_fatal_input(
        small_frames(),
        |s| {
            s.text("MESSAGE\nsubscription:sub-0\nmessage-id:1\ndestination:/q\n\n");
            for _ in 0..10 {
                s.text(&"x".repeat(50));
            }
        },
        "256",
    )
    .await;
}

#[wasm_bindgen_test]
async fn message_data_that_is_neither_text_nor_arraybuffer_fails_the_transport() {
    // The socket fires onclose from inside close(), as some test doubles do.
    let (client, socket) = connected_1_2(config()).await;
    socket.set_close_sync(true);
    client.subscribe("/queue/a", Headers::new());
    socket.message(&JsValue::from_f64(42.0));
    let error = client.expect_protocol_error().await;
    assert!(error.contains("neither text nor an ArrayBuffer"), "{error}");
    let closes = socket.closes();
    assert_eq!(closes, [(CLOSE_PROTOCOL_ERROR, error.clone())]);
    let closed = client.expect_closed().await;
    assert_eq!(closed.code, CLOSE_PROTOCOL_ERROR);
    assert!(!closed.after_disconnect);
    assert_eq!(client.state(), State::Closed);
    assert!(socket.handlers_cleared());
    drop(client);
    fresh_client_works().await;
}

#[wasm_bindgen_test]
async fn binary_bodies_arrive_exactly_and_go_out_as_the_transport_allows() {
    let all: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();

    let (client, socket) = connected_1_2(config()).await;
    client.subscribe("/queue/a", Headers::new());
    socket.take_sent();
    let mut wire = format!(
        "MESSAGE\nsubscription:sub-0\nmessage-id:1\ndestination:/queue/a\ncontent-length:{}\n\n",
        all.len()
    )
    .into_bytes();
    wire.extend_from_slice(&all);
    wire.extend_from_slice(b"\0\n");
    socket.bytes(&wire);
    assert_eq!(client.expect_message().await.body, all);

    let frame = |body: &[u8]| {
        let mut f = format!(
            "SEND\ndestination:/queue/a\ncontent-length:{}\n\n",
            body.len()
        )
        .into_bytes();
        f.extend_from_slice(body);
        f.push(0);
        f
    };

    // A WebSocket carries it as a binary message, and UTF-8 frames as text.
    client.send("/queue/a", all.clone(), Headers::new());
    assert_eq!(socket.take_sent(), [Sent::Binary(frame(&all))]);
    client.send("/queue/a", "hé\0", Headers::new());
    assert_eq!(
        socket.take_sent(),
        [Sent::Text(
            "SEND\ndestination:/queue/a\ncontent-length:4\n\nhé\0\0".into()
        )]
    );

    // With the binary option, every frame is a binary message.
    let (client, socket) = connected_binary(config()).await;
    client.send("/queue/a", all.clone(), Headers::new());
    assert_eq!(socket.take_sent(), [Sent::Binary(frame(&all))]);
    client.send("/queue/a", "hi", Headers::new());
    assert_eq!(socket.take_sent(), [Sent::Binary(frame(b"hi"))]);

    // A text-only transport (SockJS) refuses it and sends nothing.
    let text_only = Config {
        text: true,
        ..config()
    };
    let (client, socket) = connected_1_2(text_only).await;
    let refused = client.run(|s, now| {
        s.send(
            now,
            "/queue/a",
            all.clone(),
            Headers::new(),
            ContentLength::Auto,
        )
    });
    match refused {
        Err(e @ SessionError::NotUtf8) => {
            assert!(e.to_string().contains("not valid UTF-8"), "{e}")
        }
        other => panic!("expected NotUtf8, got {other:?}"),
    }
    assert_eq!(socket.take_sent(), []);
    assert_eq!(client.state(), State::Connected);
}

#[wasm_bindgen_test]
async fn max_websocket_frame_size_splits_text_on_character_boundaries() {
    // A WebSocket (carries both kinds of message), then a text-only transport.
    for text in [false, true] {
        let split = Config {
            max_ws_frame_size: 16,
            text,
            ..config()
        };
        check_text_split(split).await;
    }
}

async fn check_text_split(split: Config) {
    let (client, socket) = connected_1_2(split).await;
    let body = "héllo wörld € 😀😀😀 ünïcödé 😀";
    client.send("/queue/a", body, Headers::new());
    let sent = socket.take_sent();
    let expected = format!(
        "SEND\ndestination:/queue/a\ncontent-length:{}\n\n{body}\0",
        body.len()
    );
    assert!(sent.len() >= expected.len() / 16, "{sent:?}");
    let mut joined = String::new();
    for piece in &sent {
        match piece {
            Sent::Text(s) => {
                assert!(s.len() <= 16, "piece of {} bytes: {s:?}", s.len());
                assert!(!s.is_empty());
                assert!(!s.contains('\u{fffd}'), "a character was cut: {s:?}");
                joined.push_str(s);
            }
            Sent::Binary(b) => panic!("a binary piece {b:?}: a character was cut"),
        }
    }
    assert_eq!(joined, expected);
    assert!(
        sent[..sent.len() - 1].iter().any(|p| p.bytes().len() < 16),
        "some pieces end early, before a character that would not fit: {sent:?}"
    );
}

#[wasm_bindgen_test]
async fn max_websocket_frame_size_splits_binary_messages_exactly() {
    let split = Config {
        max_ws_frame_size: 16,
        ..config()
    };
    let (client, socket) = connected_binary(split).await;
    let body: Vec<u8> = "😀😀😀😀😀"
        .bytes()
        .chain([0, 0xff, 0x80, 0])
        .chain("€€€€€€".bytes())
        .collect();
    client.send("/queue/a", body.clone(), Headers::new());
    let mut expected = format!(
        "SEND\ndestination:/queue/a\ncontent-length:{}\n\n",
        body.len()
    )
    .into_bytes();
    expected.extend_from_slice(&body);
    expected.push(0);

    let sent = socket.take_sent();
    assert_eq!(sent.len(), expected.len().div_ceil(16));
    let mut joined = Vec::new();
    for (i, piece) in sent.iter().enumerate() {
        let Sent::Binary(b) = piece else {
            panic!("piece {i} is text: {piece:?}");
        };
        if i + 1 < sent.len() {
            assert_eq!(b.len(), 16, "piece {i}");
        }
        joined.extend_from_slice(b);
    }
    assert_eq!(joined, expected);
}

#[wasm_bindgen_test]
async fn a_double_that_answers_from_inside_send_does_not_panic() {
    let socket = FakeSocket::new("v12.stomp");
    socket.set_auto_reply(true);
    socket.set_close_sync(true);

    // A consumer that answers each "ping" from inside its event callback.
    let log = Rc::new(RefCell::new(Vec::<String>::new()));
    let me: Rc<RefCell<Weak<Driver>>> = Rc::new(RefCell::new(Weak::new()));
    let driver = Rc::new(Driver::new(config(), {
        let log = Rc::clone(&log);
        let me = Rc::clone(&me);
        move |event| {
            let line = match event {
                Event::Connected(_) => "connected".to_owned(),
                Event::Message { frame, .. } => {
                    let body = String::from_utf8_lossy(&frame.body).into_owned();
                    if body == "ping" {
                        if let Some(driver) = me.borrow().upgrade() {
                            let sent = driver.with_session(|s, now| {
                                s.send(
                                    now,
                                    "/queue/b",
                                    b"pong".to_vec(),
                                    Headers::new(),
                                    ContentLength::Auto,
                                )
                            });
                            assert!(sent.is_ok(), "{sent:?}");
                        }
                    }
                    body
                }
                Event::Receipt { id, .. } => format!("receipt {id}"),
                Event::Closed {
                    after_disconnect, ..
                } => format!("closed, after_disconnect: {after_disconnect}"),
                Event::ProtocolError(e) => format!("protocol error: {e}"),
                _ => return,
            };
            log.borrow_mut().push(line);
        }
    }));
    *me.borrow_mut() = Rc::downgrade(&driver);
    driver.attach(socket.clone().unchecked_into::<SocketLike>(), false);
    driver
        .with_session(|s, now| s.connect(now, Headers::new()))
        .expect("connect");
    // CONNECTED comes from inside the CONNECT's send().
    socket.open();
    assert!(driver.session(|s| s.is_connected()));
    driver
        .with_session(|s, now| s.subscribe(now, "/queue/a", Headers::new()))
        .expect("subscribe");
    // The MESSAGE and the RECEIPT come from inside send(); the callback sends "pong".
    driver
        .with_session(|s, now| {
            s.send(
                now,
                "/queue/a",
                b"ping".to_vec(),
                headers(&[("receipt", "r-1")]),
                ContentLength::Auto,
            )
        })
        .expect("send");
    // The DISCONNECT's RECEIPT comes from inside send(), and the close from inside close().
    let receipt = driver
        .with_session(|s, now| s.disconnect(now, Headers::new()))
        .expect("disconnect")
        .expect("a DISCONNECT receipt");
    assert_eq!(
        *log.borrow(),
        [
            "connected".to_owned(),
            "ping".to_owned(),
            "receipt r-1".to_owned(),
            "pong".to_owned(),
            format!("receipt {receipt}"),
            "closed, after_disconnect: true".to_owned(),
        ]
    );
    assert_eq!(driver.session(|s| s.state()), State::Closed);
    assert!(socket.handlers_cleared());
}

#[wasm_bindgen_test]
async fn a_closed_driver_that_is_dropped_leaves_no_handlers() {
    // Closed by the server, then dropped.
    let (client, socket) = connected_1_2(config()).await;
    socket.server_close(1001, "going away", true);
    let closed = client.expect_closed().await;
    assert_eq!((closed.code, closed.reason.as_str()), (1001, "going away"));
    assert!(socket.handlers_cleared(), "cleared once closed");
    drop(client);
    assert!(socket.handlers_cleared());
    assert_eq!(
        socket.closes(),
        [],
        "the client never closed a closed socket"
    );

    // Dropped while open: the socket is closed and its handlers cleared.
    let (client, socket) = connected_1_2(config()).await;
    drop(client);
    assert!(socket.handlers_cleared());
    assert_eq!(socket.closes(), [(1000, "client closed".to_owned())]);

    // Shut down while open: the session hears of the close at once.
    let (client, socket) = connected_1_2(config()).await;
    client.driver().shutdown();
    assert!(socket.handlers_cleared());
    assert_eq!(socket.closes(), [(1000, "client closed".to_owned())]);
    let closed = client.expect_closed().await;
    assert_eq!(closed.code, 1000);
    assert_eq!(client.state(), State::Closed);
}

fn quick_timeout() -> Config {
    Config {
        timeout_ms: 300,
        ..config()
    }
}

#[wasm_bindgen_test]
async fn no_connected_frame_within_the_timeout_closes_with_4001() {
    let socket = FakeSocket::new("v12.stomp");
    let client = Client::over(&socket, quick_timeout());
    client.connect(Headers::new());
    socket.open();
    assert_eq!(socket.take_sent().len(), 1, "CONNECT");
    client.expect_quiet(100).await;
    assert_eq!(socket.closes(), [], "not before the timeout");
    sleep(400).await;
    let closes = socket.closes();
    assert_eq!(
        closes,
        [(
            CLOSE_CONNECT_TIMEOUT,
            "no CONNECTED frame from the server within 300 ms".to_owned()
        )]
    );
    socket.server_close(closes[0].0, &closes[0].1, true);
    let closed = client.expect_closed().await;
    assert_eq!(closed.code, CLOSE_CONNECT_TIMEOUT);
    assert!(socket.handlers_cleared());
}

#[wasm_bindgen_test]
async fn a_close_that_is_never_reported_ends_the_session_after_the_timeout() {
    let (client, socket) = connected_1_2(quick_timeout()).await;
    let receipt = client
        .run(|s, now| s.disconnect(now, Headers::new()))
        .expect("disconnect");
    assert!(receipt.is_some());
    assert_eq!(client.state(), State::Disconnecting);
    // No RECEIPT: the client closes the socket after the timeout...
    sleep(450).await;
    assert_eq!(
        socket.closes(),
        [(1000, "no RECEIPT for DISCONNECT within 300 ms".to_owned())]
    );
    // ...and when the socket never reports its close, counts it closed after another one.
    let closed = client.expect_closed().await;
    assert!(closed.after_disconnect, "{closed:?}");
    assert_eq!(client.state(), State::Closed);
    assert!(socket.handlers_cleared(), "{:?}", socket.handlers());
}

#[wasm_bindgen_test]
async fn a_dropped_driver_stops_its_heart_beat_timer() {
    let beating = Config {
        heartbeat: HeartbeatConfig {
            outgoing_ms: 50,
            incoming_ms: 0,
            tolerance: 2,
        },
        ..config()
    };
    let (client, socket) = connected(
        beating,
        "v12.stomp",
        "CONNECTED\nversion:1.2\nheart-beat:0,50\n\n\0",
    )
    .await;
    sleep(400).await;
    let beats = socket
        .take_sent()
        .iter()
        .filter(|s| s.bytes() == b"\n")
        .count();
    assert!(beats >= 2, "{beats} heart-beats in 400 ms at 50 ms");
    drop(client);
    socket.take_sent();
    sleep(200).await;
    assert_eq!(socket.take_sent(), [], "nothing sent after the drop");
}

#[wasm_bindgen_test]
async fn a_silent_server_is_closed_after_the_heart_beat_limit() {
    let listening = Config {
        heartbeat: HeartbeatConfig {
            outgoing_ms: 0,
            incoming_ms: 200,
            tolerance: 2,
        },
        ..config()
    };
    let (client, socket) = connected(
        listening,
        "v12.stomp",
        "CONNECTED\nversion:1.2\nheart-beat:200,0\n\n\0",
    )
    .await;
    assert_eq!(client.session(|s| s.heartbeat().incoming_ms), 200);
    // Heart-beats keep it open past the 400 ms limit...
    for _ in 0..8 {
        sleep(80).await;
        socket.text("\n");
    }
    assert!(socket.closes().is_empty(), "{:?}", socket.closes());
    // ...silence closes it.
    sleep(1_000).await;
    let closes = socket.closes();
    assert_eq!(closes.len(), 1, "{closes:?}");
    assert_eq!(closes[0].0, CLOSE_HEARTBEAT_TIMEOUT);
    assert!(closes[0].1.contains("heart-beat"), "{closes:?}");
    socket.server_close(closes[0].0, &closes[0].1, true);
    let closed = client.expect_closed().await;
    assert_eq!(closed.code, CLOSE_HEARTBEAT_TIMEOUT);
}
