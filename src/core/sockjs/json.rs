//! A small JSON reader: enough for SockJS frames and the `/info` document.
//!
//! It accepts exactly RFC 8259 JSON (whitespace, strings, numbers, booleans, `null`, arrays,
//! objects), limits nesting to [`MAX_DEPTH`], and never panics. Strings are unescaped fully:
//! `\uXXXX` escapes combine surrogate pairs, and a lone surrogate escape (which JavaScript
//! strings can hold but Rust strings cannot) becomes U+FFFD. Numbers keep their text so that
//! integers are read exactly and no float parser is linked unless [`Number::as_f64`] is used.

use std::fmt;

use crate::text::push_decimal;

/// The deepest nesting of arrays and objects accepted.
pub const MAX_DEPTH: usize = 32;

/// A parsed JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, kept as its (validated) text.
    Number(Number),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object: its members in document order, repeated keys included.
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The member `key` of an object: the last one when the key repeats, as `JSON.parse` does.
    /// `None` for a missing key or a value that is not an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|m| &m.1),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A short name of the value's type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }
}

/// A JSON number, as it was written (grammar already checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number(String);

impl Number {
    /// The number's text, e.g. `-12.5e3`.
    pub fn as_text(&self) -> &str {
        &self.0
    }

    /// The value as an `i64` if it is an integer in range. A fraction of only zeros
    /// (`3000.0`) counts as an integer; an exponent does not.
    pub fn as_i64(&self) -> Option<i64> {
        // One pass over the bytes (no substring search): digits, then optionally `.` and zeros.
        let (negative, digits) = match self.0.as_bytes().split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, self.0.as_bytes()),
        };
        let mut value: i64 = 0;
        let mut fraction = false;
        for &b in digits {
            match b {
                b'.' if !fraction => fraction = true,
                b'0' if fraction => {}
                b'0'..=b'9' if !fraction => {
                    let d = i64::from(b - b'0');
                    value = value.checked_mul(10)?;
                    value = if negative {
                        value.checked_sub(d)?
                    } else {
                        value.checked_add(d)?
                    };
                }
                _ => return None,
            }
        }
        Some(value)
    }

    /// The value as an `f64` (nearest representable; very large values become infinite).
    pub fn as_f64(&self) -> f64 {
        self.0.parse().unwrap_or(f64::NAN)
    }
}

/// What went wrong in a JSON document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonErrorKind {
    /// The text ended inside a value, or was empty.
    UnexpectedEnd,
    /// A character that cannot start or continue a value here.
    UnexpectedChar,
    /// A backslash escape other than `\" \\ \/ \b \f \n \r \t \uXXXX`.
    InvalidEscape,
    /// A number that does not follow the JSON grammar (`01`, `1.`, `-`, `1e`).
    InvalidNumber,
    /// A raw control character (U+0000 to U+001F) inside a string.
    ControlChar,
    /// Arrays and objects nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// Something other than whitespace after the value.
    TrailingChars,
}

/// A JSON syntax error and the byte offset where it was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonError {
    /// What went wrong.
    pub kind: JsonErrorKind,
    /// The byte offset in the parsed text.
    pub offset: usize,
}

