//! Hand-written, structural bindings for the few browser APIs the HTTP transports use:
//! `fetch`, `Response`, a body reader, `AbortController` and `crypto.getRandomValues`.
//!
//! They stand in for the much larger `web-sys` features (`Request`, `RequestInit`, `Headers`,
//! `ReadableStream`...): the package's size matters. Every call that can throw is `catch`, so a
//! missing API is an error string, never a trap.

use js_sys::{Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::io::socket::describe;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = fetch)]
    fn fetch_with_init(url: &str, init: &Object) -> Result<Promise, JsValue>;

    /// A fetch `Response`.
    pub type Response;
    #[wasm_bindgen(method, structural, getter)]
    fn status(this: &Response) -> JsValue;
    #[wasm_bindgen(method, structural, getter)]
    fn body(this: &Response) -> JsValue;
    #[wasm_bindgen(method, structural, catch, js_name = arrayBuffer)]
    fn array_buffer(this: &Response) -> Result<Promise, JsValue>;

    /// A `ReadableStream` of the response body.
    type Body;
    #[wasm_bindgen(method, structural, catch, js_name = getReader)]
    fn get_reader(this: &Body) -> Result<Reader, JsValue>;

    /// A `ReadableStreamDefaultReader` of the response body.
    pub type Reader;
    #[wasm_bindgen(method, structural, catch)]
    fn read(this: &Reader) -> Result<Promise, JsValue>;

    /// What `reader.read()` resolves to: `{done, value}`.
    type ReadResult;
    #[wasm_bindgen(method, structural, getter)]
    fn done(this: &ReadResult) -> JsValue;
    #[wasm_bindgen(method, structural, getter)]
    fn value(this: &ReadResult) -> JsValue;

    /// An `AbortController`: aborting it ends every request made with its signal.
    pub type AbortController;
    #[wasm_bindgen(constructor, catch, js_class = "AbortController")]
    fn create() -> Result<AbortController, JsValue>;
    #[wasm_bindgen(method, structural, getter)]
    fn signal(this: &AbortController) -> JsValue;
    #[wasm_bindgen(method, structural, catch)]
    fn abort(this: &AbortController) -> Result<(), JsValue>;

    /// `globalThis.crypto`.
    type Crypto;
    #[wasm_bindgen(method, structural, catch, js_name = getRandomValues)]
    fn get_random_values(this: &Crypto, array: &Uint8Array) -> Result<JsValue, JsValue>;
}

/// An `AbortController` that aborts when dropped, so that no request outlives its owner.
pub struct Abort {
    controller: Option<AbortController>,
}

impl Abort {
    /// A new controller (none where the browser has no `AbortController`: requests then run
    /// to their end, and their results are ignored).
    pub fn new() -> Abort {
        Abort {
            controller: AbortController::create().ok(),
        }
    }

    /// The signal to pass to [`Request::signal`]: a clone does not keep the request alive.
    pub fn signal(&self) -> Option<JsValue> {
        self.controller.as_ref().map(AbortController::signal)
    }
}

impl Drop for Abort {
    fn drop(&mut self) {
        if let Some(c) = &self.controller {
            let _ = c.abort();
        }
    }
}

/// The largest request body sent with `keepalive: true`. Browsers let a keepalive request
/// outlive its page (so that a DISCONNECT sent from `pagehide` reaches the server), but fail
/// one that would take a page's keepalive bodies in flight past 64 KiB: a small bound leaves
/// room for several clients and for the page's own beacons.
const KEEPALIVE_MAX_BODY: usize = 8 * 1024;

/// One HTTP request of the SockJS transports.
pub struct Request<'a> {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The URL, cache buster included.
    pub url: &'a str,
    /// The body (sent as `text/plain`), if any; one of at most [`KEEPALIVE_MAX_BODY`] bytes
    /// goes with `keepalive`.
    pub body: Option<&'a str>,
    /// Send cookies cross-origin too (`/info` said `cookie_needed`).
    pub credentials: bool,
    /// The [`Abort`] signal that cancels the request and its body.
    pub signal: Option<JsValue>,
}

