//! The streaming STOMP frame decoder.
//!
//! SIGNATURES ARE FIXED (the session depends on them); bodies are being written.

use super::frame::Frame;
use super::version::Version;

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

/// Why input could not be decoded. After an error the stream is unusable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The command line is not a STOMP command.
    BadCommand,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("bad STOMP command")
    }
}

impl std::error::Error for DecodeError {}

/// A streaming decoder: push bytes in any chunking, pull frames and heart-beats.
#[derive(Debug)]
pub struct Decoder {
    limits: Limits,
    version: Version,
}

impl Decoder {
    /// A decoder with the given limits, unescaping as STOMP 1.0 (not at all) until
    /// [`Decoder::set_version`] is called.
    pub fn new(limits: Limits) -> Self {
        Decoder {
            limits,
            version: Version::V1_0,
        }
    }

    /// Sets the negotiated version, which decides header unescaping from the next frame on.
    pub fn set_version(&mut self, version: Version) {
        self.version = version;
    }

    /// Appends received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        let _ = (bytes, self.limits);
    }

    /// The next frame or heart-beat, `Ok(None)` when more bytes are needed.
    pub fn next(&mut self) -> Result<Option<Decoded>, DecodeError> {
        Ok(None)
    }

    /// Bytes received and not yet decoded.
    pub fn buffered(&self) -> usize {
        0
    }
}
