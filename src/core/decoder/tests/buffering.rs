//! Buffer management: what is kept, moved and released, and linear scanning.

use super::*;

#[test]
fn buffered_counts_undecoded_bytes() {
    let mut d = Decoder::default();
    assert_eq!(d.buffered(), 0);
    d.push(b"MESSAGE\n\nab\0MESS");
    assert_eq!(d.buffered(), 16);
    assert!(matches!(d.next(), Ok(Some(Decoded::Frame(_)))));
    assert_eq!(d.buffered(), 4);
    assert_eq!(d.next(), Ok(None));
    assert_eq!(d.buffered(), 4);
}

#[test]
fn memory_returns_after_a_large_frame() {
    let mut d = Decoder::default();
    let big = vec![b'x'; 1 << 20];
    d.push(b"MESSAGE\n\n");
    for chunk in big.chunks(64 * 1024) {
        d.push(chunk);
        assert_eq!(d.next(), Ok(None));
    }
    assert!(d.buf.capacity() >= 1 << 20);
    d.push(b"\0MESSAGE\n\n");
    match d.next() {
        Ok(Some(Decoded::Frame(f))) => assert_eq!(f.body.len(), 1 << 20),
        other => panic!("{other:?}"),
    }
    // The start of the next frame is still buffered; the next push drops the big prefix.
    assert_eq!(d.next(), Ok(None));
    d.push(b"y");
    assert!(d.buf.capacity() <= RELEASE_ABOVE, "{}", d.buf.capacity());
    d.push(b"\0");
    assert!(matches!(d.next(), Ok(Some(Decoded::Frame(_)))));
    assert_eq!(d.buffered(), 0);

    // With nothing left over, the buffer goes at once.
    let mut d = Decoder::default();
    d.push(b"MESSAGE\n\n");
    d.push(&big);
    d.push(b"\0");
    assert!(matches!(d.next(), Ok(Some(Decoded::Frame(_)))));
    assert_eq!(d.buf.capacity(), 0);
}

#[test]
fn consumed_bytes_are_dropped_as_frames_stream_through() {
    let one_frame = b"MESSAGE\ndestination:/q\ncontent-length:3\n\nabc\0\n";
    let stream: Vec<u8> = one_frame
        .iter()
        .copied()
        .cycle()
        .take(one_frame.len() * 1000)
        .collect();
    let mut d = Decoder::default();
    let mut frames = 0;
    for chunk in stream.chunks(100) {
        d.push(chunk);
        while let Some(x) = d.next().unwrap() {
            if let Decoded::Frame(_) = x {
                frames += 1;
            }
        }
        assert!(d.buf.len() < 300, "{}", d.buf.len());
    }
    assert_eq!(frames, 1000);
}

#[test]
fn a_large_frame_in_small_chunks_is_scanned_once() {
    // Quadratic rescanning would take minutes here; linear work takes milliseconds.
    let mut d = Decoder::new(limits(1 << 30, 100_000, 100));
    d.push(b"MESSAGE\n");
    for _ in 0..20_000 {
        d.push(b"header:value\n");
        assert_eq!(d.next(), Ok(None));
    }
    let mut d = Decoder::new(limits(1 << 30, 10, 100));
    d.push(b"MESSAGE\n\n");
    let chunk = [b'x'; 16];
    for _ in 0..(8 << 20) / 16 {
        d.push(&chunk);
        assert_eq!(d.next(), Ok(None));
    }
    d.push(b"\0");
    assert!(matches!(d.next(), Ok(Some(Decoded::Frame(_)))));
}
