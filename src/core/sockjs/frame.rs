//! Incoming SockJS frames: `o`, `h`, `a[...]`, `m"..."` and `c[code,"reason"]`.
//!
//! One frame is one WebSocket text message, or one line of an xhr-streaming or xhr-polling
//! response (see [`super::stream`]). The frame type is its first character; the JSON payload of
//! `a`, `m` and `c` follows it directly and may be surrounded by JSON whitespace. `o` and `h`
//! may be followed by whitespace only (a `\r` left over from a CRLF line, say); a line of only
//! `h` (the xhr-streaming prelude) is one heart-beat, as sockjs-client reads it.

use std::fmt;

use super::json::{self, is_ws, JsonError, Value};
use crate::text::push_quoted_char;

/// A decoded SockJS frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SockJsFrame {
    /// `o`: the session is open.
    Open,
    /// `h`: a server heart-beat (also the xhr-streaming prelude, a line of 2048 `h`).
    Heartbeat,
    /// `a["...",...]` (or the old single-message `m"..."`): messages, in order.
    Messages(Vec<String>),
    /// `c[code,"reason"]`: the server closed the session.
    Close {
        /// The close code, e.g. 3000.
        code: u16,
        /// The reason, e.g. `Go away!`.
        reason: String,
    },
}

/// Why a frame could not be decoded. Every variant is a protocol error (close code 1002).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    /// The frame was empty (the stream splitter never yields empty frames).
    Empty,
    /// The first character is not one of `o h a m c`.
    UnknownType(char),
    /// `o` or `h` followed by something other than whitespace.
    TrailingData(char),
    /// The payload of an `a`, `m` or `c` frame is not valid JSON.
    InvalidJson {
        /// The frame type.
        frame: char,
        /// The JSON error; its offset counts from the byte after the frame type.
        error: JsonError,
    },
    /// The payload is valid JSON of the wrong shape.
    WrongShape {
        /// The frame type.
        frame: char,
        /// What the payload must be, e.g. `an array of strings`.
        expected: &'static str,
    },
}

