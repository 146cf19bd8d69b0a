//! The streaming STOMP frame decoder.
//!
//! Push received bytes in any chunking with [`Decoder::push`], then call [`Decoder::next`]
//! until it returns `Ok(None)`:
//!
//! ```
//! use webstomp_wasm::core::decoder::{Decoded, Decoder, Limits};
//! use webstomp_wasm::core::version::Version;
//!
//! let mut decoder = Decoder::new(Limits::default());
//! decoder.set_version(Version::V1_2);
//! decoder.push(b"MESSAGE\ndestination:/queue/a\nmessage-id:7\nsubscription:0\n\nhel");
//! assert_eq!(decoder.next().unwrap(), None); // the rest has not arrived yet
//! decoder.push(b"lo\0\n");
//! match decoder.next().unwrap() {
//!     Some(Decoded::Frame(frame)) => {
//!         assert_eq!(frame.headers.get("destination"), Some("/queue/a"));
//!         assert_eq!(frame.body, b"hello");
//!     }
//!     other => panic!("{other:?}"),
//! }
//! assert_eq!(decoder.next().unwrap(), Some(Decoded::Heartbeat)); // the EOL after the NUL
//! assert_eq!(decoder.next().unwrap(), None);
//! ```
//!
//! The decoder follows the STOMP 1.2 grammar for every version: CRLF or LF line ends,
//! `content-length` bodies that may hold NUL bytes, bodies without it ending at the first NUL,
//! and EOLs between frames reported as heart-beats. Header text is unescaped per the version
//! set with [`Decoder::set_version`] (never for CONNECT, STOMP and CONNECTED frames) and
//! decoded as UTF-8 with invalid sequences replaced by U+FFFD.
//!
//! Work is linear in the input: each byte is scanned once however the input is chunked, and
//! consumed bytes are dropped from the buffer only when that costs no more than they did.
#![cfg_attr(
    not(test),
    deny(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)
)]

mod error;
mod parser;
#[cfg(test)]
mod tests;

pub use error::DecodeError;

use super::frame::Frame;
use super::version::Version;
use parser::{Parser, Step};

/// A buffer whose capacity exceeds this is given back once the bytes in it are consumed, so
/// that memory returns after a large frame.
const RELEASE_ABOVE: usize = 256 * 1024;

/// Size limits, checked before any allocation they bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest frame accepted, in bytes (command, headers and body).
    pub max_frame_size: usize,
    /// The most header entries in one frame.
    pub max_headers: usize,
    /// The longest header line in bytes.
    pub max_header_line: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_frame_size: 16 * 1024 * 1024,
            max_headers: 1024,
            max_header_line: 64 * 1024,
        }
    }
}

/// What the decoder yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    /// A complete frame.
    Frame(Frame),
    /// An EOL (or CRLF) between frames: a heart-beat.
    Heartbeat,
}

/// A streaming decoder: push bytes in any chunking, pull frames and heart-beats.
#[derive(Debug)]
pub struct Decoder {
    limits: Limits,
    version: Version,
    /// Received bytes; those before `start` are consumed.
    buf: Vec<u8>,
    /// Where the frame being received starts in `buf`.
    start: usize,
    /// The stream offset of `buf[0]`: bytes pushed before it, ever.
    offset: u64,
    /// The stream offsets of the last frame and of its body.
    frame_at: u64,
    body_at: u64,
    parser: Parser,
    /// The error that ended the stream.
    failed: Option<DecodeError>,
}

impl Default for Decoder {
    /// A decoder with [`Limits::default`].
    fn default() -> Self {
        Decoder::new(Limits::default())
    }
}

impl Decoder {
    /// A decoder with the given limits, unescaping as STOMP 1.0 (not at all) until
    /// [`Decoder::set_version`] is called.
    pub fn new(limits: Limits) -> Self {
        Decoder {
            limits,
            version: Version::V1_0,
            buf: Vec::new(),
            start: 0,
            offset: 0,
            frame_at: 0,
            body_at: 0,
            parser: Parser::new(),
            failed: None,
        }
    }

