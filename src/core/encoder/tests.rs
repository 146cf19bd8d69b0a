use super::*;
use crate::core::decoder::{Decoded, Decoder, Limits};

const V10: Version = Version::V1_0;
const V11: Version = Version::V1_1;
const V12: Version = Version::V1_2;
const ALL: [Version; 3] = [V10, V11, V12];

fn auto(frame: &Frame, version: Version) -> Result<Vec<u8>, EncodeError> {
    encode(frame, version, ContentLength::Auto)
}

fn omit(frame: &Frame, version: Version) -> Result<Vec<u8>, EncodeError> {
    encode(frame, version, ContentLength::Omit)
}

fn decode_one(bytes: &[u8], version: Version) -> Frame {
    let mut d = Decoder::new(Limits::default());
    d.set_version(version);
    d.push(bytes);
    let frame = match d.next() {
        Ok(Some(Decoded::Frame(f))) => f,
        other => panic!("{other:?}"),
    };
    assert_eq!(d.next(), Ok(None));
    assert_eq!(d.buffered(), 0);
    frame
}

#[test]
fn spec_send_example() {
    let f = Frame::new(Command::Send)
        .header("destination", "/queue/a")
        .header("content-type", "text/plain")
        .body("hello queue a");
    assert_eq!(
        omit(&f, V12).unwrap(),
        b"SEND\ndestination:/queue/a\ncontent-type:text/plain\n\nhello queue a\0"
    );
    assert_eq!(
        auto(&f, V12).unwrap(),
        b"SEND\ndestination:/queue/a\ncontent-type:text/plain\ncontent-length:13\n\nhello queue a\0"
    );
}

#[test]
fn spec_connect_example_is_not_escaped() {
    let f = Frame::new(Command::Connect)
        .header("accept-version", "1.0,1.1,2.0")
        .header("host", "stomp.github.org")
        .header("passcode", "a\\b:c");
    assert_eq!(
        auto(&f, V12).unwrap(),
        b"CONNECT\naccept-version:1.0,1.1,2.0\nhost:stomp.github.org\npasscode:a\\b:c\n\n\0"
    );
}

#[test]
fn content_length_auto_rules() {
    for cmd in [Command::Send, Command::Message, Command::Error] {
        let bytes = auto(&Frame::new(cmd), V12).unwrap();
        let expected = format!("{}\ncontent-length:0\n\n\0", cmd.as_str());
        assert_eq!(bytes, expected.as_bytes());
    }
    let bytes = auto(&Frame::new(Command::Subscribe).header("id", "0"), V12).unwrap();
    assert_eq!(bytes, b"SUBSCRIBE\nid:0\n\n\0");
    let bytes = auto(&Frame::new(Command::Ack).body("x"), V12).unwrap();
    assert_eq!(bytes, b"ACK\ncontent-length:1\n\nx\0");
}

#[test]
fn content_length_in_headers_is_replaced_or_dropped() {
    let f = Frame::new(Command::Send)
        .header("content-length", "999")
        .header("destination", "/q")
        .header("content-length", "1")
        .body("abc");
    assert_eq!(
        auto(&f, V12).unwrap(),
        b"SEND\ndestination:/q\ncontent-length:3\n\nabc\0"
    );
    assert_eq!(omit(&f, V12).unwrap(), b"SEND\ndestination:/q\n\nabc\0");
}

#[test]
fn nul_body_needs_content_length() {
    let f = Frame::new(Command::Send).body(&b"a\0b"[..]);
    assert_eq!(omit(&f, V12), Err(EncodeError::NulInBody));
    let bytes = auto(&f, V12).unwrap();
    assert_eq!(bytes, b"SEND\ncontent-length:3\n\na\0b\0");
    assert_eq!(decode_one(&bytes, V12), f.header("content-length", "3"));
}

#[test]
fn large_content_length_digits() {
    let f = Frame::new(Command::Send).body(vec![b'x'; 1_234_567]);
    let bytes = auto(&f, V12).unwrap();
    assert!(bytes.starts_with(b"SEND\ncontent-length:1234567\n\n"));
    let mut out = Vec::new();
    write_decimal(&mut out, usize::MAX);
    assert_eq!(out, usize::MAX.to_string().as_bytes());
    out.clear();
    write_decimal(&mut out, 0);
    assert_eq!(out, b"0");
}

#[test]
fn escaping_per_version() {
    let f = Frame::new(Command::Message)
        .header("k:e\\y", "a\r\nb:c\\d")
        .body("x");
    assert_eq!(
        auto(&f, V12).unwrap(),
        b"MESSAGE\nk\\ce\\\\y:a\\r\\nb\\cc\\\\d\ncontent-length:1\n\nx\0"
    );
    let f11 = Frame::new(Command::Message).header("k:e\\y", "a\rb\nc");
    assert_eq!(
        auto(&f11, V11).unwrap(),
        b"MESSAGE\nk\\ce\\\\y:a\rb\\nc\ncontent-length:0\n\n\0"
    );
}

