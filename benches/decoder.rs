//! Decoder throughput: 100,000 RabbitMQ-style MESSAGE frames with ~100-byte JSON bodies, fed
//! (a) one frame per push, as one WebSocket message per frame arrives, and (b) in 64 KiB
//! chunks, as a busy stream arrives. Prints the median of several runs.
//!
//! Run with `cargo bench --bench decoder`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use webstomp_wasm::core::decoder::{Decoded, Decoder, Limits};
use webstomp_wasm::core::version::Version;

const FRAMES: usize = 100_000;
const CHUNK: usize = 64 * 1024;
const RUNS: usize = 7;

/// The frames on the wire, and where each one ends.
fn stream() -> (Vec<u8>, Vec<usize>) {
    let mut bytes = Vec::new();
    let mut ends = Vec::with_capacity(FRAMES);
    for i in 0..FRAMES {
        let body = format!(
            "{{\"symbol\":\"ACME\",\"price\":{}.{:02},\"qty\":{},\"side\":\"buy\",\"seq\":{i},\"ts\":{}}}",
            100 + i % 50,
            i % 100,
            (i % 9 + 1) * 100,
            1_700_000_000_000u64 + i as u64,
        );
        let frame = format!(
            "MESSAGE\ndestination:/topic/prices.acme\nmessage-id:T_sub-0@@session-Wq2bEJzKbyx3@@{i}\nsubscription:sub-0\nack:{i}\ncontent-type:application/json\ncontent-length:{}\n\n{body}\0\n",
            body.len()
        );
        bytes.extend_from_slice(frame.as_bytes());
        ends.push(bytes.len());
    }
    (bytes, ends)
}

/// Pushes each piece and drains the decoder after it; returns the frames decoded.
fn run<'a>(pieces: impl Iterator<Item = &'a [u8]>) -> usize {
    let mut decoder = Decoder::new(Limits::default());
    decoder.set_version(Version::V1_2);
    let mut frames = 0;
    let mut body_bytes = 0;
    for piece in pieces {
        decoder.push(piece);
        loop {
            match decoder.next() {
                Ok(Some(Decoded::Frame(frame))) => {
                    frames += 1;
                    body_bytes += black_box(frame).body.len();
                }
                Ok(Some(Decoded::Heartbeat)) => {}
                Ok(None) => break,
                Err(e) => panic!("bench stream failed to decode: {e}"),
            }
        }
    }
    black_box(body_bytes);
    frames
}

fn report(name: &str, bytes: usize, mut times: Vec<Duration>) {
    times.sort();
    let median = times[times.len() / 2].as_secs_f64();
    let best = times[0].as_secs_f64();
    println!(
        "{name:<26} median {:>8.2} ms  {:>10.0} frames/s  {:>8.1} MB/s   (best {:.0} frames/s)",
        median * 1e3,
        FRAMES as f64 / median,
        bytes as f64 / median / 1e6,
        FRAMES as f64 / best,
    );
}

fn main() {
    let (bytes, ends) = stream();
    println!(
        "{FRAMES} MESSAGE frames, {} bytes ({} bytes each on average), {RUNS} runs",
        bytes.len(),
        bytes.len() / FRAMES
    );

    let frames: Vec<&[u8]> = std::iter::once(0)
        .chain(ends.iter().copied())
        .zip(ends.iter().copied())
        .map(|(start, end)| &bytes[start..end])
        .collect();

    let mut per_frame = Vec::with_capacity(RUNS);
    let mut chunked = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        assert_eq!(run(frames.iter().copied()), FRAMES);
        per_frame.push(t.elapsed());

        let t = Instant::now();
        assert_eq!(run(bytes.chunks(CHUNK)), FRAMES);
        chunked.push(t.elapsed());
    }
    report("(a) one frame per push", bytes.len(), per_frame);
    report("(b) 64 KiB chunks", bytes.len(), chunked);
}
