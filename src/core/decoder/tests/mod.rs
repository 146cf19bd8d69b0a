use super::*;
use crate::core::command::Command;
use crate::core::escape::InvalidEscape;

mod buffering;
mod errors;
mod offsets;

const V10: Version = Version::V1_0;
const V11: Version = Version::V1_1;
const V12: Version = Version::V1_2;

/// Everything `bytes` decodes to when pushed as `chunks`, stopping at the first error.
fn decode_chunks<'a>(
    chunks: impl IntoIterator<Item = &'a [u8]>,
    version: Version,
    limits: Limits,
) -> Result<Vec<Decoded>, DecodeError> {
    let mut d = Decoder::new(limits);
    d.set_version(version);
    let mut out = Vec::new();
    for chunk in chunks {
        d.push(chunk);
        while let Some(x) = d.next()? {
            out.push(x);
        }
    }
    assert_eq!(d.buffered(), d.buf.len() - d.start);
    Ok(out)
}

fn decode(bytes: &[u8], version: Version) -> Result<Vec<Decoded>, DecodeError> {
    decode_chunks([bytes], version, Limits::default())
}

fn decode_limits(bytes: &[u8], limits: Limits) -> Result<Vec<Decoded>, DecodeError> {
    decode_chunks([bytes], V12, limits)
}

fn limits(max_frame_size: usize, max_headers: usize, max_header_line: usize) -> Limits {
    Limits {
        max_frame_size,
        max_headers,
        max_header_line,
    }
}

/// The single frame `bytes` decodes to.
fn one(bytes: &[u8], version: Version) -> Frame {
    match decode(bytes, version).unwrap().as_slice() {
        [Decoded::Frame(f)] => f.clone(),
        other => panic!("expected one frame, got {other:?}"),
    }
}

fn err(bytes: &[u8], version: Version) -> DecodeError {
    decode(bytes, version).unwrap_err()
}

fn frame(command: Command, headers: &[(&str, &str)], body: &[u8]) -> Decoded {
    let mut f = Frame::new(command).body(body);
    for (n, v) in headers {
        f.headers.push(*n, *v);
    }
    Decoded::Frame(f)
}

/// Decodes `bytes` whole, at every two-chunk split and byte by byte, and checks all agree.
fn decode_every_way(bytes: &[u8], version: Version) -> Vec<Decoded> {
    let whole = decode(bytes, version).unwrap();
    for i in 0..=bytes.len() {
        let (a, b) = bytes.split_at(i);
        let split = decode_chunks([a, b], version, Limits::default()).unwrap();
        assert_eq!(split, whole, "split at {i}");
    }
    let bytewise = decode_chunks(bytes.chunks(1), version, Limits::default()).unwrap();
    assert_eq!(bytewise, whole, "byte by byte");
    whole
}

#[test]
fn spec_message_example() {
    let wire = b"MESSAGE\nsubscription:0\nmessage-id:007\ndestination:/queue/a\ncontent-type:text/plain\n\nhello queue a\0";
    let expected = frame(
        Command::Message,
        &[
            ("subscription", "0"),
            ("message-id", "007"),
            ("destination", "/queue/a"),
            ("content-type", "text/plain"),
        ],
        b"hello queue a",
    );
    assert_eq!(decode_every_way(wire, V12), vec![expected]);
}

#[test]
fn spec_connect_and_connected_examples() {
    let f = one(
        b"CONNECT\naccept-version:1.2\nhost:stomp.github.org\n\n\0",
        V10,
    );
    assert_eq!(f.command, Command::Connect);
    assert_eq!(f.headers.get("host"), Some("stomp.github.org"));
    let f = one(b"CONNECTED\nversion:1.2\n\n\0", V10);
    assert_eq!(f.command, Command::Connected);
    assert_eq!(f.headers.get("version"), Some("1.2"));
    assert!(f.body.is_empty());
}

#[test]
fn spec_error_example_with_content_length() {
    let body = "The message:\n-----\nMESSAGE\ndestined:/queue/a\nreceipt:message-12345\n\nHello queue a!\n-----\nDid not contain a destination header, which is REQUIRED\nfor message propagation.\n";
    let wire = format!(
        "ERROR\nreceipt-id:message-12345\ncontent-type:text/plain\ncontent-length:170\nmessage:malformed frame received\n\n{body}\0"
    );
    let f = one(wire.as_bytes(), V12);
    assert_eq!(f.command, Command::Error);
    assert_eq!(f.headers.get("message"), Some("malformed frame received"));
    assert_eq!(f.body, body.as_bytes());
    assert_eq!(f.body.len(), 170);
}

