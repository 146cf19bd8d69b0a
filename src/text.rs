//! Building messages without `core::fmt`.
//!
//! `format!`, `write!` and `to_string()` pull the formatting machinery into the WebAssembly
//! module (argument tables, padding, integer and `{:?}` formatting with its Unicode tables),
//! several kilobytes of the package. Messages the wasm build can produce are built from `&str`
//! pieces with these helpers instead; the error types' `Display` impls write the same text.

/// Appends the decimal digits of `n`.
///
/// ```
/// let mut s = String::from("code ");
/// webstomp_wasm::text::push_decimal(&mut s, 4002);
/// assert_eq!(s, "code 4002");
/// ```
pub fn push_decimal(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

/// `n` in decimal.
pub fn decimal(n: u64) -> String {
    let mut s = String::new();
    push_decimal(&mut s, n);
    s
}

/// Appends `s` in double quotes, escaped as Rust's `{:?}` escapes ASCII: `\"`, `\\`, `\0`,
/// `\t`, `\r`, `\n` and `\u{…}` for other control characters. Characters beyond ASCII are kept
/// as they are (where `{:?}` would also escape the non-printable ones).
///
/// ```
/// let mut s = String::new();
/// webstomp_wasm::text::push_quoted(&mut s, "a\"b\\c\nd\u{1}é");
/// assert_eq!(s, r#""a\"b\\c\nd\u{1}é""#);
/// ```
pub fn push_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        push_escaped(out, c, '"');
    }
    out.push('"');
}

/// `s` in double quotes, escaped as [`push_quoted`] escapes.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_quoted(&mut out, s);
    out
}

/// Appends `c` in single quotes, escaped as [`push_quoted`] escapes (`'` rather than `"`), as
/// `{:?}` shows a `char`.
pub fn push_quoted_char(out: &mut String, c: char) {
    out.push('\'');
    push_escaped(out, c, '\'');
    out.push('\'');
}

fn push_escaped(out: &mut String, c: char, quote: char) {
    let escaped = match c {
        '\\' => "\\\\",
        '\0' => "\\0",
        '\t' => "\\t",
        '\r' => "\\r",
        '\n' => "\\n",
        c if c < ' ' || c == '\u{7f}' => {
            let b = c as u8;
            out.push_str("\\u{");
            if b >= 16 {
                out.push(hex_digit(b >> 4));
            }
            out.push(hex_digit(b & 15));
            out.push('}');
            return;
        }
        c => {
            if c == quote {
                out.push('\\');
            }
            out.push(c);
            return;
        }
    };
    out.push_str(escaped);
}

/// The lowercase hex digit for `n` (0 to 15).
pub fn hex_digit(n: u8) -> char {
    char::from(if n < 10 { b'0' + n } else { b'a' + n - 10 })
}

/// The pieces joined into one string.
///
/// ```
/// assert_eq!(webstomp_wasm::text::concat(&["a", "", "bc"]), "abc");
/// ```
pub fn concat(pieces: &[&str]) -> String {
    let mut s = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
    for p in pieces {
        s.push_str(p);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_is_as_display() {
        for n in [0, 7, 10, 99, 100, 65535, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(decimal(n), n.to_string());
        }
    }

    #[test]
    fn quoted_ascii_is_as_debug() {
        let all: String = (0u8..128).map(char::from).collect();
        let mut s = String::new();
        push_quoted(&mut s, &all);
        assert_eq!(s, format!("{all:?}"));
        let mut s = String::new();
        push_quoted(&mut s, "€ and ü");
        assert_eq!(s, format!("{:?}", "€ and ü"));
    }

    #[test]
    fn quoted_char_is_as_debug() {
        for c in (0u8..128).map(char::from).chain(['é', '€']) {
            let mut s = String::new();
            push_quoted_char(&mut s, c);
            assert_eq!(s, format!("{c:?}"));
        }
    }
}
