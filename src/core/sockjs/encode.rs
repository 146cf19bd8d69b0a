//! Outgoing messages: a JSON array of strings, quoted the way sockjs-client quotes them.
//!
//! sockjs-client (`lib/utils/escape.js`, `quote`) runs `JSON.stringify` and then replaces every
//! UTF-16 code unit matching its `extraEscapable` class with a `\uXXXX` escape (lowercase hex),
//! because browsers and proxies mangle those characters on the wire. Since that replacement
//! works on code units, every character above U+FFFF is sent as two surrogate escapes
//! (`😀` becomes `\ud83d\ude00`); this encoder does the same.
//!
//! The escaped set here is the union of sockjs-client 1.x's `extraEscapable` and the
//! `escapable_by_client` class of the sockjs-protocol 0.3.3 test suite (which adds json2.js's
//! classic set: U+007F-U+009F, U+00AD, U+0600-U+0604, U+070F, U+17B4-U+17B5, the whole
//! U+2000-U+20FF block including U+2028/U+2029, and U+FEFF). Escaping more than needed is always
//! safe: the server JSON-decodes it back to the same string.

/// The extra escapable code points as inclusive ranges, sorted (see the module docs).
/// Surrogates (U+D800-U+DFFF) are listed for completeness: a Rust `char` is never one, and
/// astral characters are escaped as pairs separately.
const EXTRA_ESCAPABLE: &[(u16, u16)] = &[
    (0x007f, 0x009f),
    (0x00ad, 0x00ad),
    (0x0300, 0x0333),
    (0x033d, 0x0346),
    (0x034a, 0x034c),
    (0x0350, 0x0352),
    (0x0357, 0x0358),
    (0x035c, 0x0362),
    (0x0374, 0x0374),
    (0x037e, 0x037e),
    (0x0387, 0x0387),
    (0x0591, 0x05af),
    (0x05c4, 0x05c4),
    (0x0600, 0x0604),
    (0x0610, 0x0617),
    (0x0653, 0x0654),
    (0x0657, 0x065b),
    (0x065d, 0x065e),
    (0x06df, 0x06e2),
    (0x06eb, 0x06ec),
    (0x070f, 0x070f),
    (0x0730, 0x0730),
    (0x0732, 0x0733),
    (0x0735, 0x0736),
    (0x073a, 0x073a),
    (0x073d, 0x073d),
    (0x073f, 0x0741),
    (0x0743, 0x0743),
    (0x0745, 0x0745),
    (0x0747, 0x0747),
    (0x07eb, 0x07f1),
    (0x0951, 0x0951),
    (0x0958, 0x095f),
    (0x09dc, 0x09dd),
    (0x09df, 0x09df),
    (0x0a33, 0x0a33),
    (0x0a36, 0x0a36),
    (0x0a59, 0x0a5b),
    (0x0a5e, 0x0a5e),
    (0x0b5c, 0x0b5d),
    (0x0e38, 0x0e39),
    (0x0f43, 0x0f43),
    (0x0f4d, 0x0f4d),
    (0x0f52, 0x0f52),
    (0x0f57, 0x0f57),
    (0x0f5c, 0x0f5c),
    (0x0f69, 0x0f69),
    (0x0f72, 0x0f76),
    (0x0f78, 0x0f78),
    (0x0f80, 0x0f83),
    (0x0f93, 0x0f93),
    (0x0f9d, 0x0f9d),
    (0x0fa2, 0x0fa2),
    (0x0fa7, 0x0fa7),
    (0x0fac, 0x0fac),
    (0x0fb9, 0x0fb9),
    (0x17b4, 0x17b5),
    (0x1939, 0x193a),
    (0x1a17, 0x1a17),
    (0x1b6b, 0x1b6b),
    (0x1cda, 0x1cdb),
    (0x1dc0, 0x1dcf),
    (0x1dfc, 0x1dfc),
    (0x1dfe, 0x1dfe),
    (0x1f71, 0x1f71),
    (0x1f73, 0x1f73),
    (0x1f75, 0x1f75),
    (0x1f77, 0x1f77),
    (0x1f79, 0x1f79),
    (0x1f7b, 0x1f7b),
    (0x1f7d, 0x1f7d),
    (0x1fbb, 0x1fbb),
    (0x1fbe, 0x1fbe),
    (0x1fc9, 0x1fc9),
    (0x1fcb, 0x1fcb),
    (0x1fd3, 0x1fd3),
    (0x1fdb, 0x1fdb),
    (0x1fe3, 0x1fe3),
    (0x1feb, 0x1feb),
    (0x1fee, 0x1fef),
    (0x1ff9, 0x1ff9),
    (0x1ffb, 0x1ffb),
    (0x1ffd, 0x1ffd),
    (0x2000, 0x20ff),
    (0x2126, 0x2126),
    (0x212a, 0x212b),
    (0x2329, 0x232a),
    (0x2adc, 0x2adc),
    (0x302b, 0x302c),
    (0xaab2, 0xaab3),
    (0xd800, 0xdfff),
    (0xf900, 0xfa0d),
    (0xfa10, 0xfa10),
    (0xfa12, 0xfa12),
    (0xfa15, 0xfa1e),
    (0xfa20, 0xfa20),
    (0xfa22, 0xfa22),
    (0xfa25, 0xfa26),
    (0xfa2a, 0xfa2d),
    (0xfa30, 0xfa6d),
    (0xfa70, 0xfad9),
    (0xfb1d, 0xfb1d),
    (0xfb1f, 0xfb1f),
    (0xfb2a, 0xfb36),
    (0xfb38, 0xfb3c),
    (0xfb3e, 0xfb3e),
    (0xfb40, 0xfb41),
    (0xfb43, 0xfb44),
    (0xfb46, 0xfb4e),
    (0xfeff, 0xfeff),
    (0xfff0, 0xffff),
];

