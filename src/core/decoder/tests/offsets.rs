//! Stream offsets: `position()` counts every pushed byte, and `body_at()` says where each
//! frame's body was in the input, however it was chunked.

use super::*;

const STREAM: &[u8] = b"\nMESSAGE\nsubscription:0\ncontent-length:5\n\nab\0cd\0\r\n\
MESSAGE\r\nsubscription:0\r\n\r\nplain body\0\n\nRECEIPT\nreceipt-id:7\n\n\0\
MESSAGE\nsubscription:1\n\n\xc3\xa9t\xc3\xa9\0";

/// Each frame's body and its `body_at`, pushing `stream` in chunks of `size` bytes.
fn bodies(stream: &[u8], size: usize, start: u64) -> Vec<(Vec<u8>, u64)> {
    let mut d = Decoder::starting_at(Limits::default(), start);
    d.set_version(V12);
    let mut out = Vec::new();
    let mut pushed = 0;
    for chunk in stream.chunks(size) {
        d.push(chunk);
        pushed += chunk.len() as u64;
        while let Some(x) = d.next().unwrap() {
            if let Decoded::Frame(frame) = x {
                let command = frame.command.as_str().as_bytes();
                let at = (d.frame_at() - start) as usize;
                assert_eq!(&stream[at..at + command.len()], command);
                out.push((frame.body, d.body_at()));
            }
        }
        assert_eq!(d.position(), start + pushed);
    }
    assert_eq!(d.position(), start + stream.len() as u64);
    out
}

#[test]
fn body_offsets_point_into_the_input_in_any_chunking() {
    for size in 1..=STREAM.len() {
        for start in [0, 1000] {
            let found = bodies(STREAM, size, start);
            assert_eq!(found.len(), 4, "chunks of {size}");
            for (body, at) in found {
                let at = (at - start) as usize;
                assert_eq!(&STREAM[at..at + body.len()], &body[..], "chunks of {size}");
            }
        }
    }
}

#[test]
fn a_new_decoder_continues_the_numbering() {
    let mut d = Decoder::new(Limits::default());
    d.push(b"MESSAGE\n\nx\0MESS");
    assert!(matches!(d.next(), Ok(Some(Decoded::Frame(_)))));
    assert_eq!(d.body_at(), 9);
    assert_eq!(d.position(), 15);
    let mut next = Decoder::starting_at(Limits::default(), d.position());
    next.push(b"MESSAGE\n\nyz\0");
    assert!(matches!(next.next(), Ok(Some(Decoded::Frame(_)))));
    assert_eq!(next.body_at(), 15 + 9);
    assert_eq!(next.position(), 15 + 12);
}

#[test]
fn the_position_keeps_counting_past_an_error() {
    let mut d = Decoder::new(Limits::default());
    d.push(b"NOPE\n\n\0");
    assert!(d.next().is_err());
    assert_eq!(d.position(), 7);
}
