//! JS strings to UTF-8 bytes with one native `TextEncoder.encodeInto` call, straight into
//! WebAssembly memory. (wasm-bindgen's own conversion copies ASCII text char by char in JS,
//! which dominates the cost of a large text message.)

use js_sys::{JsString, Uint8Array};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    type TextEncoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;
    #[wasm_bindgen(method, js_name = encodeInto)]
    fn encode_into(this: &TextEncoder, text: &JsString, into: &Uint8Array) -> EncodeResult;

    type EncodeResult;
    #[wasm_bindgen(method, getter)]
    fn read(this: &EncodeResult) -> u32;
    #[wasm_bindgen(method, getter)]
    fn written(this: &EncodeResult) -> u32;
}

thread_local! {
    static ENCODER: TextEncoder = TextEncoder::new();
}

/// Below this many UTF-16 units, wasm-bindgen's own conversion is cheaper than making a view.
const NATIVE_FROM: u32 = 512;

/// The UTF-8 bytes of `text` (lone surrogates become U+FFFD, as in `TextEncoder`).
pub fn bytes_of(text: &JsString) -> Vec<u8> {
    let units = text.length();
    if units < NATIVE_FROM {
        return text.as_string().unwrap_or_default().into_bytes();
    }
    // Exact for ASCII; more room is made only for what did not fit.
    let mut out: Vec<u8> = Vec::with_capacity(units as usize);
    let mut read = 0;
    loop {
        let rest;
        let source = if read == 0 {
            text
        } else {
            rest = text.substring(read, units);
            &rest
        };
        let len = out.len();
        let spare = out.capacity() - len;
        // SAFETY: the view covers the vector's spare capacity only, and is used before
        // anything can allocate (and so move or grow the memory under it).
        let result = unsafe {
            let view = Uint8Array::view_mut_raw(out.as_mut_ptr().add(len), spare);
            ENCODER.with(|e| e.encode_into(source, &view))
        };
        let written = (result.written() as usize).min(spare);
        // SAFETY: `encodeInto` initialised `written` bytes of the spare capacity.
        unsafe { out.set_len(len + written) };
        let advanced = result.read();
        read += advanced;
        if read >= units || (advanced == 0 && spare >= 4) {
            // Done (the second case cannot happen with a real TextEncoder: never loop).
            break;
        }
        // At most 3 bytes per UTF-16 unit left.
        out.reserve(((units - read) as usize).saturating_mul(3));
    }
    out
}