impl Request<'_> {
    /// Sends the request and waits for the response headers. Errors are readable
    /// (`Failed to fetch`, `The user aborted a request.`).
    pub async fn send(&self) -> Result<Response, String> {
        let init = Object::new();
        let set = |key: &str, value: &JsValue| {
            let _ = Reflect::set(&init, &JsValue::from_str(key), value);
        };
        set("method", &JsValue::from_str(self.method));
        set(
            "credentials",
            &JsValue::from_str(if self.credentials {
                "include"
            } else {
                "same-origin"
            }),
        );
        set("cache", &JsValue::from_str("no-store"));
        if let Some(body) = self.body {
            let headers = Object::new();
            let _ = Reflect::set(
                &headers,
                &JsValue::from_str("Content-Type"),
                &JsValue::from_str("text/plain;charset=UTF-8"),
            );
            set("headers", &headers);
            set("body", &JsValue::from_str(body));
            if body.len() <= KEEPALIVE_MAX_BODY {
                set("keepalive", &JsValue::TRUE);
            }
        }
        if let Some(signal) = &self.signal {
            set("signal", signal);
        }
        let promise = fetch_with_init(self.url, &init).map_err(|e| describe(&e, "fetch"))?;
        let response = JsFuture::from(promise)
            .await
            .map_err(|e| describe(&e, "fetch failed"))?;
        Ok(response.unchecked_into())
    }
}

impl Response {
    /// The HTTP status (0 if the browser hides it).
    pub fn status_code(&self) -> u16 {
        self.status().as_f64().map_or(0, |s| s as u16)
    }

    /// A reader of the body as it arrives.
    pub fn reader(&self) -> Result<Reader, String> {
        let body = self.body();
        if body.is_null() || body.is_undefined() {
            return Err("the response has no body".into());
        }
        body.unchecked_into::<Body>()
            .get_reader()
            .map_err(|e| describe(&e, "cannot read the response body"))
    }

    /// The whole body.
    pub async fn bytes(&self) -> Result<Vec<u8>, String> {
        let promise = self
            .array_buffer()
            .map_err(|e| describe(&e, "cannot read the response body"))?;
        let buffer = JsFuture::from(promise)
            .await
            .map_err(|e| describe(&e, "the response broke off"))?;
        Ok(Uint8Array::new(&buffer).to_vec())
    }
}

impl Reader {
    /// The next chunk of the body, `None` at its end.
    pub async fn next_chunk(&self) -> Result<Option<Vec<u8>>, String> {
        let promise = self
            .read()
            .map_err(|e| describe(&e, "cannot read the response body"))?;
        let result: ReadResult = JsFuture::from(promise)
            .await
            .map_err(|e| describe(&e, "the response broke off"))?
            .unchecked_into();
        if result.done().as_bool() == Some(true) {
            return Ok(None);
        }
        let value = result.value();
        match value.dyn_ref::<Uint8Array>() {
            Some(chunk) => Ok(Some(chunk.to_vec())),
            None => Err("the response body gave something other than bytes".into()),
        }
    }
}

/// Ten random bytes for a session id: `crypto.getRandomValues`, or `Math.random` where there
/// is no `crypto`.
pub fn random_bytes() -> [u8; 10] {
    let mut bytes = [0u8; 10];
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))
        .ok()
        .filter(JsValue::is_object);
    if let Some(crypto) = crypto {
        let array = Uint8Array::new_with_length(10);
        if crypto
            .unchecked_ref::<Crypto>()
            .get_random_values(&array)
            .is_ok()
        {
            array.copy_to(&mut bytes);
            return bytes;
        }
    }
    for b in &mut bytes {
        *b = (js_sys::Math::random() * 256.0) as u8;
    }
    bytes
}
