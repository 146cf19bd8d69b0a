//! A scripted WebSocket-shaped object, as a user would hand to `over()`: it records what the
//! client sends and closes, and the test fires its `onopen`, `onmessage` and `onclose`.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(inline_js = r#"
export class FakeSocket {
  constructor(protocol) {
    this.readyState = 0;
    this.protocol = protocol;
    this.binaryType = 'blob';
    this.onopen = null;
    this.onmessage = null;
    this.onclose = null;
    this.onerror = null;
    this.sent = [];
    this.closeCalls = [];
    // Answer from inside send(), as a synchronous test double would.
    this.autoReply = false;
    // Fire onclose from inside close().
    this.closeSync = false;
  }
  send(data) {
    if (this.readyState !== 1) throw new Error('InvalidStateError: the socket is not open');
    if (typeof data === 'string') {
      this.sent.push(data);
    } else if (ArrayBuffer.isView(data)) {
      this.sent.push(new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)));
    } else if (data instanceof ArrayBuffer) {
      this.sent.push(new Uint8Array(data.slice(0)));
    } else {
      throw new TypeError('send() of ' + Object.prototype.toString.call(data));
    }
    if (this.autoReply) this.reply(typeof data === 'string' ? data : new TextDecoder().decode(data));
  }
  // A tiny STOMP 1.2 peer: CONNECTED, a MESSAGE on sub-0 for every SEND, RECEIPTs.
  reply(frame) {
    const head = frame.slice(0, frame.indexOf('\n\n'));
    const lines = head.split('\n');
    const headers = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      if (i > 0 && !(line.slice(0, i) in headers)) headers[line.slice(0, i)] = line.slice(i + 1);
    }
    if (lines[0] === 'CONNECT') this.message('CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0');
    if (lines[0] === 'SEND') {
      const body = frame.slice(head.length + 2, frame.lastIndexOf('\0'));
      const length = new TextEncoder().encode(body).length;
      this.message('MESSAGE\nsubscription:sub-0\nmessage-id:m-' + this.sent.length +
        '\ndestination:' + headers.destination + '\ncontent-length:' + length + '\n\n' + body + '\0');
    }
    if (headers.receipt) this.message('RECEIPT\nreceipt-id:' + headers.receipt + '\n\n\0');
  }
  close(code, reason) {
    this.closeCalls.push([code, reason]);
    if (this.readyState >= 2) return;
    this.readyState = 2;
    if (this.closeSync) this.serverClose(code, reason, true);
  }
  open() {
    this.readyState = 1;
    if (this.onopen) this.onopen({ type: 'open' });
  }
  message(data) {
    if (this.onmessage) this.onmessage({ type: 'message', data });
  }
  bytes(view) {
    this.message(view.slice().buffer);
  }
  serverClose(code, reason, wasClean) {
    this.readyState = 3;
    if (this.onclose) this.onclose({ type: 'close', code, reason, wasClean });
  }
  takeSent() {
    const sent = this.sent;
    this.sent = [];
    return sent;
  }
  handlers() {
    return [this.onopen, this.onmessage, this.onclose, this.onerror].map((h) =>
      h === null ? 'null' : typeof h);
  }
}
"#)]
extern "C" {
    /// The scripted socket (see the module docs).
    #[derive(Clone)]
    pub type FakeSocket;

    #[wasm_bindgen(constructor)]
    fn create(protocol: &str) -> FakeSocket;

    /// Makes the socket open and fires `onopen`.
    #[wasm_bindgen(method)]
    pub fn open(this: &FakeSocket);
    /// Fires `onmessage` with `data` as the event's `data`.
    #[wasm_bindgen(method)]
    pub fn message(this: &FakeSocket, data: &JsValue);
    /// Fires `onmessage` with a copy of `bytes` as an `ArrayBuffer`.
    #[wasm_bindgen(method)]
    pub fn bytes(this: &FakeSocket, bytes: &[u8]);
    /// Makes the socket closed and fires `onclose`.
    #[wasm_bindgen(method, js_name = serverClose)]
    pub fn server_close(this: &FakeSocket, code: u16, reason: &str, was_clean: bool);
    #[wasm_bindgen(method, js_name = takeSent)]
    fn take_sent_js(this: &FakeSocket) -> Array;
    #[wasm_bindgen(method, getter, js_name = closeCalls)]
    fn close_calls_js(this: &FakeSocket) -> Array;
    /// Answer CONNECT, SEND and receipts from inside `send()`.
    #[wasm_bindgen(method, setter, js_name = autoReply)]
    pub fn set_auto_reply(this: &FakeSocket, on: bool);
    /// Fire `onclose` from inside `close()`.
    #[wasm_bindgen(method, setter, js_name = closeSync)]
    pub fn set_close_sync(this: &FakeSocket, on: bool);
    /// The `binaryType` the client set.
    #[wasm_bindgen(method, getter, js_name = binaryType)]
    pub fn binary_type(this: &FakeSocket) -> String;
    /// For `onopen`, `onmessage`, `onclose`, `onerror`: `"null"` or the handler's type.
    #[wasm_bindgen(method)]
    pub fn handlers(this: &FakeSocket) -> Vec<String>;
}

/// One message the client sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// `send(string)`.
    Text(String),
    /// `send(Uint8Array)` (or an `ArrayBuffer`).
    Binary(Vec<u8>),
}

impl Sent {
    /// The message's bytes (UTF-8 for text).
    pub fn bytes(&self) -> &[u8] {
        match self {
            Sent::Text(s) => s.as_bytes(),
            Sent::Binary(b) => b,
        }
    }
}

impl FakeSocket {
    /// A socket that is still connecting and will report `protocol` (`""`: none).
    pub fn new(protocol: &str) -> FakeSocket {
        FakeSocket::create(protocol)
    }

    /// Fires `onmessage` with a text message.
    pub fn text(&self, s: &str) {
        self.message(&JsValue::from_str(s));
    }

    /// What the client sent since the last call, in order.
    pub fn take_sent(&self) -> Vec<Sent> {
        self.take_sent_js()
            .iter()
            .map(|v| match v.as_string() {
                Some(s) => Sent::Text(s),
                None => Sent::Binary(v.unchecked_into::<Uint8Array>().to_vec()),
            })
            .collect()
    }

    /// Every `close(code, reason)` call, in order.
    pub fn closes(&self) -> Vec<(u16, String)> {
        self.close_calls_js()
            .iter()
            .map(|call| {
                let call: Array = call.unchecked_into();
                let code = call.get(0).as_f64().unwrap_or(-1.0) as u16;
                (code, call.get(1).as_string().unwrap_or_default())
            })
            .collect()
    }

    /// Whether all four `on*` handlers are `null`.
    pub fn handlers_cleared(&self) -> bool {
        self.handlers().iter().all(|h| h == "null")
    }
}