    /// A decoder that numbers the stream from `position` on (see [`Decoder::position`]): a new
    /// connection's decoder continues its predecessor's numbering, so offsets never repeat.
    pub fn starting_at(limits: Limits, position: u64) -> Self {
        Decoder {
            offset: position,
            ..Decoder::new(limits)
        }
    }

    /// The stream offset of the next byte to be pushed: how many were pushed so far (plus the
    /// starting position).
    pub fn position(&self) -> u64 {
        self.offset.saturating_add(self.buf.len() as u64)
    }

    /// The stream offset of the body of the frame [`Decoder::next`] returned last: where its
    /// bytes were in the pushed input.
    pub fn body_at(&self) -> u64 {
        self.body_at
    }

    /// The stream offset of the first byte (the command's) of the frame [`Decoder::next`]
    /// returned last.
    pub fn frame_at(&self) -> u64 {
        self.frame_at
    }

    /// Sets the negotiated version, which decides header unescaping from the next frame on.
    pub fn set_version(&mut self, version: Version) {
        self.version = version;
    }

    /// Appends received bytes. After an error they are ignored.
    #[cfg_attr(webstomp_speed, optimize(speed))]
    pub fn push(&mut self, bytes: &[u8]) {
        if self.failed.is_some() || bytes.is_empty() {
            return;
        }
        self.compact();
        self.buf.extend_from_slice(bytes);
    }

    /// The next frame or heart-beat, `Ok(None)` when more bytes are needed.
    ///
    /// After an error the decoder drops its buffer and returns the same error again.
    // Not an `Iterator`: "need more bytes" and "error" are distinct from the end of a stream.
    #[allow(clippy::should_implement_trait)]
    #[cfg_attr(webstomp_speed, optimize(speed))]
    pub fn next(&mut self) -> Result<Option<Decoded>, DecodeError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let data = self.buf.get(self.start..).unwrap_or_default();
        match self.parser.step(data, &self.limits, self.version) {
            Ok(Step::NeedMore) => Ok(None),
            Ok(Step::Heartbeat(len)) => {
                self.consume(len);
                Ok(Some(Decoded::Heartbeat))
            }
            Ok(Step::Frame(frame, len, body)) => {
                self.frame_at = self.offset.saturating_add(self.start as u64);
                self.body_at = self.frame_at.saturating_add(body as u64);
                self.consume(len);
                self.parser.reset();
                Ok(Some(Decoded::Frame(frame)))
            }
            Err(e) => {
                self.failed = Some(e.clone());
                self.offset = self.position();
                self.buf = Vec::new();
                self.start = 0;
                self.parser = Parser::new();
                Err(e)
            }
        }
    }

    /// Bytes received and not yet decoded.
    pub fn buffered(&self) -> usize {
        self.buf.len().saturating_sub(self.start)
    }

    /// Marks `len` bytes at the front as decoded.
    #[cfg_attr(webstomp_speed, optimize(speed))]
    fn consume(&mut self, len: usize) {
        self.start = self.start.saturating_add(len).min(self.buf.len());
        if self.start == self.buf.len() {
            // Nothing left: restart at the front without moving a byte.
            self.offset = self.position();
            self.start = 0;
            if self.buf.capacity() > RELEASE_ABOVE {
                self.buf = Vec::new();
            } else {
                self.buf.clear();
            }
        }
    }

    /// Drops consumed bytes when moving the rest costs no more than consuming them did, and
    /// gives back capacity far beyond what is buffered.
    #[cfg_attr(webstomp_speed, optimize(speed))]
    fn compact(&mut self) {
        let live = self.buffered();
        if self.start > 0 && self.start >= live {
            self.offset = self.offset.saturating_add(self.start as u64);
            self.buf.drain(..self.start);
            self.start = 0;
        }
        let cap = self.buf.capacity();
        if cap > RELEASE_ABOVE && self.buf.len() < cap / 4 {
            self.buf.shrink_to(self.buf.len().saturating_mul(2));
        }
    }
}
