//! Splitting HTTP response bodies into SockJS frames.
//!
//! The xhr-streaming response (`POST .../xhr_streaming`) starts with a prelude of 2048 `h`
//! and `\n` (sockjs-protocol 0.3.3, `XhrStreaming.test_transport`), then carries one frame per
//! `\n`-terminated line until the server ends it (after 128 KiB by default); the client then
//! opens a new one. An xhr-polling response (`POST .../xhr`) is one frame and a `\n`.
//! sockjs-client (`lib/transport/receiver/xhr.js`) emits every complete non-empty line and
//! drops an unterminated rest when the response ends.

use std::fmt;

use crate::text::{concat, decimal};

/// The default longest line [`StreamSplitter`] accepts: 32 MiB, room for a 16 MiB STOMP
/// frame with JSON escaping.
pub const DEFAULT_MAX_LINE: usize = 32 * 1024 * 1024;

/// The smallest line limit [`StreamSplitter::new`] uses, so the 2049-byte prelude always fits.
pub const MIN_MAX_LINE: usize = 4096;

/// Why the stream cannot be split further. After an error the splitter stays failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamError {
    /// A line (or the unterminated rest) is longer than the limit.
    LineTooLong {
        /// The limit in bytes.
        limit: usize,
    },
    /// A line is not valid UTF-8.
    InvalidUtf8,
    /// The response starts with `h` characters that do not end the line.
    BadPrelude,
}

impl StreamError {
    /// The error's message (its `Display` text), built without `core::fmt`.
    pub fn message(&self) -> String {
        match self {
            StreamError::LineTooLong { limit } => concat(&[
                "SockJS frame longer than ",
                &decimal(*limit as u64),
                " bytes",
            ]),
            StreamError::InvalidUtf8 => "SockJS frame is not valid UTF-8".into(),
            StreamError::BadPrelude => "malformed xhr-streaming prelude".into(),
        }
    }
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for StreamError {}

/// Where the splitter is in the prelude.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prelude {
    /// Nothing but `h` (this many) seen so far.
    Pending(usize),
    /// Past the prelude (or there was none).
    Done,
}

/// Splits one xhr-streaming response body into frames: push body chunks as they arrive
/// (split anywhere, even inside a UTF-8 character), pull complete lines.
///
/// The prelude line of `h` is skipped; empty lines are skipped; the `\n` is not part of the
/// frame. Work is linear in the bytes pushed, and memory is bounded by the line limit plus
/// the chunk being pushed. Use a new splitter (or [`StreamSplitter::reset`]) per response.
///
/// ```
/// use webstomp_wasm::core::sockjs::StreamSplitter;
/// let mut s = StreamSplitter::default();
/// s.push(&[b'h'; 2048]);
/// s.push(b"\no\na[\"x");
/// assert_eq!(s.next_frame(), Ok(Some("o".to_string())));
/// assert_eq!(s.next_frame(), Ok(None));
/// s.push(b"\"]\n");
/// assert_eq!(s.next_frame(), Ok(Some("a[\"x\"]".to_string())));
/// ```
#[derive(Debug, Clone)]
pub struct StreamSplitter {
    buf: Vec<u8>,
    /// The first byte not yet returned.
    start: usize,
    /// `buf[start..scanned]` holds no `\n`.
    scanned: usize,
    /// The length of the unterminated line at the end of `buf`.
    tail: usize,
    max_line: usize,
    prelude: Prelude,
    error: Option<StreamError>,
}

impl Default for StreamSplitter {
    fn default() -> Self {
        StreamSplitter::new(DEFAULT_MAX_LINE)
    }
}

impl StreamSplitter {
    /// A splitter accepting lines of at most `max_line` bytes (at least [`MIN_MAX_LINE`]).
    pub fn new(max_line: usize) -> Self {
        StreamSplitter {
            buf: Vec::new(),
            start: 0,
            scanned: 0,
            tail: 0,
            max_line: max_line.max(MIN_MAX_LINE),
            prelude: Prelude::Pending(0),
            error: None,
        }
    }

    /// Forgets everything, ready for a new response (the prelude is expected again).
    pub fn reset(&mut self) {
        *self = StreamSplitter::new(self.max_line);
    }

