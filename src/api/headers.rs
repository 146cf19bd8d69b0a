//! Headers cross the JS boundary packed as one string, `name\0value\0name\0value`: one
//! crossing instead of one per header.

use crate::core::frame::Headers;

/// Unpacks caller headers. The JS side has rejected NUL inside names and values.
pub fn unpack(packed: &str) -> Headers {
    let mut headers = Headers::new();
    if packed.is_empty() {
        return headers;
    }
    let mut parts = packed.split('\0');
    while let (Some(name), Some(value)) = (parts.next(), parts.next()) {
        headers.push(name, value);
    }
    headers
}

/// Packs frame headers for JS. A NUL inside a server's header (which would break the packing)
/// becomes U+FFFD.
pub fn pack(headers: &Headers) -> String {
    let mut out = String::new();
    for (name, value) in headers.iter() {
        if !out.is_empty() {
            out.push('\0');
        }
        push_clean(&mut out, name);
        out.push('\0');
        push_clean(&mut out, value);
    }
    out
}

fn push_clean(out: &mut String, s: &str) {
    if s.contains('\0') {
        out.push_str(&s.replace('\0', "\u{fffd}"));
    } else {
        out.push_str(s);
    }
}

/// Packs a MESSAGE for JS into `out` as one UTF-8 buffer: `sub\0`, then `name\0value\0` per
/// header, then the body. A repeated header is left out (the first value wins), so the JS side
/// assigns without checking. Returns the body's offset and the number of headers packed.
pub fn pack_message(
    out: &mut Vec<u8>,
    sub: &str,
    headers: &Headers,
    body: &[u8],
) -> (usize, usize) {
    out.clear();
    push_clean_bytes(out, sub);
    out.push(0);
    let mut count = 0;
    for (i, (name, value)) in headers.iter().enumerate() {
        if headers.iter().take(i).any(|(earlier, _)| earlier == name) {
            continue;
        }
        push_clean_bytes(out, name);
        out.push(0);
        push_clean_bytes(out, value);
        out.push(0);
        count += 1;
    }
    let head = out.len();
    out.extend_from_slice(body);
    (head, count)
}

/// Appends `s`, its NUL bytes (which would break the packing) as U+FFFD.
fn push_clean_bytes(out: &mut Vec<u8>, s: &str) {
    for (i, part) in s.split('\0').enumerate() {
        if i > 0 {
            out.extend_from_slice("\u{fffd}".as_bytes());
        }
        out.extend_from_slice(part.as_bytes());
    }
}
