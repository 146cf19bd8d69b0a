//! The STOMP frame encoder.
//!
//! [`encode`] writes `COMMAND\n`, one `name:value\n` line per header (escaped as the version
//! requires, never for CONNECT, STOMP and CONNECTED), a blank line, the body and a NUL, with no
//! EOL after the NUL. It refuses any header or body that would let a caller's text end the
//! frame early or start another one.
//!
//! ```
//! use webstomp_wasm::core::command::Command;
//! use webstomp_wasm::core::encoder::{encode, ContentLength};
//! use webstomp_wasm::core::frame::Frame;
//! use webstomp_wasm::core::version::Version;
//!
//! let frame = Frame::new(Command::Send)
//!     .header("destination", "/queue/a:b")
//!     .body("hi");
//! let bytes = encode(&frame, Version::V1_2, ContentLength::Auto).unwrap();
//! assert_eq!(bytes, b"SEND\ndestination:/queue/a\\cb\ncontent-length:2\n\nhi\0");
//! ```
#![cfg_attr(
    not(test),
    deny(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)
)]

mod split;
#[cfg(test)]
mod tests;

pub use split::split;

use std::fmt;

use super::command::Command;
use super::escape::escape_into;
use super::frame::Frame;
use super::version::Version;
use crate::text::push_quoted;

/// Whether the encoder writes a `content-length` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentLength {
    /// Write the body's exact byte length (replacing any `content-length` in the headers)
    /// for SEND, MESSAGE and ERROR frames and for any frame with a non-empty body.
    Auto,
    /// Write none (dropping any in the headers); the body must then contain no NUL byte.
    Omit,
}

/// Why a frame cannot be encoded safely. Errors name the header but never show its value,
/// which may be a secret such as a passcode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodeError {
    /// A header name that cannot be written in this version without injecting a frame: it
    /// holds `:`, CR or LF and is not escaped (STOMP 1.0, or a CONNECT, STOMP or CONNECTED
    /// frame).
    InvalidHeaderName(String),
    /// A header value holding CR or LF where it is not escaped (STOMP 1.0, or a CONNECT,
    /// STOMP or CONNECTED frame).
    InvalidHeaderValue {
        /// The header's name.
        name: String,
    },
    /// A header value ending in CR in STOMP 1.1, which has no escape for CR: receivers would
    /// take it for part of a CRLF line end and drop it.
    TrailingCarriageReturn {
        /// The header's name.
        name: String,
    },
    /// A NUL byte in a header name or value, which would end the frame (any version).
    NulInHeader {
        /// The header's name.
        name: String,
    },
    /// An empty header name.
    EmptyHeaderName,
    /// A body holding a NUL byte in a frame without `content-length`
    /// ([`ContentLength::Omit`]), which would end the frame early.
    NulInBody,
}

