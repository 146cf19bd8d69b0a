//! The WebSocket transport: a browser `WebSocket` (opened from a `ws://` URL) or any object of
//! the same shape handed to `over()`. Both are driven through the same duck-typed binding.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use js_sys::{ArrayBuffer, JsString, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::text;
use super::transport::{Input, Link};

#[wasm_bindgen]
extern "C" {
    /// A `WebSocket`, or anything with its shape (`send`, `close`, `readyState`, `on*`).
    #[wasm_bindgen(typescript_type = "WebSocketLike")]
    #[derive(Clone)]
    pub type SocketLike;

    #[wasm_bindgen(method, structural, getter, js_name = readyState)]
    fn ready_state(this: &SocketLike) -> JsValue;
    #[wasm_bindgen(method, structural, getter)]
    fn protocol(this: &SocketLike) -> JsValue;
    #[wasm_bindgen(method, structural, setter, js_name = binaryType)]
    fn set_binary_type(this: &SocketLike, value: &str);
    #[wasm_bindgen(method, structural, setter)]
    fn set_onopen(this: &SocketLike, f: &JsValue);
    #[wasm_bindgen(method, structural, setter)]
    fn set_onmessage(this: &SocketLike, f: &JsValue);
    #[wasm_bindgen(method, structural, setter)]
    fn set_onclose(this: &SocketLike, f: &JsValue);
    #[wasm_bindgen(method, structural, setter)]
    fn set_onerror(this: &SocketLike, f: &JsValue);
    #[wasm_bindgen(method, structural, catch, js_name = send)]
    fn send_text(this: &SocketLike, data: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(method, structural, catch, js_name = send)]
    fn send_binary(this: &SocketLike, data: &Uint8Array) -> Result<(), JsValue>;
    #[wasm_bindgen(method, structural, catch)]
    fn close(this: &SocketLike, code: u16, reason: &str) -> Result<(), JsValue>;

    /// The `data` of a message event and the fields of a close event.
    type SocketEvent;
    #[wasm_bindgen(method, structural, getter)]
    fn data(this: &SocketEvent) -> JsValue;
    #[wasm_bindgen(method, structural, getter)]
    fn code(this: &SocketEvent) -> JsValue;
    #[wasm_bindgen(method, structural, getter)]
    fn reason(this: &SocketEvent) -> JsValue;
    #[wasm_bindgen(method, structural, getter, js_name = wasClean)]
    fn was_clean(this: &SocketEvent) -> JsValue;
}

#[wasm_bindgen]
extern "C" {
    /// The browser's `WebSocket` class.
    #[wasm_bindgen(js_name = WebSocket)]
    type WebSocketCtor;
    #[wasm_bindgen(constructor, catch, js_class = "WebSocket")]
    fn create(url: &str, protocols: &js_sys::Array) -> Result<WebSocketCtor, JsValue>;
}

const OPEN: f64 = 1.0;
const CLOSED: f64 = 3.0;

// `Fn`, not `FnMut`: a socket double may deliver a message from inside a callback, which
// re-enters the handler (wasm-bindgen refuses to re-enter an `FnMut` closure).
type Handler = Closure<dyn Fn(SocketEvent)>;

/// The close an `error` event stands for, reported a moment later unless the socket's own
/// `close` event comes first (see [`on_event`]). Dropped with the socket, which cancels it.
type StrayError = Rc<RefCell<Option<Timeout>>>;

/// A socket taken over by the client. Dropping it clears the socket's handlers and frees the
/// closures, so a closed client leaves no listener behind.
pub struct Socket {
    socket: SocketLike,
    binary: bool,
    _handlers: [Handler; 4],
}

impl Socket {
    /// Opens a browser `WebSocket` to `url` offering `protocols`.
    pub fn open(
        url: &str,
        protocols: &[String],
        binary: bool,
        link: Link,
    ) -> Result<Socket, String> {
        let list = js_sys::Array::new();
        for p in protocols {
            list.push(&JsValue::from_str(p));
        }
        let socket =
            WebSocketCtor::create(url, &list).map_err(|e| describe(&e, "cannot open WebSocket"))?;
        Ok(Socket::attach(socket.unchecked_into(), binary, link))
    }

    /// Takes over `socket`'s `on*` handlers.
    pub fn attach(socket: SocketLike, binary: bool, link: Link) -> Socket {
        socket.set_binary_type("arraybuffer");
        // One closure type for the four handlers (the event kind is captured): every closure
        // type costs its own glue.
        let stray = StrayError::default();
        let handler = |kind: Kind| {
            let link = link.clone();
            let socket = socket.clone();
            let stray = stray.clone();
            Handler::new(move |e: SocketEvent| on_event(kind, &socket, &link, &stray, &e))
        };
        let on_open = handler(Kind::Open);
        let on_message = handler(Kind::Message);
        let on_close = handler(Kind::Close);
        let on_error = handler(Kind::Error);
        socket.set_onopen(on_open.as_ref());
        socket.set_onmessage(on_message.as_ref());
        socket.set_onclose(on_close.as_ref());
        socket.set_onerror(on_error.as_ref());
        Socket {
            socket,
            binary,
            _handlers: [on_open, on_message, on_close, on_error],
        }
    }