    /// Appends a chunk of the response body. Errors are reported by
    /// [`StreamSplitter::next_frame`]; nothing is stored once the splitter has failed.
    pub fn push(&mut self, chunk: &[u8]) {
        if self.error.is_some() {
            return;
        }
        let mut data = chunk;
        while let (Prelude::Pending(count), Some((&first, rest))) =
            (self.prelude, data.split_first())
        {
            match first {
                b'h' if count < self.max_line => self.prelude = Prelude::Pending(count + 1),
                b'h' => {
                    return self.fail(StreamError::LineTooLong {
                        limit: self.max_line,
                    })
                }
                b'\n' if count == 0 => {}
                b'\n' => self.prelude = Prelude::Done,
                _ if count == 0 => {
                    self.prelude = Prelude::Done;
                    break;
                }
                _ => return self.fail(StreamError::BadPrelude),
            }
            data = rest;
        }
        if data.is_empty() {
            return;
        }
        let tail = match data.iter().rposition(|&b| b == b'\n') {
            Some(last) => data.len() - last - 1,
            None => self.tail.saturating_add(data.len()),
        };
        if tail > self.max_line {
            return self.fail(StreamError::LineTooLong {
                limit: self.max_line,
            });
        }
        self.tail = tail;
        if self.start > 0 && self.start >= self.buf.len() / 2 {
            self.buf.drain(..self.start);
            self.scanned -= self.start;
            self.start = 0;
        }
        self.buf.extend_from_slice(data);
    }

    fn fail(&mut self, error: StreamError) {
        self.error = Some(error);
        self.buf = Vec::new();
        self.start = 0;
        self.scanned = 0;
        self.tail = 0;
    }

    /// The next complete frame, `Ok(None)` when more bytes are needed.
    pub fn next_frame(&mut self) -> Result<Option<String>, StreamError> {
        loop {
            if let Some(e) = &self.error {
                return Err(e.clone());
            }
            let unscanned = self.buf.get(self.scanned..).unwrap_or_default();
            let Some(at) = unscanned.iter().position(|&b| b == b'\n') else {
                self.scanned = self.buf.len();
                return Ok(None);
            };
            let end = self.scanned + at;
            let line = self.buf.get(self.start..end).unwrap_or_default();
            self.start = end + 1;
            self.scanned = self.start;
            if line.len() > self.max_line {
                self.fail(StreamError::LineTooLong {
                    limit: self.max_line,
                });
                continue;
            }
            if line.is_empty() {
                continue;
            }
            match std::str::from_utf8(line) {
                Ok(text) => return Ok(Some(text.to_owned())),
                Err(_) => self.fail(StreamError::InvalidUtf8),
            }
        }
    }

    /// Bytes received after the last returned frame (an unterminated line, when the response
    /// ends, is dropped as sockjs-client drops it).
    pub fn buffered(&self) -> usize {
        self.buf.len() - self.start
    }
}