#[test]
fn injection_is_refused_where_nothing_is_escaped() {
    let unescaped = [
        (V10, Command::Send),
        (V11, Command::Connect),
        (V12, Command::Connect),
        (V12, Command::Stomp),
        (V12, Command::Connected),
    ];
    for (v, cmd) in unescaped {
        let value_err = EncodeError::InvalidHeaderValue { name: "h".into() };
        for value in ["a\nb", "a\rb", "\n", "x\r"] {
            let f = Frame::new(cmd).header("h", value);
            assert_eq!(
                auto(&f, v),
                Err(value_err.clone()),
                "{v:?} {cmd:?} {value:?}"
            );
        }
        for name in ["a:b", "a\nb", "a\r"] {
            let f = Frame::new(cmd).header(name, "v");
            assert_eq!(
                auto(&f, v),
                Err(EncodeError::InvalidHeaderName(name.into())),
                "{v:?} {cmd:?} {name:?}"
            );
        }
        // A colon in a value is fine: the name ends at the first colon.
        let f = Frame::new(cmd).header("h", "a:b");
        assert_eq!(
            decode_one(&auto(&f, v).unwrap(), v).headers.get("h"),
            Some("a:b")
        );
    }
}

#[test]
fn nul_and_empty_names_are_refused_everywhere() {
    for v in ALL {
        for cmd in [Command::Send, Command::Connect] {
            let f = Frame::new(cmd).header("a\0", "v");
            assert_eq!(
                auto(&f, v),
                Err(EncodeError::NulInHeader { name: "a\0".into() })
            );
            let f = Frame::new(cmd).header("h", "x\0y");
            assert_eq!(
                auto(&f, v),
                Err(EncodeError::NulInHeader { name: "h".into() })
            );
            let f = Frame::new(cmd).header("", "v");
            assert_eq!(auto(&f, v), Err(EncodeError::EmptyHeaderName));
        }
    }
}

#[test]
fn trailing_cr_in_a_1_1_value_is_refused() {
    let f = Frame::new(Command::Send).header("h", "x\r");
    assert_eq!(
        auto(&f, V11),
        Err(EncodeError::TrailingCarriageReturn { name: "h".into() })
    );
    // 1.2 escapes it.
    assert_eq!(
        decode_one(&auto(&f, V12).unwrap(), V12).headers.get("h"),
        Some("x\r")
    );
}

#[test]
fn encode_into_appends_and_restores_on_error() {
    let mut out = b"previous".to_vec();
    let ok = Frame::new(Command::Disconnect).header("receipt", "r-1");
    encode_into(&mut out, &ok, V12, ContentLength::Auto).unwrap();
    assert_eq!(out, b"previousDISCONNECT\nreceipt:r-1\n\n\0");
    let snapshot = out.clone();
    // The bad header comes after a good one, so part of the frame was written already.
    let bad = Frame::new(Command::Send)
        .header("destination", "/q")
        .header("h", "a\0");
    assert!(encode_into(&mut out, &bad, V12, ContentLength::Auto).is_err());
    assert_eq!(out, snapshot);
}

#[test]
fn round_trips_every_version() {
    let tricky = "é€😀 a:b\\n\\c";
    for v in ALL {
        for cmd in [
            Command::Send,
            Command::Message,
            Command::Error,
            Command::Receipt,
            Command::Connected,
            Command::Subscribe,
        ] {
            let escaped = v != V10 && !cmd.is_unescaped();
            let value = if escaped {
                format!("{tricky}\n\r:\\")
            } else {
                tricky.to_owned()
            };
            let name = if escaped { "n:a\\m\ne" } else { "name\\n" };
            let f = Frame::new(cmd)
                .header("destination", "/queue/a")
                .header(name, value.as_str())
                .header("dup", "1")
                .header("dup", "2")
                .body(&b"body\0with nul"[..]);
            let bytes = auto(&f, v).unwrap();
            let expected = f.clone().header("content-length", "13");
            assert_eq!(decode_one(&bytes, v), expected, "{v:?} {cmd:?}");

            let f = f.body("no nul");
            let bytes = omit(&f, v).unwrap();
            assert_eq!(decode_one(&bytes, v), f, "{v:?} {cmd:?}");
        }
    }
}

#[test]
fn every_error_reads_well() {
    let cases = [
        (
            EncodeError::InvalidHeaderName("a:b".into()),
            "invalid header name \"a:b\": ':', CR and LF cannot be sent in STOMP 1.0 or in CONNECT/STOMP/CONNECTED frames",
        ),
        (
            EncodeError::InvalidHeaderValue { name: "login".into() },
            "invalid value for header \"login\": CR and LF cannot be sent in STOMP 1.0 or in CONNECT/STOMP/CONNECTED frames",
        ),
        (
            EncodeError::TrailingCarriageReturn { name: "h".into() },
            "invalid value for header \"h\": a value ending in CR cannot be sent in STOMP 1.1",
        ),
        (
            EncodeError::NulInHeader { name: "h".into() },
            "invalid header \"h\": header names and values cannot hold a NUL byte",
        ),
        (EncodeError::EmptyHeaderName, "invalid header: empty header name"),
        (
            EncodeError::NulInBody,
            "a body holding a NUL byte needs a content-length header (it would end the frame early)",
        ),
    ];
    for (e, msg) in cases {
        assert_eq!(e.to_string(), msg);
    }
}

#[test]
fn values_never_appear_in_errors() {
    let f = Frame::new(Command::Connect).header("passcode", "s3cret\n");
    let e = auto(&f, V12).unwrap_err();
    assert!(!e.to_string().contains("s3cret"));
}
