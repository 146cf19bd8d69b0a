//! Header escaping per STOMP version.
//!
//! STOMP 1.1 escapes `\` as `\\`, LF as `\n` and `:` as `\c` in header names and values; 1.2
//! also escapes CR as `\r`. STOMP 1.0 has no escaping at all, and CONNECT, STOMP and CONNECTED
//! frames are never escaped in any version (callers check [`Command::is_unescaped`]).
//!
//! [`Command::is_unescaped`]: super::command::Command::is_unescaped
#![cfg_attr(
    not(test),
    deny(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)
)]

use std::borrow::Cow;
use std::fmt;

use super::version::Version;
use crate::text::hex_digit;

/// An escape sequence that the version does not define. The STOMP spec makes this a fatal
/// protocol error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidEscape {
    /// A backslash followed by a byte that forms no escape in this version (`\t`, or `\r` in
    /// STOMP 1.1).
    Undefined(u8),
    /// A backslash at the very end of a header name or value.
    LoneBackslash,
}

impl InvalidEscape {
    /// The error's message (its `Display` text), built without `core::fmt`.
    pub fn message(&self) -> String {
        match *self {
            InvalidEscape::Undefined(b) if b.is_ascii_graphic() || b == b' ' => {
                let mut s = String::from("undefined escape sequence \"\\");
                s.push(char::from(b));
                s.push('"');
                s
            }
            InvalidEscape::Undefined(b) => {
                let mut s = String::from("undefined escape sequence: backslash then byte 0x");
                s.push(hex_digit(b >> 4));
                s.push(hex_digit(b & 15));
                s
            }
            InvalidEscape::LoneBackslash => "backslash at the end of a header".into(),
        }
    }
}

impl fmt::Display for InvalidEscape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for InvalidEscape {}

/// Whether `version` escapes header text at all.
fn escapes(version: Version) -> bool {
    version != Version::V1_0
}

/// Whether `b` must be escaped in `version` (1.1 or 1.2).
fn needs_escape(b: u8, version: Version) -> bool {
    match b {
        b'\\' | b'\n' | b':' => true,
        b'\r' => version == Version::V1_2,
        _ => false,
    }
}

/// The escape sequence's second byte for `b`, if `b` needs escaping in `version`.
fn escape_byte(b: u8, version: Version) -> Option<u8> {
    match b {
        b'\\' => Some(b'\\'),
        b'\n' => Some(b'n'),
        b':' => Some(b'c'),
        b'\r' if version == Version::V1_2 => Some(b'r'),
        _ => None,
    }
}

/// Escapes a header name or value for `version`: in 1.2 `\` → `\\`, CR → `\r`, LF → `\n` and
/// `:` → `\c`; 1.1 the same except that CR is left as it is; 1.0 nothing. Borrows `s` when
/// nothing needs escaping.
///
/// ```
/// use webstomp_wasm::core::escape::escape;
/// use webstomp_wasm::core::version::Version;
/// assert_eq!(escape("a:b\\n", Version::V1_2), "a\\cb\\\\n");
/// assert_eq!(escape("a:b", Version::V1_0), "a:b");
/// ```
pub fn escape(s: &str, version: Version) -> Cow<'_, str> {
    if !escapes(version) || !s.bytes().any(|b| needs_escape(b, version)) {
        return Cow::Borrowed(s);
    }
    let mut out = Vec::with_capacity(s.len().saturating_add(8));
    escape_into(&mut out, s.as_bytes(), version);
    // Only ASCII bytes were replaced by ASCII sequences, so the text stays valid UTF-8.
    match String::from_utf8(out) {
        Ok(escaped) => Cow::Owned(escaped),
        Err(e) => Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
    }
}