/// Whether sockjs-client would send `c` as `\uXXXX` escape(s) rather than verbatim
/// (`"` and `\` aside, which get their short JSON escapes).
pub fn needs_escape(c: char) -> bool {
    let cp = u32::from(c);
    if !(0x20..=0xffff).contains(&cp) {
        return true;
    }
    if cp < 0x7f {
        return false;
    }
    EXTRA_ESCAPABLE
        .binary_search_by(|&(lo, hi)| {
            if u32::from(hi) < cp {
                std::cmp::Ordering::Less
            } else if u32::from(lo) > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

fn push_unit_escape(out: &mut String, unit: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str("\\u");
    for shift in [12u16, 8, 4, 0] {
        out.push(char::from(HEX[usize::from((unit >> shift) & 0xf)]));
    }
}

/// Appends `s` as a JSON string literal, quoted as sockjs-client's `quote` does.
pub fn quote_into(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let mut run_start = 0;
    for (i, c) in s.char_indices() {
        let short = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\u{8}' => "\\b",
            '\u{c}' => "\\f",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            _ if needs_escape(c) => "",
            _ => continue,
        };
        out.push_str(s.get(run_start..i).unwrap_or_default());
        run_start = i + c.len_utf8();
        if short.is_empty() {
            let mut units = [0u16; 2];
            for &unit in c.encode_utf16(&mut units).iter() {
                push_unit_escape(out, unit);
            }
        } else {
            out.push_str(short);
        }
    }
    out.push_str(s.get(run_start..).unwrap_or_default());
    out.push('"');
}

/// Appends the JSON array of `messages` (`["a","b"]`): the body of an `xhr_send` POST or a
/// WebSocket message of the SockJS websocket transport.
pub fn encode_into<I>(out: &mut String, messages: I)
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    out.push('[');
    for (i, m) in messages.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        quote_into(out, m.as_ref());
    }
    out.push(']');
}