impl EncodeError {
    /// The error's message (its `Display` text), built without `core::fmt`.
    pub fn message(&self) -> String {
        let (before, name, after) = match self {
            EncodeError::InvalidHeaderName(n) => (
                "invalid header name ",
                n,
                ": ':', CR and LF cannot be sent in STOMP 1.0 or in CONNECT/STOMP/CONNECTED \
                 frames",
            ),
            EncodeError::InvalidHeaderValue { name } => (
                "invalid value for header ",
                name,
                ": CR and LF cannot be sent in STOMP 1.0 or in CONNECT/STOMP/CONNECTED frames",
            ),
            EncodeError::TrailingCarriageReturn { name } => (
                "invalid value for header ",
                name,
                ": a value ending in CR cannot be sent in STOMP 1.1",
            ),
            EncodeError::NulInHeader { name } => (
                "invalid header ",
                name,
                ": header names and values cannot hold a NUL byte",
            ),
            EncodeError::EmptyHeaderName => return "invalid header: empty header name".into(),
            EncodeError::NulInBody => {
                return "a body holding a NUL byte needs a content-length header (it would end \
                        the frame early)"
                    .into()
            }
        };
        let mut s = String::from(before);
        push_quoted(&mut s, name);
        s.push_str(after);
        s
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for EncodeError {}

/// Encodes `frame` for `version`, escaping header names and values as that version requires
/// (never for CONNECT, STOMP and CONNECTED), and ending it with NUL.
pub fn encode(
    frame: &Frame,
    version: Version,
    content_length: ContentLength,
) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::new();
    encode_into(&mut out, frame, version, content_length)?;
    Ok(out)
}

/// As [`encode`], appending to `out`. On error `out` is left as it was.
pub fn encode_into(
    out: &mut Vec<u8>,
    frame: &Frame,
    version: Version,
    content_length: ContentLength,
) -> Result<(), EncodeError> {
    let len = out.len();
    let result = write_frame(out, frame, version, content_length);
    if result.is_err() {
        out.truncate(len);
    }
    result
}

/// The header name the encoder writes itself.
const CONTENT_LENGTH: &str = "content-length";

/// Writes the frame, possibly leaving part of it in `out` on error.
fn write_frame(
    out: &mut Vec<u8>,
    frame: &Frame,
    version: Version,
    content_length: ContentLength,
) -> Result<(), EncodeError> {
    let command = frame.command;
    // Escaping as 1.0 means not escaping at all.
    let escaping = if command.is_unescaped() {
        Version::V1_0
    } else {
        version
    };
    let body = frame.body.as_slice();
    let write_length = match content_length {
        ContentLength::Auto => {
            !body.is_empty() || matches!(command, Command::Send | Command::Message | Command::Error)
        }
        ContentLength::Omit if body.contains(&0) => return Err(EncodeError::NulInBody),
        ContentLength::Omit => false,
    };
    out.reserve(size_hint(frame));
    out.extend_from_slice(command.as_str().as_bytes());
    out.push(b'\n');
    for (name, value) in frame.headers.iter() {
        if name == CONTENT_LENGTH {
            continue;
        }
        check_header(name, value, escaping)?;
        escape_into(out, name.as_bytes(), escaping);
        out.push(b':');
        escape_into(out, value.as_bytes(), escaping);
        out.push(b'\n');
    }
    if write_length {
        out.extend_from_slice(b"content-length:");
        write_decimal(out, body.len());
        out.push(b'\n');
    }
    out.push(b'\n');
    out.extend_from_slice(body);
    out.push(0);
    Ok(())
}

/// Refuses a header that would break the frame when written with `escaping`.
fn check_header(name: &str, value: &str, escaping: Version) -> Result<(), EncodeError> {
    if name.is_empty() {
        return Err(EncodeError::EmptyHeaderName);
    }
    if name.contains('\0') || value.contains('\0') {
        return Err(EncodeError::NulInHeader { name: name.into() });
    }
    match escaping {
        Version::V1_0 => {
            if name.contains([':', '\r', '\n']) {
                return Err(EncodeError::InvalidHeaderName(name.into()));
            }
            if value.contains(['\r', '\n']) {
                return Err(EncodeError::InvalidHeaderValue { name: name.into() });
            }
        }
        Version::V1_1 if value.ends_with('\r') => {
            return Err(EncodeError::TrailingCarriageReturn { name: name.into() });
        }
        Version::V1_1 | Version::V1_2 => {}
    }
    Ok(())
}

/// Roughly how many bytes `frame` takes on the wire (escapes and the length aside).
fn size_hint(frame: &Frame) -> usize {
    let headers = frame.headers.iter().fold(0usize, |n, (name, value)| {
        n.saturating_add(name.len())
            .saturating_add(value.len())
            .saturating_add(2)
    });
    headers.saturating_add(frame.body.len()).saturating_add(48)
}

/// Appends `n` in decimal.
fn write_decimal(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i = i.saturating_sub(1);
        if let Some(d) = digits.get_mut(i) {
            // `n % 10` is below 10, so the cast is exact.
            *d = b'0'.wrapping_add((n % 10) as u8);
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    out.extend_from_slice(digits.get(i..).unwrap_or_default());
}
