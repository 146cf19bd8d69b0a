#![cfg(not(target_arch = "wasm32"))]
//! Property tests of the STOMP codec: encoded frame streams decode to the same frames however
//! they are chunked, arbitrary bytes never panic, and escaping round-trips per version.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use webstomp_wasm::core::command::Command;
use webstomp_wasm::core::decoder::{DecodeError, Decoded, Decoder, Limits};
use webstomp_wasm::core::encoder::{encode, ContentLength};
use webstomp_wasm::core::escape::{escape, unescape};
use webstomp_wasm::core::frame::Frame;
use webstomp_wasm::core::version::Version;

const COMMANDS: [Command; 10] = [
    Command::Message,
    Command::Receipt,
    Command::Error,
    Command::Connected,
    Command::Send,
    Command::Subscribe,
    Command::Ack,
    Command::Nack,
    Command::Begin,
    Command::Disconnect,
];

/// Characters that stress escaping, line ends and UTF-8 handling.
const CHARS: [char; 18] = [
    'a', 'b', 'n', 'c', 'r', 't', '0', '-', ' ', ':', '\n', '\r', '\\', 'é', '€', '😀', '/', '9',
];

fn version() -> impl Strategy<Value = Version> {
    select(vec![Version::V1_0, Version::V1_1, Version::V1_2])
}

fn text(max: usize) -> impl Strategy<Value = String> {
    vec(select(CHARS.to_vec()), 0..max).prop_map(|cs| cs.into_iter().collect())
}

/// A frame as generated, before it is made encodable for a version.
#[derive(Debug, Clone)]
struct RawFrame {
    heartbeats: Vec<bool>,
    command: Command,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    content_length: bool,
}

fn raw_frame() -> impl Strategy<Value = RawFrame> {
    (
        vec(any::<bool>(), 0..3),
        select(COMMANDS.to_vec()),
        vec((text(8), text(12)), 0..6),
        vec(prop_oneof![Just(0u8), Just(b'\n'), any::<u8>()], 0..48),
        any::<bool>(),
    )
        .prop_map(
            |(heartbeats, command, headers, body, content_length)| RawFrame {
                heartbeats,
                command,
                headers,
                body,
                content_length,
            },
        )
}

/// Makes `raw` encodable in `version` (the encoder refuses the rest, as its unit tests show)
/// and returns the bytes on the wire and what decoding them must give.
fn wire(raw: &RawFrame, version: Version) -> (Vec<u8>, Vec<Decoded>) {
    let escaped = version != Version::V1_0 && !raw.command.is_unescaped();
    let mut frame = Frame::new(raw.command);
    for (name, value) in &raw.headers {
        let mut name = name.clone();
        let mut value = value.clone();
        if !escaped {
            name.retain(|c| !matches!(c, ':' | '\r' | '\n'));
            value.retain(|c| !matches!(c, '\r' | '\n'));
        } else if version == Version::V1_1 {
            while value.ends_with('\r') {
                value.pop();
            }
        }
        if name.is_empty() || name == "content-length" {
            name.insert(0, 'x');
        }
        frame.headers.push(name, value);
    }
    frame.body = raw.body.clone();
    let mode = if raw.content_length {
        ContentLength::Auto
    } else {
        frame.body.retain(|&b| b != 0);
        ContentLength::Omit
    };
    let mut bytes = Vec::new();
    let mut expected = Vec::new();
    for &crlf in &raw.heartbeats {
        bytes.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
        expected.push(Decoded::Heartbeat);
    }
    match encode(&frame, version, mode) {
        Ok(encoded) => bytes.extend_from_slice(&encoded),
        Err(e) => panic!("{e}: {frame:?}"),
    }
    let has_length = matches!(mode, ContentLength::Auto)
        && (!frame.body.is_empty()
            || matches!(
                raw.command,
                Command::Send | Command::Message | Command::Error
            ));
    if has_length {
        let len = frame.body.len().to_string();
        frame.headers.push("content-length", len);
    }
    expected.push(Decoded::Frame(frame));
    (bytes, expected)
}

fn stream() -> impl Strategy<Value = (Version, Vec<u8>, Vec<Decoded>)> {
    (version(), vec(raw_frame(), 1..5)).prop_map(|(version, raws)| {
        let mut bytes = Vec::new();
        let mut expected = Vec::new();
        for raw in &raws {
            let (b, e) = wire(raw, version);
            bytes.extend_from_slice(&b);
            expected.extend(e);
        }
        (version, bytes, expected)
    })
}