/// Appends `bytes` escaped for `version` to `out`, copying unescaped runs as whole slices.
pub(crate) fn escape_into(out: &mut Vec<u8>, bytes: &[u8], version: Version) {
    if !escapes(version) {
        out.extend_from_slice(bytes);
        return;
    }
    let mut rest = bytes;
    while let Some(i) = rest.iter().position(|&b| needs_escape(b, version)) {
        let (run, tail) = rest.split_at(i);
        out.extend_from_slice(run);
        if let Some((&b, after)) = tail.split_first() {
            if let Some(e) = escape_byte(b, version) {
                out.extend_from_slice(&[b'\\', e]);
            }
            rest = after;
        } else {
            rest = tail;
        }
    }
    out.extend_from_slice(rest);
}

/// Unescapes a received header name or value for `version` (1.2: `\r \n \c \\`; 1.1: `\n \c
/// \\`; 1.0: none) and decodes it as UTF-8, replacing invalid sequences with U+FFFD. Borrows
/// `bytes` when they are valid UTF-8 with nothing to unescape.
///
/// A backslash followed by anything else, or at the very end, is an [`InvalidEscape`].
///
/// ```
/// use webstomp_wasm::core::escape::unescape;
/// use webstomp_wasm::core::version::Version;
/// assert_eq!(unescape(b"a\\cb\\\\n", Version::V1_2).unwrap(), "a:b\\n");
/// assert!(unescape(b"a\\tb", Version::V1_2).is_err());
/// assert!(unescape(b"\\r", Version::V1_1).is_err());
/// assert_eq!(unescape(b"\\t", Version::V1_0).unwrap(), "\\t");
/// ```
#[cfg_attr(webstomp_speed, optimize(speed))]
pub fn unescape(bytes: &[u8], version: Version) -> Result<Cow<'_, str>, InvalidEscape> {
    let first = match bytes.iter().position(|&b| b == b'\\') {
        Some(i) if escapes(version) => i,
        // Valid UTF-8 (nearly always) is checked faster than `from_utf8_lossy` does it.
        _ => {
            return Ok(match std::str::from_utf8(bytes) {
                Ok(text) => Cow::Borrowed(text),
                Err(_) => String::from_utf8_lossy(bytes),
            })
        }
    };
    let mut out = Vec::with_capacity(bytes.len());
    let (run, mut rest) = bytes.split_at(first);
    out.extend_from_slice(run);
    loop {
        // `rest` starts with a backslash here.
        let seq = match rest.get(1) {
            Some(&b) => b,
            None => return Err(InvalidEscape::LoneBackslash),
        };
        let b = match seq {
            b'\\' => b'\\',
            b'n' => b'\n',
            b'c' => b':',
            b'r' if version == Version::V1_2 => b'\r',
            other => return Err(InvalidEscape::Undefined(other)),
        };
        out.push(b);
        rest = rest.get(2..).unwrap_or_default();
        match rest.iter().position(|&b| b == b'\\') {
            Some(i) => {
                let (run, tail) = rest.split_at(i);
                out.extend_from_slice(run);
                rest = tail;
            }
            None => {
                out.extend_from_slice(rest);
                break;
            }
        }
    }
    Ok(Cow::Owned(match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Version; 3] = [Version::V1_0, Version::V1_1, Version::V1_2];

    #[test]
    fn escape_per_version() {
        let s = "a\\b\rc\nd:e";
        assert_eq!(escape(s, Version::V1_2), "a\\\\b\\rc\\nd\\ce");
        assert_eq!(escape(s, Version::V1_1), "a\\\\b\rc\\nd\\ce");
        assert_eq!(escape(s, Version::V1_0), s);
    }

    #[test]
    fn escape_borrows_when_nothing_changes() {
        for v in ALL {
            assert!(matches!(escape("plain /queue/a é", v), Cow::Borrowed(_)));
        }
        assert!(matches!(escape("a\rb", Version::V1_1), Cow::Borrowed(_)));
        assert!(matches!(escape("a:b", Version::V1_0), Cow::Borrowed(_)));
        assert!(matches!(escape("a:b", Version::V1_2), Cow::Owned(_)));
    }

    #[test]
    fn unescape_per_version() {
        let wire = b"a\\\\b\\rc\\nd\\ce";
        assert_eq!(unescape(wire, Version::V1_2).unwrap(), "a\\b\rc\nd:e");
        assert_eq!(
            unescape(wire, Version::V1_1),
            Err(InvalidEscape::Undefined(b'r'))
        );
        assert_eq!(
            unescape(b"a\\\\b\\nd\\ce", Version::V1_1).unwrap(),
            "a\\b\nd:e"
        );
        assert_eq!(unescape(wire, Version::V1_0).unwrap(), "a\\\\b\\rc\\nd\\ce");
    }

    #[test]
    fn unescape_borrows_when_nothing_changes() {
        for v in ALL {
            assert!(matches!(unescape(b"/queue/a", v), Ok(Cow::Borrowed(_))));
        }
        assert!(matches!(
            unescape(b"a\\nb", Version::V1_0),
            Ok(Cow::Borrowed(_))
        ));
    }

    #[test]
    fn escaped_backslash_n_stays_backslash_n() {
        // The value is a backslash then the letter n, not a newline (stompjs gets this wrong).
        let value = "C:\\new";
        for v in [Version::V1_1, Version::V1_2] {
            let wire = escape(value, v);
            assert_eq!(wire, "C\\c\\\\new");
            assert_eq!(unescape(wire.as_bytes(), v).unwrap(), value);
        }
        assert_eq!(unescape(b"\\\\n", Version::V1_2).unwrap(), "\\n");
    }

    #[test]
    fn undefined_and_lone_escapes_are_errors() {
        for v in [Version::V1_1, Version::V1_2] {
            assert_eq!(unescape(b"a\\tb", v), Err(InvalidEscape::Undefined(b't')));
            assert_eq!(unescape(b"ab\\", v), Err(InvalidEscape::LoneBackslash));
            assert_eq!(unescape(b"\\", v), Err(InvalidEscape::LoneBackslash));
            assert_eq!(unescape(b"\\n\\", v), Err(InvalidEscape::LoneBackslash));
            assert_eq!(unescape(b"\\C", v), Err(InvalidEscape::Undefined(b'C')));
        }
        assert_eq!(unescape(b"ab\\", Version::V1_0).unwrap(), "ab\\");
    }

    #[test]
    fn spec_escaping_examples() {
        // STOMP 1.2: "\r" (octet 92 and 114) translates to carriage return, "\n" to line feed,
        // "\c" to colon and "\\" to backslash.
        let v = Version::V1_2;
        assert_eq!(unescape(b"\\r", v).unwrap(), "\r");
        assert_eq!(unescape(b"\\n", v).unwrap(), "\n");
        assert_eq!(unescape(b"\\c", v).unwrap(), ":");
        assert_eq!(unescape(b"\\\\", v).unwrap(), "\\");
    }

    #[test]
    fn invalid_utf8_is_replaced_not_rejected() {
        for v in ALL {
            assert_eq!(unescape(b"a\xffb", v).unwrap(), "a\u{fffd}b");
        }
        assert_eq!(unescape(b"\\c\xff", Version::V1_2).unwrap(), ":\u{fffd}");
    }

    #[test]
    fn multibyte_text_round_trips() {
        let s = "é€😀:\\\n\r";
        for v in [Version::V1_1, Version::V1_2] {
            let wire = escape(s, v);
            assert_eq!(unescape(wire.as_bytes(), v).unwrap(), s);
        }
    }

    #[test]
    fn escape_into_copies_runs() {
        let mut out = b"x".to_vec();
        escape_into(&mut out, b"ab:cd\\", Version::V1_2);
        assert_eq!(out, b"xab\\ccd\\\\");
        let mut out = Vec::new();
        escape_into(&mut out, b"a:b", Version::V1_0);
        assert_eq!(out, b"a:b");
    }

    #[test]
    fn display_is_readable() {
        assert_eq!(
            InvalidEscape::Undefined(b't').to_string(),
            "undefined escape sequence \"\\t\""
        );
        assert_eq!(
            InvalidEscape::Undefined(0).to_string(),
            "undefined escape sequence: backslash then byte 0x00"
        );
        assert_eq!(
            InvalidEscape::LoneBackslash.to_string(),
            "backslash at the end of a header"
        );
    }
}