    /// `Some(protocol)` if the socket is already open (a socket handed to `over()` may be).
    pub fn open_protocol(&self) -> Option<Option<String>> {
        (self.socket.ready_state().as_f64() == Some(OPEN)).then(|| protocol_of(&self.socket))
    }

    /// Whether the socket is already closed (`readyState` CLOSED): it will fire no event.
    pub fn is_closed(&self) -> bool {
        self.socket.ready_state().as_f64() == Some(CLOSED)
    }

    /// Sends one transmit as one WebSocket message.
    pub fn send(&self, bytes: &[u8]) -> Result<(), String> {
        // Text unless asked for binary, or unless the frame (a binary body) is not UTF-8:
        // a text message cannot carry it. Text transmits are split on character boundaries.
        let sent = match std::str::from_utf8(bytes) {
            Ok(text) if !self.binary => self.socket.send_text(text),
            _ => self.socket.send_binary(&Uint8Array::from(bytes)),
        };
        sent.map_err(|e| describe(&e, "send failed"))
    }

    /// Closes the socket with `code` and `reason`.
    pub fn close(&self, code: u16, reason: &str) {
        // Browsers accept only 1000 and 3000-4999 from scripts.
        let code = if code == 1000 || (3000..5000).contains(&code) {
            code
        } else {
            1000
        };
        let _ = self.socket.close(code, reason);
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        let null = JsValue::NULL;
        self.socket.set_onopen(&null);
        self.socket.set_onmessage(&null);
        self.socket.set_onclose(&null);
        self.socket.set_onerror(&null);
    }
}

/// Which of the socket's events a handler is for.
#[derive(Clone, Copy)]
enum Kind {
    Open,
    Message,
    Close,
    Error,
}

fn on_event(kind: Kind, socket: &SocketLike, link: &Link, stray: &StrayError, e: &SocketEvent) {
    match kind {
        Kind::Open => link(Input::Open(protocol_of(socket))),
        Kind::Message => {
            // A string goes in with one call to the JS helper; anything else comes back.
            let data = e.data();
            let data = text::with_buffer(move |bytes| match text::encode(&data, bytes) {
                Some(true) => {
                    let text: JsString = data.unchecked_into();
                    link(Input::Ascii { bytes, text });
                    None
                }
                Some(false) => {
                    link(Input::Data(bytes));
                    None
                }
                None => Some(data),
            });
            let Some(data) = data else { return };
            if let Some(buf) = data.dyn_ref::<ArrayBuffer>() {
                link(Input::Data(&Uint8Array::new(buf).to_vec()));
            } else if let Some(view) = data.dyn_ref::<Uint8Array>() {
                link(Input::Data(&view.to_vec()));
            } else {
                link(Input::Fail(
                    "a message that is neither text nor an ArrayBuffer".into(),
                ));
            }
        }
        Kind::Close => {
            stray.borrow_mut().take();
            let code = e.code().as_f64().map_or(1006, |c| c as u16);
            let reason = e.reason().as_string().unwrap_or_default();
            let clean = e.was_clean().as_bool().unwrap_or(code == 1000);
            link(Input::Closed {
                code,
                reason,
                clean,
            });
        }
        // A failed connection fires `error` and then `close`, except when the browser refused
        // it outright (a Content-Security-Policy block): then only `error` comes, the socket
        // already CLOSED. The close is reported a task later, so that a `close` event (with its
        // code) and the messages WebKit may still deliver after `error` come first.
        Kind::Error => {
            if socket.ready_state().as_f64() == Some(CLOSED) {
                let link = link.clone();
                let report = Timeout::new(0, move || {
                    link(Input::Closed {
                        code: 1006,
                        reason: "the connection failed".to_owned(),
                        clean: false,
                    })
                });
                stray.borrow_mut().replace(report);
            }
        }
    }
}

fn protocol_of(socket: &SocketLike) -> Option<String> {
    socket.protocol().as_string().filter(|p| !p.is_empty())
}

/// A readable message for a JS exception.
pub fn describe(e: &JsValue, context: &str) -> String {
    let detail = e
        .dyn_ref::<js_sys::Error>()
        .map(|err| String::from(err.message()))
        .or_else(|| e.as_string())
        .unwrap_or_default();
    if detail.is_empty() {
        context.to_owned()
    } else {
        let mut s = String::from(context);
        s.push_str(": ");
        s.push_str(&detail);
        s
    }
}
