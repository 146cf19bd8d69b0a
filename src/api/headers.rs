//! Headers cross the JS boundary packed as one string, `name\0value\0name\0value`: one
//! crossing instead of one per header.

use std::cell::RefCell;

use crate::core::frame::{Frame, Headers};

thread_local! {
    /// Header names the JS side holds as constants (see [`set_known_names`]).
    static KNOWN: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// In [`head_offsets`], a header whose name is `known[i]` starts at `KNOWN_NAME + i`: the JS
/// side uses its constant string, and the object it builds sees the same key strings every time.
pub const KNOWN_NAME: u32 = 0x8000_0000;

/// Sets the header names the JS side holds as constants.
pub fn set_known_names(names: Vec<String>) {
    KNOWN.with(|k| *k.borrow_mut() = names);
}

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
        if repeats(headers, i, name) {
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

/// Where a frame's subscription and headers are in the text it came in, for a frame whose head
/// there is exactly `COMMAND\n`, then `name:value\n` per header, then `\n`: no CR and no
/// escape, so each header's text is a slice of the message. `head` and `body` are the offsets of
/// the frame and of its body. Appends to `out` the subscription value's start and end (0, 0
/// when `sub` is false), then the start, colon and end of each header, repeats left out (the
/// first value wins), and returns the number of headers; `None`, appending nothing, when the
/// head is not that plain.
/// A header's start is [`KNOWN_NAME`] plus an index for a name of the known list.
#[cfg_attr(webstomp_speed, optimize(speed))]
pub fn head_offsets(
    out: &mut Vec<u32>,
    frame: &Frame,
    head: u32,
    body: u32,
    sub: bool,
) -> Option<usize> {
    let command = frame.command.as_str().len();
    let plain = frame.headers.iter().fold(command + 2, |n, (name, value)| {
        n + name.len() + value.len() + 2
    });
    if u32::try_from(plain).ok()? != body.checked_sub(head)? {
        return None;
    }
    let base = out.len();
    out.extend_from_slice(&[0, 0]);
    let mut at = head + command as u32 + 1;
    let mut count = 0;
    KNOWN.with(|known| {
        let known = known.borrow();
        for (i, (name, value)) in frame.headers.iter().enumerate() {
            let colon = at + name.len() as u32;
            let end = colon + 1 + value.len() as u32;
            if !repeats(&frame.headers, i, name) {
                if sub && same(name, "subscription") {
                    out[base] = colon + 1;
                    out[base + 1] = end;
                }
                let start = match known.iter().position(|k| same(k, name)) {
                    Some(k) => KNOWN_NAME + k as u32,
                    None => at,
                };
                out.extend_from_slice(&[start, colon, end]);
                count += 1;
            }
            at = end + 1;
        }
    });
    Some(count)
}

/// Whether entry `i`, named `name`, repeats an earlier entry's name: JS gets the first only.
fn repeats(headers: &Headers, i: usize, name: &str) -> bool {
    headers
        .iter()
        .take(i)
        .any(|(earlier, _)| same(earlier, name))
}

/// `a == b`, with the length compared inline first: most names differ in length, and this runs
/// for every header of every message.
#[inline(always)]
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}
