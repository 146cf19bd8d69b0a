//! Why received bytes are not a valid STOMP stream.

use std::fmt;

use crate::core::escape::InvalidEscape;
use crate::text::{concat, push_decimal, push_quoted};

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

impl DecodeError {
    /// The error's message (its `Display` text), built without `core::fmt`.
    pub fn message(&self) -> String {
        let (before, number, after) = match self {
            DecodeError::BadCommand => {
                return "bad STOMP frame: the command line is not a STOMP command".into()
            }
            DecodeError::HeaderWithoutColon(line) => {
                let mut s = String::from("bad STOMP header line without a colon: ");
                push_quoted(&mut s, line);
                return s;
            }
            DecodeError::InvalidContentLength(value) => {
                let mut s = String::from("bad STOMP content-length ");
                push_quoted(&mut s, value);
                s.push_str(": expected a decimal byte count");
                return s;
            }
            DecodeError::MissingNul { content_length } => (
                "bad STOMP frame: no NUL byte after its body of content-length ",
                content_length,
                "",
            ),
            DecodeError::FrameTooLarge { limit } => (
                "STOMP frame larger than the limit of ",
                limit,
                " bytes (maxFrameSize)",
            ),
            DecodeError::TooManyHeaders { limit } => {
                ("STOMP frame with more than ", limit, " headers")
            }
            DecodeError::HeaderLineTooLong { limit } => {
                ("STOMP header line longer than ", limit, " bytes")
            }
            DecodeError::InvalidEscape(e) => return concat(&["bad STOMP header: ", &e.message()]),
        };
        let mut s = String::from(before);
        push_decimal(&mut s, *number as u64);
        s.push_str(after);
        s
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
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