impl JsonError {
    /// The error's message (its `Display` text), built without `core::fmt`.
    pub fn message(&self) -> String {
        let mut s = String::from(match self.kind {
            JsonErrorKind::UnexpectedEnd => "unexpected end of JSON",
            JsonErrorKind::UnexpectedChar => "unexpected character in JSON",
            JsonErrorKind::InvalidEscape => "invalid escape in JSON string",
            JsonErrorKind::InvalidNumber => "invalid JSON number",
            JsonErrorKind::ControlChar => "unescaped control character in JSON string",
            JsonErrorKind::TooDeep => "JSON nested too deeply",
            JsonErrorKind::TrailingChars => "unexpected data after JSON value",
        });
        s.push_str(" at byte ");
        push_decimal(&mut s, self.offset as u64);
        s
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for JsonError {}

/// Parses one JSON value, with optional whitespace around it.
pub fn parse(text: &str) -> Result<Value, JsonError> {
    let mut p = Parser { text, pos: 0 };
    let value = p.value(0)?;
    p.skip_ws();
    if p.pos < text.len() {
        return Err(p.err(JsonErrorKind::TrailingChars));
    }
    Ok(value)
}

/// Whether `b` is JSON whitespace.
pub(crate) fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn err(&self, kind: JsonErrorKind) -> JsonError {
        JsonError {
            kind,
            offset: self.pos,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// The error for the current position: end of input or an unexpected character.
    fn unexpected(&self) -> JsonError {
        match self.peek() {
            None => self.err(JsonErrorKind::UnexpectedEnd),
            Some(_) => self.err(JsonErrorKind::UnexpectedChar),
        }
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(is_ws) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, JsonError> {
        for expected in word.bytes() {
            if !self.eat(expected) {
                return Err(self.unexpected());
            }
        }
        Ok(value)
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.skip_ws();
        match self.peek() {
            None => Err(self.err(JsonErrorKind::UnexpectedEnd)),
            Some(b'"') => self.string().map(Value::String),
            Some(b'[') | Some(b'{') if depth >= MAX_DEPTH => Err(self.err(JsonErrorKind::TooDeep)),
            Some(b'[') => self.array(depth + 1),
            Some(b'{') => self.object(depth + 1),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.err(JsonErrorKind::UnexpectedChar)),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.pos += 1; // '['
        let mut items = Vec::new();
        self.skip_ws();
        if self.eat(b']') {
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            self.skip_ws();
            if self.eat(b']') {
                return Ok(Value::Array(items));
            }
            if !self.eat(b',') {
                return Err(self.unexpected());
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.pos += 1; // '{'
        let mut members = Vec::new();
        self.skip_ws();
        if self.eat(b'}') {
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.unexpected());
            }
            let key = self.string()?;
            self.skip_ws();
            if !self.eat(b':') {
                return Err(self.unexpected());
            }
            let value = self.value(depth)?;
            members.push((key, value));
            self.skip_ws();
            if self.eat(b'}') {
                return Ok(Value::Object(members));
            }
            if !self.eat(b',') {
                return Err(self.unexpected());
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.pos;
        let bad = |p: &Self| p.err(JsonErrorKind::InvalidNumber);
        self.eat(b'-');
        if self.eat(b'0') {
            if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err(bad(self));
            }
        } else if self.digits() == 0 {
            return Err(bad(self));
        }
        if self.eat(b'.') && self.digits() == 0 {
            return Err(bad(self));
        }
        if self.eat(b'e') || self.eat(b'E') {
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.digits() == 0 {
                return Err(bad(self));
            }
        }
        match self.text.get(start..self.pos) {
            Some(t) => Ok(Value::Number(Number(t.to_owned()))),
            None => Err(bad(self)),
        }
    }

    /// Parses a string; `self.pos` is at its opening quote.
    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1; // '"'
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while self
                .peek()
                .is_some_and(|b| b != b'"' && b != b'\\' && b >= 0x20)
            {
                self.pos += 1;
            }
            // Both ends sit next to ASCII bytes (or the text's ends), so on char boundaries.
            out.push_str(self.text.get(run_start..self.pos).unwrap_or_default());
            match self.peek() {
                None => return Err(self.err(JsonErrorKind::UnexpectedEnd)),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(_) => return Err(self.err(JsonErrorKind::ControlChar)),
            }
        }
    }

    /// Decodes one escape; `self.pos` is at its backslash.
    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let at = self.pos;
        let bad = JsonError {
            kind: JsonErrorKind::InvalidEscape,
            offset: at,
        };
        let simple = match self.text.as_bytes().get(at + 1) {
            None => return Err(self.err(JsonErrorKind::UnexpectedEnd)),
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let unit = self.hex4(at + 2).ok_or(bad)?;
                self.pos = at + 6;
                let c = match unit {
                    0xD800..=0xDBFF => match self.low_surrogate_escape() {
                        Some(low) => {
                            self.pos += 6;
                            let cp = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                            char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER)
                        }
                        None => char::REPLACEMENT_CHARACTER,
                    },
                    _ => char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER),
                };
                out.push(c);
                return Ok(());
            }
            Some(_) => return Err(bad),
        };
        out.push(simple);
        self.pos = at + 2;
        Ok(())
    }

    /// The low surrogate of a `\uDC00`-`\uDFFF` escape at `self.pos`, if there is one.
    fn low_surrogate_escape(&self) -> Option<u32> {
        let bytes = self.text.as_bytes();
        if bytes.get(self.pos) != Some(&b'\\') || bytes.get(self.pos + 1) != Some(&b'u') {
            return None;
        }
        self.hex4(self.pos + 2)
            .filter(|u| (0xDC00..=0xDFFF).contains(u))
    }

    /// Four hex digits at byte `at`.
    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.text.as_bytes().get(at..at + 4)?;
        digits.iter().try_fold(0u32, |acc, &b| {
            let d = (b as char).to_digit(16)?;
            Some(acc << 4 | d)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> String {
        match parse(text) {
            Ok(Value::String(s)) => s,
            other => panic!("{text}: {other:?}"),
        }
    }

    fn kind(text: &str) -> JsonErrorKind {
        match parse(text) {
            Err(e) => e.kind,
            Ok(v) => panic!("{text} parsed as {v:?}"),
        }
    }

    #[test]
    fn scalars() {
        assert_eq!(parse("null"), Ok(Value::Null));
        assert_eq!(parse(" true "), Ok(Value::Bool(true)));
        assert_eq!(parse("\t\r\nfalse"), Ok(Value::Bool(false)));
        let n = |t: &str| match parse(t) {
            Ok(Value::Number(n)) => n,
            other => panic!("{other:?}"),
        };
        assert_eq!(n("0").as_i64(), Some(0));
        assert_eq!(n("-0").as_i64(), Some(0));
        assert_eq!(n("3000").as_i64(), Some(3000));
        assert_eq!(n("3000.00").as_i64(), Some(3000));
        assert_eq!(n("3000.5").as_i64(), None);
        assert_eq!(n("1e3").as_i64(), None);
        assert_eq!(n("-2147483648").as_i64(), Some(-2147483648));
        assert_eq!(n("9223372036854775807").as_i64(), Some(i64::MAX));
        assert_eq!(n("-9223372036854775808").as_i64(), Some(i64::MIN));
        assert_eq!(n("9223372036854775808").as_i64(), None);
        assert_eq!(n("-12.5e3").as_f64(), -12500.0);
        assert_eq!(n("1E+2").as_text(), "1E+2");
    }

    #[test]
    fn bad_numbers() {
        for t in [
            "01", "-", "1.", ".5", "1e", "1e+", "+1", "-a", "0x10", "1.e5", "--1",
        ] {
            let k = kind(t);
            assert!(
                matches!(
                    k,
                    JsonErrorKind::InvalidNumber
                        | JsonErrorKind::UnexpectedChar
                        | JsonErrorKind::TrailingChars
                ),
                "{t}: {k:?}"
            );
        }
    }

    #[test]
    fn strings_and_escapes() {
        assert_eq!(s(r#""""#), "");
        assert_eq!(s(r#""a\"b\\c\/d""#), "a\"b\\c/d");
        assert_eq!(s(r#""\b\f\n\r\t""#), "\u{8}\u{c}\n\r\t");
        assert_eq!(
            s(r#""\u0000\u001f\u00e9\u2028\uFFFF""#),
            "\0\u{1f}é\u{2028}\u{ffff}"
        );
        assert_eq!(s(r#""\ud83d\ude00""#), "😀");
        assert_eq!(s(r#""\uD83D\uDE00x""#), "😀x");
        assert_eq!(s("\"héllo 😀\""), "héllo 😀");
        // Lone surrogates become U+FFFD; what follows is still decoded.
        assert_eq!(s(r#""\ud83d""#), "\u{fffd}");
        assert_eq!(s(r#""\ude00""#), "\u{fffd}");
        assert_eq!(s(r#""\ud83dx""#), "\u{fffd}x");
        assert_eq!(s(r#""\ud83d\n""#), "\u{fffd}\n");
        assert_eq!(s(r#""\ud83d\ud83d\ude00""#), "\u{fffd}😀");
        assert_eq!(s(r#""\ude00\ud83d""#), "\u{fffd}\u{fffd}");
    }

    #[test]
    fn bad_strings() {
        assert_eq!(kind(r#""\x""#), JsonErrorKind::InvalidEscape);
        assert_eq!(kind(r#""\u12G4""#), JsonErrorKind::InvalidEscape);
        assert_eq!(kind(r#""\u12""#), JsonErrorKind::InvalidEscape);
        assert_eq!(kind(r#""\ud83d\u12G4""#), JsonErrorKind::InvalidEscape);
        assert_eq!(kind("\"\\"), JsonErrorKind::UnexpectedEnd);
        assert_eq!(kind("\"abc"), JsonErrorKind::UnexpectedEnd);
        assert_eq!(kind("\"a\nb\""), JsonErrorKind::ControlChar);
        assert_eq!(kind("\"a\0b\""), JsonErrorKind::ControlChar);
        assert_eq!(kind("'a'"), JsonErrorKind::UnexpectedChar);
    }

    #[test]
    fn containers() {
        let v = parse(r#" { "a" : [1, "x", null, {"b": []}], "c": {}, "a": true } "#);
        let v = match v {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(v.get("a"), Some(&Value::Bool(true)), "last key wins");
        assert_eq!(v.get("c"), Some(&Value::Object(vec![])));
        assert_eq!(v.get("zz"), None);
        assert_eq!(Value::Null.get("a"), None);
        assert_eq!(parse("[]"), Ok(Value::Array(vec![])));
        assert_eq!(
            parse(r#"["a","b"]"#),
            Ok(Value::Array(vec![
                Value::String("a".into()),
                Value::String("b".into())
            ]))
        );
    }

    #[test]
    fn bad_containers() {
        for t in [
            "[",
            "[1",
            "[1,",
            "[1,]",
            "[,1]",
            "[1 2]",
            "{",
            "{\"a\"",
            "{\"a\":",
            "{\"a\":1,}",
            "{a:1}",
            "{\"a\" 1}",
            "{1:2}",
            "]",
            "}",
            "",
        ] {
            assert!(parse(t).is_err(), "{t}");
        }
        assert_eq!(kind("[1] x"), JsonErrorKind::TrailingChars);
        assert_eq!(kind("1 2"), JsonErrorKind::TrailingChars);
        assert_eq!(kind("   "), JsonErrorKind::UnexpectedEnd);
        assert_eq!(kind("tru"), JsonErrorKind::UnexpectedEnd);
        assert_eq!(kind("trux"), JsonErrorKind::UnexpectedChar);
    }

    #[test]
    fn depth_limit() {
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(kind(&deep), JsonErrorKind::TooDeep);
        let huge = "[{\"a\":".repeat(100_000);
        assert_eq!(kind(&huge), JsonErrorKind::TooDeep);
    }

    #[test]
    fn error_display() {
        let e = JsonError {
            kind: JsonErrorKind::InvalidEscape,
            offset: 7,
        };
        assert_eq!(e.to_string(), "invalid escape in JSON string at byte 7");
        match parse("[1,]") {
            Err(e) => assert_eq!(e.offset, 3),
            Ok(v) => panic!("{v:?}"),
        }
    }
}
