//! Malformed input, limits and error messages.

use super::*;

#[test]
fn bad_commands() {
    for wire in [
        &b"message\n\n\0"[..],
        b"HTTP/1.1 101 Switching Protocols\r\n",
        b"\0",
        b"\rX",
        b"SEN D\n\n\0",
        b"MESSAGEMESSAGE\n\n\0",
        b"FOO\n\n\0",
    ] {
        assert_eq!(err(wire, V12), DecodeError::BadCommand, "{wire:?}");
    }
}

#[test]
fn garbage_is_rejected_before_an_eol_arrives() {
    let mut d = Decoder::default();
    d.push(b"MESS");
    assert_eq!(d.next(), Ok(None));
    d.push(b"age");
    assert_eq!(d.next(), Err(DecodeError::BadCommand));
    let mut d = Decoder::default();
    d.push(b"UNSUBSCRIBE\r");
    assert_eq!(d.next(), Ok(None));
    d.push(b"\n\n\0");
    assert!(matches!(d.next(), Ok(Some(Decoded::Frame(_)))));
    let mut d = Decoder::default();
    d.push(b"UNSUBSCRIBEX\r");
    assert_eq!(d.next(), Err(DecodeError::BadCommand));
}

#[test]
fn lone_cr_between_frames_waits_then_fails_on_anything_but_lf() {
    let mut d = Decoder::default();
    d.push(b"\r");
    assert_eq!(d.next(), Ok(None));
    d.push(b"\n");
    assert_eq!(d.next(), Ok(Some(Decoded::Heartbeat)));
    d.push(b"\r");
    assert_eq!(d.next(), Ok(None));
    d.push(b"M");
    assert_eq!(d.next(), Err(DecodeError::BadCommand));
}

#[test]
fn invalid_content_lengths() {
    for value in [
        "",
        "abc",
        "-1",
        "+1",
        " 5",
        "5 ",
        "0x10",
        "1.0",
        "99999999999999999999999",
    ] {
        let wire = format!("MESSAGE\ncontent-length:{value}\n\n\0");
        assert_eq!(
            err(wire.as_bytes(), V12),
            DecodeError::InvalidContentLength(value.into()),
            "{value:?}"
        );
    }
    assert_eq!(
        DecodeError::InvalidContentLength("abc".into()).to_string(),
        "bad STOMP content-length \"abc\": expected a decimal byte count"
    );
}

#[test]
fn content_length_beyond_the_limit_fails_at_once() {
    let mut d = Decoder::new(limits(100, 10, 100));
    d.push(b"MESSAGE\ncontent-length:101\n");
    assert_eq!(d.next(), Err(DecodeError::FrameTooLarge { limit: 100 }));
    // Head plus body beyond the limit fails as soon as the head ends.
    let mut d = Decoder::new(limits(100, 10, 100));
    d.push(b"MESSAGE\ncontent-length:90\n\n");
    assert_eq!(d.next(), Err(DecodeError::FrameTooLarge { limit: 100 }));
}

#[test]
fn frame_size_limit_is_inclusive() {
    // 8 (command) + 18 (header) + 1 (blank line) + 73 (body) = 100 bytes before the NUL.
    let body = "x".repeat(73);
    let wire = format!("MESSAGE\ncontent-length:73\n\n{body}\0");
    assert!(decode_limits(wire.as_bytes(), limits(100, 10, 100)).is_ok());
    assert_eq!(
        decode_limits(wire.as_bytes(), limits(99, 10, 100)),
        Err(DecodeError::FrameTooLarge { limit: 99 })
    );
    let wire = format!("MESSAGE\n\n{}\0", "x".repeat(91));
    assert!(decode_limits(wire.as_bytes(), limits(100, 10, 100)).is_ok());
    assert_eq!(
        decode_limits(wire.as_bytes(), limits(99, 10, 100)),
        Err(DecodeError::FrameTooLarge { limit: 99 })
    );
}

#[test]
fn incomplete_frame_beyond_the_limit_fails_before_its_end() {
    let mut d = Decoder::new(limits(100, 10, 1000));
    d.push(b"MESSAGE\n\n");
    d.push(&[b'x'; 91]);
    assert_eq!(d.next(), Ok(None));
    d.push(b"x");
    assert_eq!(d.next(), Err(DecodeError::FrameTooLarge { limit: 100 }));
    // Also while the head is still arriving.
    let mut d = Decoder::new(limits(100, 1000, 1000));
    d.push(b"MESSAGE\n");
    for _ in 0..30 {
        d.push(b"a:b\n");
    }
    assert_eq!(d.next(), Err(DecodeError::FrameTooLarge { limit: 100 }));
}

#[test]
fn header_count_limit() {
    let head = "MESSAGE\n".to_owned() + &"a:b\n".repeat(3);
    let ok = format!("{head}\n\0");
    assert!(decode_limits(ok.as_bytes(), limits(1000, 3, 100)).is_ok());
    assert_eq!(
        decode_limits(ok.as_bytes(), limits(1000, 2, 100)),
        Err(DecodeError::TooManyHeaders { limit: 2 })
    );
}

#[test]
fn header_line_limit() {
    let ok = b"MESSAGE\nabc:12345\r\n\n\0";
    assert!(decode_limits(ok, limits(1000, 10, 9)).is_ok());
    assert_eq!(
        decode_limits(ok, limits(1000, 10, 8)),
        Err(DecodeError::HeaderLineTooLong { limit: 8 })
    );
    // A line that outgrows the limit fails before its EOL arrives.
    let mut d = Decoder::new(limits(1000, 10, 9));
    d.push(b"MESSAGE\nabc:12345\r");
    assert_eq!(d.next(), Ok(None));
    d.push(b"6");
    assert_eq!(d.next(), Err(DecodeError::HeaderLineTooLong { limit: 9 }));
}

#[test]
fn after_an_error_the_decoder_refuses_input() {
    let mut d = Decoder::default();
    d.push(b"BOGUS\n\n\0MESSAGE\n\n\0");
    assert_eq!(d.next(), Err(DecodeError::BadCommand));
    assert_eq!(d.buffered(), 0);
    d.push(b"MESSAGE\n\n\0");
    assert_eq!(d.buffered(), 0);
    assert_eq!(d.next(), Err(DecodeError::BadCommand));
}

#[test]
fn every_error_reads_well() {
    let cases = [
        (
            DecodeError::BadCommand,
            "bad STOMP frame: the command line is not a STOMP command",
        ),
        (
            DecodeError::MissingNul { content_length: 5 },
            "bad STOMP frame: no NUL byte after its body of content-length 5",
        ),
        (
            DecodeError::FrameTooLarge { limit: 10 },
            "STOMP frame larger than the limit of 10 bytes (maxFrameSize)",
        ),
        (
            DecodeError::TooManyHeaders { limit: 3 },
            "STOMP frame with more than 3 headers",
        ),
        (
            DecodeError::HeaderLineTooLong { limit: 8 },
            "STOMP header line longer than 8 bytes",
        ),
        (
            DecodeError::InvalidEscape(InvalidEscape::Undefined(b't')),
            "bad STOMP header: undefined escape sequence \"\\t\"",
        ),
    ];
    for (e, msg) in cases {
        assert_eq!(e.to_string(), msg);
    }
    let e: Box<dyn std::error::Error> =
        Box::new(DecodeError::InvalidEscape(InvalidEscape::LoneBackslash));
    assert!(e.source().is_some());
}