/// The JSON array of `messages`, e.g. `encode_messages(["a"]) == r#"["a"]"#`.
pub fn encode_messages<I>(messages: I) -> String
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    let mut out = String::new();
    encode_into(&mut out, messages);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(s: &str) -> String {
        let mut out = String::new();
        quote_into(&mut out, s);
        out
    }

    #[test]
    fn table_is_sorted_and_disjoint() {
        for w in EXTRA_ESCAPABLE.windows(2) {
            if let [(lo1, hi1), (lo2, _)] = w {
                assert!(lo1 <= hi1 && hi1 < lo2, "{w:x?}");
            }
        }
    }

    #[test]
    fn plain_strings_are_verbatim() {
        assert_eq!(quote(""), r#""""#);
        assert_eq!(quote("a"), r#""a""#);
        assert_eq!(quote("héllo wörld ~"), "\"héllo wörld ~\"");
        assert_eq!(quote("日本語"), "\"日本語\"");
        assert_eq!(quote("a/b"), r#""a/b""#);
    }

    #[test]
    fn json_stringify_escapes() {
        assert_eq!(quote("\"\\"), r#""\"\\""#);
        assert_eq!(quote("\u{8}\u{c}\n\r\t"), r#""\b\f\n\r\t""#);
        assert_eq!(quote("\0"), r#""\u0000""#);
        assert_eq!(quote("\u{1}\u{1f}"), r#""\u0001\u001f""#);
        assert_eq!(quote("a\nb"), r#""a\nb""#);
    }

    #[test]
    fn extra_escapes() {
        assert_eq!(quote("\u{2028}\u{2029}"), r#""\u2028\u2029""#);
        assert_eq!(quote("\u{7f}\u{ad}\u{feff}"), r#""\u007f\u00ad\ufeff""#);
        assert_eq!(quote("\u{300}x\u{334}"), "\"\\u0300x\u{334}\"");
        assert_eq!(quote("\u{fff0}\u{ffff}\u{fffd}"), r#""\ufff0\uffff\ufffd""#);
        assert_eq!(quote("\u{fb4e}\u{fb4f}"), "\"\\ufb4e\u{fb4f}\"");
        assert_eq!(quote("😀"), r#""\ud83d\ude00""#);
        assert_eq!(
            quote("\u{10000}\u{10ffff}"),
            r#""\ud800\udc00\udbff\udfff""#
        );
    }

    /// Every code point of the sockjs-protocol 0.3.3 `escapable_by_client` class is escaped.
    #[test]
    fn protocol_escapable_by_client() {
        let ranges: &[(u32, u32)] = &[
            (0x00, 0x1f),
            (0x7f, 0x9f),
            (0xad, 0xad),
            (0x600, 0x604),
            (0x70f, 0x70f),
            (0x17b4, 0x17b5),
            (0x2000, 0x20ff),
            (0xfeff, 0xfeff),
            (0xfff0, 0xffff),
            (0x300, 0x333),
            (0x591, 0x5af),
            (0xf900, 0xfa0d),
            (0xfa70, 0xfad9),
            (0xfb46, 0xfb4e),
        ];
        for &(lo, hi) in ranges {
            for cp in lo..=hi {
                let c = char::from_u32(cp).unwrap_or('x');
                assert!(needs_escape(c), "U+{cp:04X}");
            }
        }
        for c in [
            'a', ' ', '~', 'é', '\u{334}', '\u{5b0}', '\u{2100}', '\u{fa0e}', '\u{ffef}',
        ] {
            assert!(!needs_escape(c), "{c:?}");
        }
    }

    #[test]
    fn arrays() {
        assert_eq!(encode_messages(["a"]), r#"["a"]"#);
        assert_eq!(encode_messages(Vec::<String>::new()), "[]");
        assert_eq!(encode_messages(["a", "b\"c"]), r#"["a","b\"c"]"#);
        let mut out = String::from("x");
        encode_into(&mut out, &["1".to_string(), "2".to_string()]);
        assert_eq!(out, r#"x["1","2"]"#);
    }
}