#[test]
fn spec_repeated_header_keeps_all_and_first_wins() {
    let f = one(b"MESSAGE\nfoo:World\nfoo:Hello\n\n\0", V12);
    assert_eq!(f.headers.get("foo"), Some("World"));
    let all: Vec<_> = f.headers.iter().collect();
    assert_eq!(all, vec![("foo", "World"), ("foo", "Hello")]);
}

#[test]
fn content_length_body_may_hold_nul_bytes() {
    let wire = b"MESSAGE\ncontent-length:5\n\na\0b\0c\0MESSAGE\n\nx\0";
    let got = decode_every_way(wire, V12);
    assert_eq!(
        got,
        vec![
            frame(Command::Message, &[("content-length", "5")], b"a\0b\0c"),
            frame(Command::Message, &[], b"x"),
        ]
    );
}

#[test]
fn zero_content_length_and_empty_bodies() {
    let got = decode(
        b"RECEIPT\nreceipt-id:1\ncontent-length:0\n\n\0DISCONNECT\n\n\0",
        V12,
    )
    .unwrap();
    assert_eq!(
        got,
        vec![
            frame(
                Command::Receipt,
                &[("receipt-id", "1"), ("content-length", "0")],
                b""
            ),
            frame(Command::Disconnect, &[], b""),
        ]
    );
}

#[test]
fn first_content_length_wins() {
    let f = one(b"SEND\ncontent-length:2\ncontent-length:9\n\na\0\0", V12);
    assert_eq!(f.body, b"a\0");
    assert_eq!(f.headers.len(), 2);
}

#[test]
fn missing_nul_after_content_length_body() {
    let e = err(b"MESSAGE\ncontent-length:2\n\nabc\0", V12);
    assert_eq!(e, DecodeError::MissingNul { content_length: 2 });
    // Detected as soon as the byte arrives, not when a NUL finally does.
    let mut d = Decoder::default();
    d.push(b"MESSAGE\ncontent-length:2\n\nab");
    assert_eq!(d.next(), Ok(None));
    d.push(b"\n");
    assert_eq!(d.next(), Err(DecodeError::MissingNul { content_length: 2 }));
}

#[test]
fn body_without_content_length_ends_at_first_nul() {
    let got = decode_every_way(b"SEND\ndestination:/q\n\nab\0MESSAGE\n\ncd\0", V12);
    assert_eq!(
        got,
        vec![
            frame(Command::Send, &[("destination", "/q")], b"ab"),
            frame(Command::Message, &[], b"cd"),
        ]
    );
}

#[test]
fn heartbeats_between_frames() {
    let wire = b"\n\r\nMESSAGE\n\nx\0\n\n\r\n\nRECEIPT\nreceipt-id:7\n\n\0\r\n";
    let hb = Decoded::Heartbeat;
    let got = decode_every_way(wire, V12);
    assert_eq!(
        got,
        vec![
            hb.clone(),
            hb.clone(),
            frame(Command::Message, &[], b"x"),
            hb.clone(),
            hb.clone(),
            hb.clone(),
            hb.clone(),
            frame(Command::Receipt, &[("receipt-id", "7")], b""),
            hb,
        ]
    );
}

