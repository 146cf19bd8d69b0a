//! The JavaScript object the engine reports to (built by `js/webstomp_wasm.js`). Every method
//! catches its own exceptions, so nothing thrown by user code unwinds through WebAssembly.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The receiver of the engine's events.
    pub type Sink;

    /// The state changed (an index into `STATES`).
    #[wasm_bindgen(method, structural)]
    pub fn state(this: &Sink, state: u32);
    /// A debug line.
    #[wasm_bindgen(method, structural)]
    pub fn log(this: &Sink, line: &str);
    /// CONNECTED, with its packed headers.
    #[wasm_bindgen(method, structural)]
    pub fn connected(this: &Sink, headers: &str);
    /// A MESSAGE packed by [`pack_message`](super::headers::pack_message): the subscription
    /// (empty: no live subscription), `count` headers, and from byte `head` the body, which
    /// is valid UTF-8 when `utf8`. `packed` is a view into WebAssembly memory, valid only
    /// during the call.
    #[wasm_bindgen(method, structural)]
    pub fn message(this: &Sink, packed: &[u8], head: usize, count: usize, utf8: bool);
    /// A MESSAGE whose body is `text.slice(from, to)`: `packed` as for [`Sink::message`], with
    /// no body.
    #[wasm_bindgen(method, structural, js_name = messageText)]
    pub fn message_text(
        this: &Sink,
        packed: &[u8],
        count: usize,
        text: &js_sys::JsString,
        from: u32,
        to: u32,
    );
    /// `frames` MESSAGE frames all of whose text is in `text`: the `u32`s at address `ptr` in
    /// WebAssembly memory hold, per frame, its header count, body start and end, subscription
    /// start and end, then each header's start, colon and end (see
    /// [`head_offsets`](super::headers::head_offsets)). An address, not a slice: the memory
    /// may grow while user callbacks run, and JS makes its view again when it does.
    #[wasm_bindgen(method, structural, js_name = messagesAt)]
    pub fn messages_at(this: &Sink, ptr: u32, frames: u32, text: &js_sys::JsString);
    /// A RECEIPT.
    #[wasm_bindgen(method, structural)]
    pub fn receipt(this: &Sink, headers: &str);
    /// An ERROR frame.
    #[wasm_bindgen(method, structural)]
    pub fn error(this: &Sink, headers: &str, body: &[u8]);
    /// The transport closed; `expected` after the user's `disconnect()`.
    #[wasm_bindgen(method, structural)]
    pub fn closed(this: &Sink, code: u16, reason: &str, was_clean: bool, expected: bool);
    /// The connection was lost; reconnect attempt `attempt` follows in `delay_ms`.
    #[wasm_bindgen(method, structural)]
    pub fn lost(this: &Sink, code: u16, reason: &str, was_clean: bool, attempt: u32, delay_ms: f64);
    /// A receipt that will never come: reject its promise.
    #[wasm_bindgen(method, structural, js_name = dropReceipt)]
    pub fn drop_receipt(this: &Sink, id: &str, reason: &str);
    /// Receipts that will never come: reject their promises.
    #[wasm_bindgen(method, structural, js_name = dropReceipts)]
    pub fn drop_receipts(this: &Sink, reason: &str);
}
