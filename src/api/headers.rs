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