#[test]
fn rabbitmq_nul_newline_frame_ends() {
    let wire = b"CONNECTED\nserver:RabbitMQ/3.13.7\nsession:session-x\nheart-beat:10000,10000\nversion:1.2\n\n\0\nMESSAGE\nsubscription:sub-0\ndestination:/queue/a\nmessage-id:T_sub-0@@session-x@@1\nredelivered:false\nack:5\ncontent-length:2\n\nhi\0\n";
    let got = decode_every_way(wire, V12);
    assert_eq!(got.len(), 4);
    assert_eq!(got[1], Decoded::Heartbeat);
    assert_eq!(got[3], Decoded::Heartbeat);
    match &got[2] {
        Decoded::Frame(f) => {
            assert_eq!(f.headers.get("message-id"), Some("T_sub-0@@session-x@@1"));
            assert_eq!(f.body, b"hi");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn crlf_line_ends() {
    let wire = b"MESSAGE\r\ndestination:/queue/a\r\ncontent-length:4\r\n\r\nbody\0\r\nRECEIPT\r\nreceipt-id:1\r\n\r\n\0";
    for v in [V10, V11, V12] {
        let got = decode_every_way(wire, v);
        assert_eq!(
            got,
            vec![
                frame(
                    Command::Message,
                    &[("destination", "/queue/a"), ("content-length", "4")],
                    b"body"
                ),
                Decoded::Heartbeat,
                frame(Command::Receipt, &[("receipt-id", "1")], b""),
            ]
        );
    }
}

#[test]
fn cr_inside_a_value_is_kept() {
    let f = one(b"MESSAGE\na:x\ry\r\nb:z\r\r\n\n\0", V10);
    assert_eq!(f.headers.get("a"), Some("x\ry"));
    // Only the one CR of the CRLF is stripped.
    assert_eq!(f.headers.get("b"), Some("z\r"));
}

#[test]
fn header_splits_at_first_colon() {
    let f = one(b"MESSAGE\na:b:c\nempty:\n:noname\n\n\0", V10);
    let all: Vec<_> = f.headers.iter().collect();
    assert_eq!(all, vec![("a", "b:c"), ("empty", ""), ("", "noname")]);
    let f = one(b"CONNECTED\nserver:Apache/1.2:x\n\n\0", V12);
    assert_eq!(f.headers.get("server"), Some("Apache/1.2:x"));
}

#[test]
fn header_without_colon() {
    let e = err(b"MESSAGE\ndestination\n\n\0", V12);
    assert_eq!(e, DecodeError::HeaderWithoutColon("destination".into()));
    assert_eq!(
        e.to_string(),
        "bad STOMP header line without a colon: \"destination\""
    );
    let long = format!("MESSAGE\n{}\n\n\0", "x".repeat(100));
    match err(long.as_bytes(), V12) {
        DecodeError::HeaderWithoutColon(s) => assert_eq!(s, format!("{}…", "x".repeat(64))),
        other => panic!("{other:?}"),
    }
}

#[test]
fn unescaping_per_version() {
    let wire = b"MESSAGE\nk\\cey:a\\r\\nb\\cc\\\\d\n\n\0";
    let f = one(wire, V12);
    assert_eq!(f.headers.get("k:ey"), Some("a\r\nb:c\\d"));
    assert_eq!(
        err(wire, V11),
        DecodeError::InvalidEscape(InvalidEscape::Undefined(b'r'))
    );
    let f = one(b"MESSAGE\nk\\cey:a\\nb\\cc\\\\d\n\n\0", V11);
    assert_eq!(f.headers.get("k:ey"), Some("a\nb:c\\d"));
    let f = one(wire, V10);
    assert_eq!(f.headers.get("k\\cey"), Some("a\\r\\nb\\cc\\\\d"));
}

#[test]
fn connect_and_connected_are_never_unescaped() {
    for v in [V11, V12] {
        for cmd in ["CONNECT", "STOMP", "CONNECTED"] {
            let wire = format!("{cmd}\nlogin:a\\tb\\c\npasscode:x\\\n\n\0");
            let f = one(wire.as_bytes(), v);
            assert_eq!(f.headers.get("login"), Some("a\\tb\\c"));
            assert_eq!(f.headers.get("passcode"), Some("x\\"));
        }
    }
}

#[test]
fn escaped_backslash_then_n_is_not_a_newline() {
    let f = one(b"MESSAGE\npath:C\\c\\\\new\n\n\0", V12);
    assert_eq!(f.headers.get("path"), Some("C:\\new"));
}

#[test]
fn undefined_escapes_are_fatal() {
    assert_eq!(
        err(b"MESSAGE\na:x\\ty\n\n\0", V12),
        DecodeError::InvalidEscape(InvalidEscape::Undefined(b't'))
    );
    assert_eq!(
        err(b"MESSAGE\na:x\\\n\n\0", V12),
        DecodeError::InvalidEscape(InvalidEscape::LoneBackslash)
    );
    assert_eq!(
        err(b"MESSAGE\na\\:x\n\n\0", V11),
        DecodeError::InvalidEscape(InvalidEscape::LoneBackslash)
    );
    assert_eq!(
        one(b"MESSAGE\na:x\\ty\n\n\0", V10).headers.get("a"),
        Some("x\\ty")
    );
}

#[test]
fn version_applies_from_the_next_frame() {
    let mut d = Decoder::default();
    d.push(b"CONNECTED\nversion:1.2\n\n\0MESSAGE\na:\\c\n\n\0");
    assert!(matches!(d.next(), Ok(Some(Decoded::Frame(_)))));
    d.set_version(V12);
    match d.next() {
        Ok(Some(Decoded::Frame(f))) => assert_eq!(f.headers.get("a"), Some(":")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn invalid_utf8_headers_are_replaced() {
    let f = one(b"MESSAGE\nd\xffst:caf\xc3\n\n\xff\0", V12);
    assert_eq!(f.headers.get("d\u{fffd}st"), Some("caf\u{fffd}"));
    assert_eq!(f.body, b"\xff");
}

#[test]
fn multibyte_utf8_split_anywhere() {
    let wire = "MESSAGE\ndestination:/topic/€uro😀\ncontent-length:10\n\nnaïve😀\0\r\n".as_bytes();
    let got = decode_every_way(wire, V12);
    assert_eq!(
        got,
        vec![
            frame(
                Command::Message,
                &[("destination", "/topic/€uro😀"), ("content-length", "10")],
                "naïve😀".as_bytes()
            ),
            Decoded::Heartbeat,
        ]
    );
}
