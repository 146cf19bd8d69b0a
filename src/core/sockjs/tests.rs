//! Cross-module tests: encode/decode round trips, the sockjs-protocol 0.3.3 `JSONEncoding`
//! vectors, and property tests that no input panics.

use super::encode::needs_escape;
use super::*;

fn round_trip(messages: &[String]) -> Result<SockJsFrame, FrameError> {
    parse_frame(&(String::from("a") + &encode_messages(messages)))
}

fn assert_round_trips(messages: &[String]) {
    assert_eq!(
        round_trip(messages),
        Ok(SockJsFrame::Messages(messages.to_vec())),
        "{messages:?}"
    );
}

/// Characters nothing may carry verbatim on the wire after quoting.
fn assert_wire_safe(encoded: &str) {
    for c in encoded.chars() {
        assert!(!needs_escape(c), "U+{:04X} left verbatim", u32::from(c));
    }
}

#[test]
fn round_trip_awkward_strings() {
    let cases = [
        "",
        "\"",
        "\\",
        "\\n",
        "\\u0000",
        "\0",
        "\0\0\n\0",
        "a\"b\\c/d",
        "\u{1}\u{8}\u{9}\u{a}\u{c}\u{d}\u{1f}\u{7f}\u{80}\u{9f}",
        "\u{2028}\u{2029}",
        "😀 \u{10000} \u{10ffff} 𝄞",
        "\u{fffd}\u{fffe}\u{ffff}\u{feff}",
        "CONNECT\naccept-version:1.2\nheart-beat:10000,10000\n\n\0",
        "  leading and trailing  ",
        "]\",[\"",
    ];
    let messages: Vec<String> = cases.iter().map(|s| s.to_string()).collect();
    assert_round_trips(&messages);
    for m in &messages {
        assert_round_trips(std::slice::from_ref(m));
    }
    assert_round_trips(&[]);
    assert_wire_safe(&encode_messages(&messages));
}

/// sockjs-protocol 0.3.3 `test_xhr_server_decodes`: the client sends every character of
/// `escapable_by_client` escaped; a server must decode it back. Here: every BMP scalar value
/// and a sample of astral ones round-trip, and none travels verbatim if escapable.
#[test]
fn every_code_point_round_trips() {
    let all: String = (0u32..=0x10ffff)
        .filter(|&cp| cp <= 0xffff || cp % 97 == 0)
        .filter_map(char::from_u32)
        .collect();
    let encoded = encode_messages([all.as_str()]);
    assert_wire_safe(&encoded);
    assert_round_trips(&[all]);
}

/// sockjs-protocol 0.3.3 `test_xhr_server_encodes`: the server sends the characters of
/// `escapable_by_server` (from U+00FF) as `\uXXXX`; the client decodes them.
#[test]
fn server_escaped_characters_decode() {
    let ranges = [
        (0x200c, 0x200f),
        (0x2028, 0x202f),
        (0x2060, 0x206f),
        (0xfff0, 0xffff),
    ];
    let mut frame = String::from("a[\"");
    let mut expected = String::new();
    for (lo, hi) in ranges {
        for cp in lo..=hi {
            frame.push_str("\\u");
            for shift in [12, 8, 4, 0] {
                frame.push(char::from_digit((cp >> shift) & 0xf, 16).unwrap_or('0'));
            }
            expected.extend(char::from_u32(cp));
        }
    }
    frame.push_str("\"]");
    assert_eq!(
        parse_frame(&frame),
        Ok(SockJsFrame::Messages(vec![expected]))
    );
}

/// A whole xhr-streaming session as the protocol suite shows it, split at every byte.
#[test]
fn streamed_session_decodes() {
    let mut body = vec![b'h'; 2048];
    body.extend_from_slice(b"\no\n");
    body.extend_from_slice(b"a[\"x\"]\n");
    body.extend_from_slice(format!("a[\"{}\"]\n", "x".repeat(128)).as_bytes());
    body.extend_from_slice(b"c[3000,\"Go away!\"]\n");
    let mut splitter = StreamSplitter::default();
    let mut frames = Vec::new();
    for byte in &body {
        splitter.push(std::slice::from_ref(byte));
        while let Ok(Some(f)) = splitter.next_frame() {
            frames.push(parse_frame(&f));
        }
    }
    assert_eq!(
        frames,
        [
            Ok(SockJsFrame::Open),
            Ok(SockJsFrame::Messages(vec!["x".into()])),
            Ok(SockJsFrame::Messages(vec!["x".repeat(128)])),
            Ok(SockJsFrame::Close {
                code: 3000,
                reason: "Go away!".into()
            }),
        ]
    );
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::super::json;
    use super::*;
    use proptest::prelude::*;

    /// Short texts made of the characters JSON and SockJS frames are made of.
    const JSON_ISH: &str = "[oahmc\\[\\]{}\",:0-9.eE+\\- \\\\u/ntrfbdDaA\u{2028}😀é\n]{0,64}";

    proptest! {
        #[test]
        fn encode_then_parse_round_trips(messages in proptest::collection::vec(any::<String>(), 0..5)) {
            let encoded = encode_messages(&messages);
            for c in encoded.chars() {
                prop_assert!(!needs_escape(c));
            }
            prop_assert_eq!(
                parse_frame(&(String::from("a") + &encoded)),
                Ok(SockJsFrame::Messages(messages))
            );
        }

        #[test]
        fn parse_frame_never_panics(text in any::<String>()) {
            let _ = parse_frame(&text);
        }

        #[test]
        fn parsers_never_panic_on_json_ish_text(text in JSON_ISH) {
            let _ = parse_frame(&text);
            let _ = json::parse(&text);
            let _ = Info::parse(&text);
            let _ = BaseUrl::parse(&text);
        }

        #[test]
        fn info_and_url_never_panic(text in any::<String>()) {
            let _ = Info::parse(&text);
            if let Ok(base) = BaseUrl::parse(&text) {
                let id = SessionId::from_random([7; 10]);
                let _ = base.info_url(1);
                let _ = base.websocket_url(&id);
                let _ = base.session_url(&id, Endpoint::XhrSend);
            }
        }

        #[test]
        fn splitter_is_chunking_independent(
            body in proptest::collection::vec(
                prop_oneof![Just(b'\n'), Just(b'h'), Just(b'o'), Just(0xe2), Just(0x80), Just(0xa8), any::<u8>()],
                0..300,
            ),
            cuts in proptest::collection::vec(0usize..300, 0..6),
        ) {
            let collect = |chunks: &[&[u8]]| {
                let mut s = StreamSplitter::new(0);
                let mut out = Vec::new();
                for chunk in chunks {
                    s.push(chunk);
                    loop {
                        match s.next_frame() {
                            Ok(Some(f)) => out.push(Ok(f)),
                            Ok(None) => break,
                            Err(e) => {
                                out.push(Err(e));
                                break;
                            }
                        }
                    }
                }
                out.dedup();
                out
            };
            let whole = collect(&[&body]);
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(body.len())).collect();
            cuts.sort_unstable();
            let mut chunks: Vec<&[u8]> = Vec::new();
            let mut at = 0;
            for c in cuts {
                chunks.push(body.get(at..c).unwrap_or_default());
                at = c;
            }
            chunks.push(body.get(at..).unwrap_or_default());
            prop_assert_eq!(whole, collect(&chunks));
        }
    }
}
