//! Arbitrary bytes, cut into arbitrary chunks, fed to the STOMP decoder under each version:
//! it must never panic, must give the same result whatever the chunking, and must say where
//! each frame and its body were in the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use webstomp_wasm::core::decoder::{Decoded, Decoder, Limits};
use webstomp_wasm::core::version::Version;

fn decode(data: &[u8], cuts: &[usize], version: Version) -> Vec<String> {
    let limits = Limits {
        max_frame_size: 4096,
        max_headers: 16,
        max_header_line: 256,
    };
    let mut decoder = Decoder::new(limits);
    decoder.set_version(version);
    let mut out = Vec::new();
    let mut start = 0;
    for &cut in cuts.iter().chain(std::iter::once(&data.len())) {
        let end = cut.clamp(start, data.len());
        decoder.push(&data[start..end]);
        start = end;
        loop {
            match decoder.next() {
                Ok(Some(d)) => {
                    if let Decoded::Frame(frame) = &d {
                        let at = decoder.frame_at() as usize;
                        let body = decoder.body_at() as usize;
                        assert!(data[at..].starts_with(frame.command.as_str().as_bytes()));
                        assert_eq!(&data[body..body + frame.body.len()], &frame.body[..]);
                    }
                    out.push(format!("{d:?}"))
                }
                Ok(None) => break,
                Err(e) => {
                    out.push(format!("error: {e}"));
                    return out;
                }
            }
        }
    }
    out
}

fuzz_target!(|input: &[u8]| {
    let Some((&control, data)) = input.split_first() else {
        return;
    };
    let version = match control % 3 {
        0 => Version::V1_0,
        1 => Version::V1_1,
        _ => Version::V1_2,
    };
    let step = usize::from(control / 3).max(1);
    let cuts: Vec<usize> = (step..data.len()).step_by(step).collect();
    let whole = decode(data, &[], version);
    let chunked = decode(data, &cuts, version);
    // Errors may be detected at a different point (e.g. a size limit) but frames before them
    // must match.
    let frames = |v: &[String]| v.iter().filter(|s| !s.starts_with("error")).cloned().collect::<Vec<_>>();
    assert_eq!(frames(&whole), frames(&chunked));
});
