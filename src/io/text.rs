//! Socket messages into WebAssembly memory. A text message is encoded with one `encodeInto`
//! straight into a reused buffer: wasm-bindgen's own string passing copies ASCII one
//! character at a time in JS, which was most of the cost of a 4 KiB message. The package's JS
//! installs a helper ([`set_helper`]) that does it in one call; without it (the Rust test
//! suites) the browser's `TextEncoder` is called from here, in four.

use std::cell::{Cell, RefCell};

use js_sys::{JsString, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// The package's JS helper for text messages.
    pub type TextHelper;
    /// Encodes `data`, a socket message's data, into WebAssembly memory at `ptr` (room for
    /// `room` bytes). Returns twice the bytes written, plus 1 when it is all ASCII; -1 when it
    /// did not fit; -2 when it is not a string.
    #[wasm_bindgen(method, structural)]
    fn encode(this: &TextHelper, data: &JsValue, ptr: u32, room: u32) -> f64;

    #[wasm_bindgen(js_name = TextEncoder)]
    type Encoder;
    #[wasm_bindgen(constructor, js_class = "TextEncoder")]
    fn new() -> Encoder;
    #[wasm_bindgen(method, js_class = "TextEncoder", js_name = encodeInto)]
    fn encode_into(this: &Encoder, text: &JsString, into: &Uint8Array) -> Written;

    /// `encodeInto`'s result.
    type Written;
    #[wasm_bindgen(method, structural, getter)]
    fn written(this: &Written) -> f64;
}

thread_local! {
    static HELPER: RefCell<Option<TextHelper>> = const { RefCell::new(None) };
    static ENCODER: Encoder = Encoder::new();
    static SCRATCH: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// A reused buffer is given back when it grew past this (after a huge message).
const KEEP_AT_MOST: usize = 1 << 20;
/// The room a reused buffer starts with: most messages fit at the first try.
const START_ROOM: usize = 8 * 1024;

/// Installs the JS helper that encodes text messages in one call.
pub fn set_helper(helper: TextHelper) {
    HELPER.with(|h| *h.borrow_mut() = Some(helper));
}

/// Runs `f` with a cleared buffer that is kept for the next message. Re-entrant: a nested
/// call (a message dispatched from a callback) gets a buffer of its own.
pub fn with_buffer<R>(f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    let mut buf = SCRATCH.with(Cell::take);
    buf.clear();
    let r = f(&mut buf);
    if buf.capacity() <= KEEP_AT_MOST {
        SCRATCH.with(|s| s.set(buf));
    }
    r
}

/// Encodes `data`, if it is a string, as UTF-8 into `out` (replacing its contents). Returns
/// whether it is all ASCII, when its UTF-16 offsets are also its byte offsets; `None` when it
/// is not a string.
pub fn encode(data: &JsValue, out: &mut Vec<u8>) -> Option<bool> {
    out.clear();
    let fast = HELPER.with(|h| {
        let helper = h.borrow();
        let helper = helper.as_ref()?;
        out.reserve(START_ROOM);
        let room = out.capacity();
        let code = helper.encode(data, out.as_mut_ptr() as u32, room as u32);
        if code == -2.0 {
            return Some(None);
        }
        if code < 0.0 {
            return None;
        }
        let written = ((code as usize) / 2).min(room);
        // SAFETY: the helper initialised the first `written` bytes, within the capacity.
        unsafe { out.set_len(written) };
        Some(Some(code as usize % 2 == 1))
    });
    match fast {
        Some(known) => known,
        None => data
            .dyn_ref::<JsString>()
            .map(|text| encode_slowly(text, out)),
    }
}

/// [`encode`] with room for any text, through `TextEncoder`; `out` is empty.
fn encode_slowly(text: &JsString, out: &mut Vec<u8>) -> bool {
    let units = text.length() as usize;
    // A UTF-16 unit takes at most 3 bytes (a surrogate pair, 2 units, takes 4).
    let room = units.saturating_mul(3);
    out.reserve(room);
    let written = ENCODER.with(|encoder| {
        // SAFETY: the view covers `out`'s spare capacity, and nothing allocates (which
        // could grow the memory and detach the view) before `encodeInto` has returned.
        let view = unsafe { Uint8Array::view_mut_raw(out.as_mut_ptr(), room) };
        encoder.encode_into(text, &view).written()
    });
    let written = (written as usize).min(room);
    // SAFETY: `encodeInto` initialised the first `written` bytes, within the capacity.
    unsafe { out.set_len(written) };
    written == units
}