impl FrameError {
    /// The error's message (its `Display` text), built without `core::fmt`.
    pub fn message(&self) -> String {
        let mut s = String::new();
        match self {
            FrameError::Empty => s.push_str("empty SockJS frame"),
            FrameError::UnknownType(c) => {
                s.push_str("unknown SockJS frame type ");
                push_quoted_char(&mut s, *c);
            }
            FrameError::TrailingData(c) => {
                s.push_str("unexpected data after SockJS ");
                push_quoted_char(&mut s, *c);
                s.push_str(" frame");
            }
            FrameError::InvalidJson { frame, error } => {
                s.push_str("invalid JSON in SockJS ");
                push_quoted_char(&mut s, *frame);
                s.push_str(" frame: ");
                s.push_str(&error.message());
            }
            FrameError::WrongShape { frame, expected } => {
                s.push_str("SockJS ");
                push_quoted_char(&mut s, *frame);
                s.push_str(" frame payload must be ");
                s.push_str(expected);
            }
        }
        s
    }
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for FrameError {}

const ARRAY_OF_STRINGS: &str = "an array of strings";
const STRING: &str = "a string";
const CODE_AND_REASON: &str = "[code, \"reason\"] with an integer code 0-65535";

/// Decodes one SockJS frame.
///
/// ```
/// use webstomp_wasm::core::sockjs::{parse_frame, SockJsFrame};
/// assert_eq!(parse_frame("o"), Ok(SockJsFrame::Open));
/// assert_eq!(parse_frame(r#"a["a"]"#), Ok(SockJsFrame::Messages(vec!["a".into()])));
/// assert_eq!(
///     parse_frame(r#"c[3000,"Go away!"]"#),
///     Ok(SockJsFrame::Close { code: 3000, reason: "Go away!".into() })
/// );
/// ```
pub fn parse_frame(text: &str) -> Result<SockJsFrame, FrameError> {
    let mut chars = text.chars();
    let frame = chars.next().ok_or(FrameError::Empty)?;
    let payload = chars.as_str();
    match frame {
        'o' | 'h' => match payload
            .bytes()
            .find(|&b| !is_ws(b) && (frame != 'h' || b != b'h'))
        {
            None if frame == 'o' => Ok(SockJsFrame::Open),
            None => Ok(SockJsFrame::Heartbeat),
            Some(_) => Err(FrameError::TrailingData(frame)),
        },
        'a' | 'm' | 'c' => {
            let value =
                json::parse(payload).map_err(|error| FrameError::InvalidJson { frame, error })?;
            let wrong = |expected| FrameError::WrongShape { frame, expected };
            match (frame, value) {
                ('a', Value::Array(items)) => {
                    // A plain loop: `collect::<Result<..>>()` links about a kilobyte of in-place
                    // iteration machinery.
                    let mut messages = Vec::with_capacity(items.len());
                    for item in items {
                        match item {
                            Value::String(s) => messages.push(s),
                            _ => return Err(wrong(ARRAY_OF_STRINGS)),
                        }
                    }
                    Ok(SockJsFrame::Messages(messages))
                }
                ('a', _) => Err(wrong(ARRAY_OF_STRINGS)),
                ('m', Value::String(s)) => Ok(SockJsFrame::Messages(vec![s])),
                ('m', _) => Err(wrong(STRING)),
                (_, Value::Array(items)) => match <[Value; 2]>::try_from(items) {
                    Ok([Value::Number(code), Value::String(reason)]) => code
                        .as_i64()
                        .and_then(|c| u16::try_from(c).ok())
                        .map(|code| SockJsFrame::Close { code, reason })
                        .ok_or(wrong(CODE_AND_REASON)),
                    _ => Err(wrong(CODE_AND_REASON)),
                },
                _ => Err(wrong(CODE_AND_REASON)),
            }
        }
        other => Err(FrameError::UnknownType(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msgs(v: &[&str]) -> Result<SockJsFrame, FrameError> {
        Ok(SockJsFrame::Messages(
            v.iter().map(|s| s.to_string()).collect(),
        ))
    }

    fn close(code: u16, reason: &str) -> Result<SockJsFrame, FrameError> {
        Ok(SockJsFrame::Close {
            code,
            reason: reason.into(),
        })
    }

    #[test]
    fn protocol_spec_vectors() {
        assert_eq!(parse_frame("o"), Ok(SockJsFrame::Open));
        assert_eq!(parse_frame("h"), Ok(SockJsFrame::Heartbeat));
        assert_eq!(parse_frame(r#"a["a"]"#), msgs(&["a"]));
        assert_eq!(parse_frame(r#"a["x"]"#), msgs(&["x"]));
        assert_eq!(parse_frame(r#"a["b"]"#), msgs(&["b"]));
        assert_eq!(parse_frame(r#"a["message"]"#), msgs(&["message"]));
        assert_eq!(
            parse_frame(r#"c[3000,"Go away!"]"#),
            close(3000, "Go away!")
        );
        assert_eq!(
            parse_frame(r#"c[2010,"Another connection still open"]"#),
            close(2010, "Another connection still open")
        );
        assert_eq!(
            parse_frame(r#"c[1002,"Connection interrupted"]"#),
            close(1002, "Connection interrupted")
        );
        assert_eq!(
            parse_frame(r#"a["a","a","a","a","a","a","a","a"]"#),
            msgs(&["a"; 8])
        );
        // The eventsource test's payload: leading spaces, NUL, CR and LF survive.
        assert_eq!(parse_frame(r#"a["  \u0000\n\r "]"#), msgs(&["  \0\n\r "]));
        // Server-escaped characters (sockjs-protocol `escapable_by_server`) decode.
        assert_eq!(
            parse_frame(r#"a["\u200c\u2028\u2029\u2060\ufff0\uffff"]"#),
            msgs(&["\u{200c}\u{2028}\u{2029}\u{2060}\u{fff0}\u{ffff}"])
        );
        // The prelude is a heart-beat to sockjs-client too.
        assert_eq!(parse_frame(&"h".repeat(2048)), Ok(SockJsFrame::Heartbeat));
    }

    #[test]
    fn old_single_message_frame() {
        assert_eq!(parse_frame(r#"m"hello""#), msgs(&["hello"]));
        assert_eq!(parse_frame(r#"m"\ud83d\ude00""#), msgs(&["😀"]));
        assert_eq!(parse_frame(r#"m"\ud83d""#), msgs(&["\u{fffd}"]));
    }

    #[test]
    fn whitespace() {
        assert_eq!(parse_frame("o\r"), Ok(SockJsFrame::Open));
        assert_eq!(parse_frame("h \n"), Ok(SockJsFrame::Heartbeat));
        assert_eq!(parse_frame("a [ \"a\" , \"b\" ]\r\n"), msgs(&["a", "b"]));
        assert_eq!(
            parse_frame("c[ 3000 ,\t\"Go away!\" ] "),
            close(3000, "Go away!")
        );
        assert_eq!(parse_frame("m \"x\" "), msgs(&["x"]));
        assert_eq!(parse_frame("a[]"), msgs(&[]));
    }

    #[test]
    fn close_code_forms() {
        assert_eq!(parse_frame(r#"c[3000.0,"x"]"#), close(3000, "x"));
        assert_eq!(parse_frame(r#"c[0,""]"#), close(0, ""));
        assert_eq!(parse_frame(r#"c[65535,""]"#), close(65535, ""));
        for bad in [
            r#"c[65536,"x"]"#,
            r#"c[-1,"x"]"#,
            r#"c[3000.5,"x"]"#,
            r#"c["3000","x"]"#,
            r#"c[3000]"#,
            r#"c[3000,"x",1]"#,
            r#"c[3000,null]"#,
            r#"c{"code":3000}"#,
            r#"c"x""#,
            r#"c[]"#,
        ] {
            assert_eq!(
                parse_frame(bad),
                Err(FrameError::WrongShape {
                    frame: 'c',
                    expected: CODE_AND_REASON
                }),
                "{bad}"
            );
        }
    }

    #[test]
    fn errors() {
        assert_eq!(parse_frame(""), Err(FrameError::Empty));
        assert_eq!(parse_frame("x"), Err(FrameError::UnknownType('x')));
        assert_eq!(parse_frame(" o"), Err(FrameError::UnknownType(' ')));
        assert_eq!(parse_frame("é[]"), Err(FrameError::UnknownType('é')));
        assert_eq!(parse_frame("A[]"), Err(FrameError::UnknownType('A')));
        assert_eq!(parse_frame("oops"), Err(FrameError::TrailingData('o')));
        assert_eq!(parse_frame("hx"), Err(FrameError::TrailingData('h')));
        assert_eq!(parse_frame("oo"), Err(FrameError::TrailingData('o')));
        assert!(matches!(
            parse_frame(r#"a["a"#),
            Err(FrameError::InvalidJson { frame: 'a', .. })
        ));
        assert!(matches!(
            parse_frame("a"),
            Err(FrameError::InvalidJson { frame: 'a', .. })
        ));
        assert!(matches!(
            parse_frame(r#"a["\x"]"#),
            Err(FrameError::InvalidJson { frame: 'a', .. })
        ));
        assert!(matches!(
            parse_frame(r#"a["a"] x"#),
            Err(FrameError::InvalidJson { frame: 'a', .. })
        ));
        let shape = |frame, expected| Err(FrameError::WrongShape { frame, expected });
        assert_eq!(parse_frame(r#"a"a""#), shape('a', ARRAY_OF_STRINGS));
        assert_eq!(parse_frame(r#"a[1]"#), shape('a', ARRAY_OF_STRINGS));
        assert_eq!(parse_frame(r#"a["a",null]"#), shape('a', ARRAY_OF_STRINGS));
        assert_eq!(parse_frame(r#"a[["a"]]"#), shape('a', ARRAY_OF_STRINGS));
        assert_eq!(parse_frame(r#"m["a"]"#), shape('m', STRING));
    }

    #[test]
    fn error_display() {
        assert_eq!(FrameError::Empty.to_string(), "empty SockJS frame");
        assert_eq!(
            FrameError::UnknownType('x').to_string(),
            "unknown SockJS frame type 'x'"
        );
        assert_eq!(
            parse_frame("a[1]").err().map(|e| e.to_string()),
            Some("SockJS 'a' frame payload must be an array of strings".into())
        );
        assert_eq!(
            parse_frame("a[").err().map(|e| e.to_string()),
            Some("invalid JSON in SockJS 'a' frame: unexpected end of JSON at byte 1".into())
        );
    }
}