/// Decodes `chunks` in order: everything yielded before the first error, and that error.
fn decode<'a>(
    chunks: impl IntoIterator<Item = &'a [u8]>,
    version: Version,
    limits: Limits,
) -> (Vec<Decoded>, Option<DecodeError>) {
    let mut decoder = Decoder::new(limits);
    decoder.set_version(version);
    let mut out = Vec::new();
    for chunk in chunks {
        decoder.push(chunk);
        loop {
            match decoder.next() {
                Ok(Some(x)) => out.push(x),
                Ok(None) => break,
                Err(e) => return (out, Some(e)),
            }
        }
    }
    (out, None)
}

/// Cuts `bytes` into pieces whose sizes cycle through `sizes` (each at least 1).
fn chunked<'a>(bytes: &'a [u8], sizes: &[usize]) -> Vec<&'a [u8]> {
    let mut pieces = Vec::new();
    let mut rest = bytes;
    for &size in sizes.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (piece, tail) = rest.split_at(size.clamp(1, rest.len()));
        pieces.push(piece);
        rest = tail;
    }
    pieces
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_two_chunk_split_decodes_the_same((version, bytes, expected) in stream()) {
        let (whole, error) = decode([bytes.as_slice()], version, Limits::default());
        prop_assert_eq!(error, None);
        prop_assert_eq!(&whole, &expected);
        for i in 0..=bytes.len() {
            let (a, b) = bytes.split_at(i);
            let (got, error) = decode([a, b], version, Limits::default());
            prop_assert_eq!(error, None, "split at {}", i);
            prop_assert_eq!(&got, &expected, "split at {}", i);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn random_chunkings_decode_the_same(
        (version, bytes, expected) in stream(),
        sizes in vec(1usize..40, 1..20),
    ) {
        let (got, error) = decode(chunked(&bytes, &sizes), version, Limits::default());
        prop_assert_eq!(error, None);
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_chunking_does_not_matter(
        bytes in vec(any::<u8>(), 0..400),
        sizes in vec(1usize..50, 1..10),
        version in version(),
    ) {
        check_any_input(&bytes, &sizes, version)?;
    }

    #[test]
    fn stomp_like_noise_never_panics_and_chunking_does_not_matter(
        tokens in vec(select(vec![
            "MESSAGE\n", "CONNECTED\r\n", "ERROR\n", "RECEIPT", "\n", "\r\n", "\r", "\0",
            "content-length:", "content-length:3\n", "0", "7", "99999999999999999999999",
            "a:b\n", "k\\c:v\\n\n", "\\t", "\\", ":", "é", "\u{20ac}", "\u{ff}", "x",
        ]), 0..60),
        sizes in vec(1usize..50, 1..10),
        version in version(),
    ) {
        let bytes: Vec<u8> = tokens.concat().into_bytes();
        check_any_input(&bytes, &sizes, version)?;
    }

    #[test]
    fn escape_round_trips(s in any::<String>(), t in text(24)) {
        for s in [&s, &t] {
            prop_assert_eq!(escape(s, Version::V1_0), s.as_str());
            for v in [Version::V1_1, Version::V1_2] {
                let escaped = escape(s, v);
                prop_assert!(!escaped.contains('\n') && !escaped.contains(':'));
                if v == Version::V1_2 {
                    prop_assert!(!escaped.contains('\r'));
                }
                prop_assert_eq!(unescape(escaped.as_bytes(), v).unwrap(), s.as_str());
            }
        }
    }

    #[test]
    fn unescape_never_panics(bytes in vec(any::<u8>(), 0..64), version in version()) {
        if let Ok(s) = unescape(&bytes, version) {
            if !bytes.contains(&b'\\') || version == Version::V1_0 {
                prop_assert_eq!(s, String::from_utf8_lossy(&bytes));
            }
        }
    }
}

/// Decodes `bytes` whole and chunked under tight limits: no panic, and the same frames and
/// the same success or failure both ways.
fn check_any_input(bytes: &[u8], sizes: &[usize], version: Version) -> Result<(), TestCaseError> {
    let limits = Limits {
        max_frame_size: 200,
        max_headers: 8,
        max_header_line: 40,
    };
    let (whole, whole_err) = decode([bytes], version, limits);
    let (parts, parts_err) = decode(chunked(bytes, sizes), version, limits);
    prop_assert_eq!(whole, parts);
    prop_assert_eq!(whole_err.is_some(), parts_err.is_some());
    Ok(())
}
