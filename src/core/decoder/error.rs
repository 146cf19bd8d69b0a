//! Why received bytes are not a valid STOMP stream.

use std::fmt;

use crate::core::escape::InvalidEscape;

/// How many bytes of offending input an error keeps to show the user.
const PREVIEW: usize = 64;

/// Why input could not be decoded. After an error the stream is unusable: the decoder drops
/// its buffer and returns the same error from then on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The command line is not a STOMP command (commands are upper case and case-sensitive).
    BadCommand,
    /// A header line has no `:` between its name and value. Holds the start of the line.
    HeaderWithoutColon(String),
    /// A `content-length` value that is not a decimal byte count (only digits, at least one,
    /// small enough for this platform). Holds the start of the value.
    InvalidContentLength(String),
    /// The byte after a `content-length` body is not the NUL that must end the frame.
    MissingNul {
        /// The `content-length` the frame announced.
        content_length: usize,
    },
    /// The frame (command, headers and body) is larger than [`Limits::max_frame_size`],
    /// either announced by its `content-length` or found while receiving it.
    ///
    /// [`Limits::max_frame_size`]: super::Limits::max_frame_size
    FrameTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The frame has more header entries than [`Limits::max_headers`].
    ///
    /// [`Limits::max_headers`]: super::Limits::max_headers
    TooManyHeaders {
        /// The limit in entries.
        limit: usize,
    },
    /// A header line is longer than [`Limits::max_header_line`].
    ///
    /// [`Limits::max_header_line`]: super::Limits::max_header_line
    HeaderLineTooLong {
        /// The limit in bytes.
        limit: usize,
    },
    /// A header name or value holds an escape sequence the negotiated version does not define
    /// (a fatal error per the STOMP spec).
    InvalidEscape(InvalidEscape),
}

impl DecodeError {
    /// The start of `bytes` as text, for an error message.
    pub(super) fn preview(bytes: &[u8]) -> String {
        let cut = bytes.get(..PREVIEW).unwrap_or(bytes);
        let mut s = String::from_utf8_lossy(cut).into_owned();
        if cut.len() < bytes.len() {
            s.push('…');
        }
        s
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::BadCommand => {
                f.write_str("bad STOMP frame: the command line is not a STOMP command")
            }
            DecodeError::HeaderWithoutColon(line) => {
                write!(f, "bad STOMP header line without a colon: {line:?}")
            }
            DecodeError::InvalidContentLength(value) => write!(
                f,
                "bad STOMP content-length {value:?}: expected a decimal byte count"
            ),
            DecodeError::MissingNul { content_length } => write!(
                f,
                "bad STOMP frame: no NUL byte after its body of content-length {content_length}"
            ),
            DecodeError::FrameTooLarge { limit } => write!(
                f,
                "STOMP frame larger than the limit of {limit} bytes (maxFrameSize)"
            ),
            DecodeError::TooManyHeaders { limit } => {
                write!(f, "STOMP frame with more than {limit} headers")
            }
            DecodeError::HeaderLineTooLong { limit } => {
                write!(f, "STOMP header line longer than {limit} bytes")
            }
            DecodeError::InvalidEscape(e) => write!(f, "bad STOMP header: {e}"),
        }
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DecodeError::InvalidEscape(e) => Some(e),
            _ => None,
        }
    }
}

impl From<InvalidEscape> for DecodeError {
    fn from(e: InvalidEscape) -> Self {
        DecodeError::InvalidEscape(e)
    }
}