/// The frames of an xhr-polling response body: its non-empty `\n`-separated lines. Unlike
/// sockjs-client, an unterminated last line counts too (a server may omit the final `\n`).
///
/// ```
/// use webstomp_wasm::core::sockjs::poll_frames;
/// assert_eq!(poll_frames("a[\"a\"]\n").collect::<Vec<_>>(), ["a[\"a\"]"]);
/// assert_eq!(poll_frames("o").collect::<Vec<_>>(), ["o"]);
/// ```
pub fn poll_frames(body: &str) -> impl Iterator<Item = &str> {
    body.split('\n').filter(|line| !line.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(s: &mut StreamSplitter) -> Result<Vec<String>, StreamError> {
        let mut out = Vec::new();
        while let Some(f) = s.next_frame()? {
            out.push(f);
        }
        Ok(out)
    }

    fn body() -> Vec<u8> {
        let mut b = vec![b'h'; 2048];
        b.extend_from_slice(
            "\no\na[\"x\"]\nh\na[\"é😀\",\"\\u2028\"]\nc[3000,\"Go away!\"]\n".as_bytes(),
        );
        b
    }

    fn expected() -> Vec<String> {
        [
            "o",
            "a[\"x\"]",
            "h",
            "a[\"é😀\",\"\\u2028\"]",
            "c[3000,\"Go away!\"]",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    #[test]
    fn whole_body() {
        let mut s = StreamSplitter::default();
        s.push(&body());
        assert_eq!(drain(&mut s), Ok(expected()));
        assert_eq!(s.buffered(), 0);
    }

    #[test]
    fn every_split_point_and_byte_by_byte() {
        let body = body();
        for cut in 0..=body.len() {
            let (a, b) = body.split_at(cut);
            let mut s = StreamSplitter::default();
            s.push(a);
            let mut got = drain(&mut s).unwrap_or_default();
            s.push(b);
            got.extend(drain(&mut s).unwrap_or_default());
            assert_eq!(got, expected(), "cut at {cut}");
        }
        let mut s = StreamSplitter::default();
        let mut got = Vec::new();
        for byte in body {
            s.push(&[byte]);
            got.extend(drain(&mut s).unwrap_or_default());
        }
        assert_eq!(got, expected());
    }

    #[test]
    fn prelude_is_optional_and_empty_lines_skipped() {
        let mut s = StreamSplitter::default();
        s.push(b"o\n\n\na[\"a\"]\n");
        assert_eq!(
            drain(&mut s),
            Ok(vec!["o".to_string(), "a[\"a\"]".to_string()])
        );
        let mut s = StreamSplitter::default();
        s.push(b"\nhhh\no\n");
        assert_eq!(drain(&mut s), Ok(vec!["o".to_string()]));
    }

    #[test]
    fn bad_prelude() {
        let mut s = StreamSplitter::default();
        s.push(b"hhho\n");
        assert_eq!(s.next_frame(), Err(StreamError::BadPrelude));
        s.push(b"o\n");
        assert_eq!(s.next_frame(), Err(StreamError::BadPrelude));
    }

    #[test]
    fn unterminated_rest_is_held() {
        let mut s = StreamSplitter::default();
        s.push(b"o\na[\"par");
        assert_eq!(s.next_frame(), Ok(Some("o".to_string())));
        assert_eq!(s.next_frame(), Ok(None));
        assert_eq!(s.buffered(), 6);
    }

    #[test]
    fn line_limit() {
        let limit = MIN_MAX_LINE;
        // Exactly at the limit is fine, in one push or many.
        let mut s = StreamSplitter::new(1);
        let mut line = vec![b'a'; limit];
        s.push(&line);
        s.push(b"\n");
        assert_eq!(s.next_frame().map(|f| f.map(|f| f.len())), Ok(Some(limit)));
        // One more byte without a newline fails at push time.
        line.push(b'a');
        let mut s = StreamSplitter::new(limit);
        s.push(&line[..10]);
        s.push(&line[10..]);
        assert_eq!(s.next_frame(), Err(StreamError::LineTooLong { limit }));
        assert_eq!(s.buffered(), 0);
        // An over-long complete line inside one chunk fails when reached.
        let mut s = StreamSplitter::new(limit);
        let mut chunk = b"o\n".to_vec();
        chunk.extend_from_slice(&line);
        chunk.extend_from_slice(b"\nh\n");
        s.push(&chunk);
        assert_eq!(s.next_frame(), Ok(Some("o".to_string())));
        assert_eq!(s.next_frame(), Err(StreamError::LineTooLong { limit }));
        assert_eq!(s.next_frame(), Err(StreamError::LineTooLong { limit }));
        // An endless prelude fails too.
        let mut s = StreamSplitter::new(limit);
        s.push(&vec![b'h'; limit + 1]);
        assert_eq!(s.next_frame(), Err(StreamError::LineTooLong { limit }));
    }

    #[test]
    fn invalid_utf8() {
        let mut s = StreamSplitter::default();
        s.push(b"o\na[\"\xff\"]\n");
        assert_eq!(s.next_frame(), Ok(Some("o".to_string())));
        assert_eq!(s.next_frame(), Err(StreamError::InvalidUtf8));
    }

    #[test]
    fn reset_expects_a_new_prelude() {
        let mut s = StreamSplitter::default();
        s.push(b"o\nh\na[\"x");
        assert_eq!(s.next_frame(), Ok(Some("o".to_string())));
        s.reset();
        assert_eq!(s.buffered(), 0);
        s.push(&[b'h'; 2048]);
        s.push(b"\nc[3000,\"Go away!\"]\n");
        assert_eq!(s.next_frame(), Ok(Some("c[3000,\"Go away!\"]".to_string())));
    }

    #[test]
    fn many_small_frames_stay_linear() {
        // 200k frames pushed in one chunk then pulled, and pushed one by one between pulls.
        let n = 200_000;
        let body = "h\n".repeat(n);
        let mut s = StreamSplitter::default();
        s.push(body.as_bytes());
        let mut count = 0;
        while let Ok(Some(_)) = s.next_frame() {
            count += 1;
            if count % 1000 == 0 {
                s.push(b"h\n");
            }
        }
        assert_eq!(count, n - 1 + n / 1000);
    }

    #[test]
    fn polling_bodies() {
        assert_eq!(poll_frames("o\n").collect::<Vec<_>>(), ["o"]);
        assert_eq!(
            poll_frames("c[2010,\"Another connection still open\"]\n").collect::<Vec<_>>(),
            ["c[2010,\"Another connection still open\"]"]
        );
        assert_eq!(
            poll_frames("a[\"x\"]\nh\n").collect::<Vec<_>>(),
            ["a[\"x\"]", "h"]
        );
        assert_eq!(poll_frames("").count(), 0);
        assert_eq!(poll_frames("\n\n").count(), 0);
    }

    #[test]
    fn display() {
        assert_eq!(
            StreamError::LineTooLong { limit: 4096 }.to_string(),
            "SockJS frame longer than 4096 bytes"
        );
    }
}
