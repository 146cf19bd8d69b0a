//! Debug renderings of frames and transmits, with secrets masked.
//!
//! Values of the headers `passcode`, `password`, `authorization`, `proxy-authorization` and of
//! any header whose name ends in `token` (names compared ignoring ASCII case) are never shown:
//! they become `***`, and an `authorization` value keeps only its scheme (`Bearer ***`).
//! Bodies longer than [`BODY_LIMIT`] bytes are cut, with their full length noted.

use crate::core::frame::Frame;

/// The most body bytes a debug line shows.
pub const BODY_LIMIT: usize = 1024;

/// The text shown for a masked value.
const MASK: &str = "***";

/// Whether `name` ends in `suffix`, ignoring ASCII case.
fn ends_with_ignore_case(name: &str, suffix: &str) -> bool {
    name.len()
        .checked_sub(suffix.len())
        .and_then(|i| name.as_bytes().get(i..))
        .is_some_and(|tail| tail.eq_ignore_ascii_case(suffix.as_bytes()))
}

/// Whether a header with this name holds a secret (see the module docs).
pub fn is_secret(name: &str) -> bool {
    let is = |s: &str| name.eq_ignore_ascii_case(s);
    is("passcode")
        || is("password")
        || is("authorization")
        || is("proxy-authorization")
        || ends_with_ignore_case(name, "token")
}

/// Appends `value`, masked if `name` is a secret, to `out`.
fn push_value(out: &mut String, name: &str, value: &str) {
    if !is_secret(name) {
        out.push_str(value);
        return;
    }
    if ends_with_ignore_case(name, "authorization") {
        if let Some((scheme, _)) = value.trim_start().split_once(' ') {
            out.push_str(scheme);
            out.push(' ');
        }
    }
    out.push_str(MASK);
}

/// Appends the body text (cut at [`BODY_LIMIT`]) to `out`.
fn push_body(out: &mut String, body: &[u8]) {
    if body.is_empty() {
        return;
    }
    out.push('\n');
    let shown = body.get(..BODY_LIMIT).unwrap_or(body);
    out.push_str(&String::from_utf8_lossy(shown));
    if shown.len() < body.len() {
        out.push_str("... (");
        crate::text::push_decimal(out, body.len() as u64);
        out.push_str(" bytes)");
    }
}

/// Renders a frame for a debug line: the command, `name:value` header lines (secrets masked),
/// then a blank line and the body as text if there is one.
///
/// ```
/// use webstomp_wasm::core::command::Command;
/// use webstomp_wasm::core::frame::Frame;
/// use webstomp_wasm::core::session::debug::describe_frame;
/// let f = Frame::new(Command::Connect).header("login", "me").header("passcode", "secret");
/// assert_eq!(describe_frame(&f), "CONNECT\nlogin:me\npasscode:***\n");
/// ```
pub fn describe_frame(frame: &Frame) -> String {
    let mut out = String::with_capacity(64);
    out.push_str(frame.command.as_str());
    out.push('\n');
    for (name, value) in frame.headers.iter() {
        out.push_str(name);
        out.push(':');
        push_value(&mut out, name, value);
        out.push('\n');
    }
    push_body(&mut out, &frame.body);
    out
}

/// Renders encoded bytes (a whole frame, a piece of one, or a heart-beat) for a debug line:
/// header lines with secrets masked, the body as text without its NUL terminator. A
/// heart-beat (only EOLs) renders as `<heart-beat>`.
///
/// ```
/// use webstomp_wasm::core::session::debug::describe_bytes;
/// assert_eq!(describe_bytes(b"\n"), "<heart-beat>");
/// assert_eq!(
///     describe_bytes(b"CONNECT\nAuthorization:Bearer abc\n\n\0"),
///     "CONNECT\nAuthorization:Bearer ***\n"
/// );
/// ```
pub fn describe_bytes(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return String::new();
    }
    if bytes.iter().all(|&b| b == b'\n' || b == b'\r') {
        return "<heart-beat>".to_owned();
    }
    let mut out = String::with_capacity(bytes.len().min(BODY_LIMIT) + 16);
    let mut rest = bytes;
    // Header section: lines up to the first empty one.
    loop {
        let (line, tail, ended) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (rest.get(..i).unwrap_or_default(), rest.get(i + 1..), true),
            None => (rest, None, false),
        };
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        rest = tail.unwrap_or_default();
        if line.is_empty() && ended {
            break;
        }
        let text = String::from_utf8_lossy(line);
        match text.split_once(':') {
            Some((name, value)) => {
                out.push_str(name);
                out.push(':');
                push_value(&mut out, name, value);
            }
            None => out.push_str(&text),
        }
        if !ended {
            return out;
        }
        out.push('\n');
    }
    let body = match rest.iter().position(|&b| b == 0) {
        Some(i) => rest.get(..i).unwrap_or_default(),
        None => rest,
    };
    push_body(&mut out, body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::command::Command;

    #[test]
    fn secrets_are_masked_in_frames() {
        let f = Frame::new(Command::Connect)
            .header("login", "guest")
            .header("passcode", "hunter2")
            .header("Authorization", "Bearer abc.def")
            .header("X-Auth-Token", "t0k")
            .header("authorization", "opaque");
        let s = describe_frame(&f);
        assert!(!s.contains("hunter2") && !s.contains("abc.def") && !s.contains("t0k"));
        assert!(!s.contains("opaque"));
        assert_eq!(
            s,
            "CONNECT\nlogin:guest\npasscode:***\nAuthorization:Bearer ***\n\
             X-Auth-Token:***\nauthorization:***\n"
        );
    }

    #[test]
    fn bodies_are_shown_and_cut() {
        let f = Frame::new(Command::Send)
            .header("destination", "/q")
            .body("hi");
        assert_eq!(describe_frame(&f), "SEND\ndestination:/q\n\nhi");
        let big = Frame::new(Command::Send).body(vec![b'a'; BODY_LIMIT + 1]);
        let s = describe_frame(&big);
        assert!(s.ends_with(&format!("... ({} bytes)", BODY_LIMIT + 1)));
    }

    #[test]
    fn bytes_are_masked_and_pieces_do_not_panic() {
        let wire = b"CONNECT\r\npasscode:s3cret\r\nlogin:a\r\n\r\n\0";
        assert_eq!(describe_bytes(wire), "CONNECT\npasscode:***\nlogin:a\n");
        assert_eq!(
            describe_bytes(b"SEND\ndestination:/q\n\nbody\0\n"),
            "SEND\ndestination:/q\n\nbody"
        );
        for i in 0..wire.len() {
            let s = describe_bytes(wire.get(..i).unwrap_or_default());
            assert!(!s.contains("s3cret"));
        }
        assert_eq!(describe_bytes(b""), "");
        assert_eq!(describe_bytes(b"\r\n"), "<heart-beat>");
    }
}
