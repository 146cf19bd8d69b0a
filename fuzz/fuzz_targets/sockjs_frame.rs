//! Arbitrary text to the SockJS frame parser, the /info parser and the streaming splitter:
//! never a panic; encoded messages always parse back to themselves.
#![no_main]

use libfuzzer_sys::fuzz_target;
use webstomp_wasm::core::sockjs::{encode_messages, parse_frame, Info, SockJsFrame, StreamSplitter};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse_frame(text);
        let _ = Info::parse(text);
        let encoded = String::from("a") + &encode_messages([text, "x"]);
        match parse_frame(&encoded) {
            Ok(SockJsFrame::Messages(m)) => assert_eq!(m, vec![text.to_owned(), "x".to_owned()]),
            other => panic!("encoded messages did not parse back: {other:?}"),
        }
    }
    let mut splitter = StreamSplitter::new(4096);
    for chunk in data.chunks(7) {
        splitter.push(chunk);
        while let Ok(Some(frame)) = splitter.next_frame() {
            let _ = parse_frame(&frame);
        }
    }
});
