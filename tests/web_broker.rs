#![cfg(target_arch = "wasm32")]
//! Browser tests against RabbitMQ Web-STOMP: proof that the browser test infrastructure works.
//!
//! `scripts/rabbitmq.sh start` starts the test run's own broker and `scripts/browser-tests.sh`
//! compiles this suite with its URL in `RABBITMQ_WS_URL`, then runs it in Chromium, Firefox and
//! WebKitGTK. The socket and the STOMP frames are raw here on purpose: this suite checks the
//! browser, the broker and the wiring between them, not the client.

use gloo_timers::callback::Timeout;
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{CloseEvent, MessageEvent, WebSocket};

wasm_bindgen_test_configure!(run_in_browser);

/// How long one step (open, CONNECTED) may take before the test fails. Well below the runner's
/// whole-suite timeout (`WASM_BINDGEN_TEST_TIMEOUT`), so a hung step names itself.
const STEP_TIMEOUT_MS: u32 = 5_000;

/// The Web-STOMP endpoint, baked in at compile time (cargo rebuilds when it changes).
fn ws_url() -> &'static str {
    // Not `env!`: the suite must still compile without a broker (clippy, `cargo test --no-run`).
    match option_env!("RABBITMQ_WS_URL") {
        Some(url) => url,
        None => panic!(
            "RABBITMQ_WS_URL was not set when this suite was compiled: \
             run it through scripts/browser-tests.sh after scripts/rabbitmq.sh start"
        ),
    }
}

/// An event listener that is removed when dropped.
struct Listener<'a> {
    target: &'a WebSocket,
    event: &'static str,
    callback: Closure<dyn FnMut(JsValue)>,
}

impl<'a> Listener<'a> {
    fn new(
        target: &'a WebSocket,
        event: &'static str,
        callback: impl FnMut(JsValue) + 'static,
    ) -> Self {
        let callback = Closure::<dyn FnMut(JsValue)>::new(callback);
        target
            .add_event_listener_with_callback(event, callback.as_ref().unchecked_ref())
            .expect("addEventListener");
        Listener {
            target,
            event,
            callback,
        }
    }
}

impl Drop for Listener<'_> {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback(
            self.event,
            self.callback.as_ref().unchecked_ref(),
        );
    }
}

/// Waits for `socket` to fire `event` and returns that event. Fails with a description if the
/// socket errors or closes first, or after `timeout_ms`.
async fn next_event(
    socket: &WebSocket,
    event: &'static str,
    timeout_ms: u32,
) -> Result<JsValue, String> {
    let mut listeners = Vec::new();
    let mut timeout = None;
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        listeners.push(Listener::new(socket, event, move |e| {
            let _ = resolve.call1(&JsValue::UNDEFINED, &e);
        }));
        let on_error = reject.clone();
        listeners.push(Listener::new(socket, "error", move |_| {
            let why = format!("the socket fired `error` while waiting for `{event}`");
            let _ = on_error.call1(&JsValue::UNDEFINED, &JsValue::from(why));
        }));
        let on_close = reject.clone();
        listeners.push(Listener::new(socket, "close", move |e| {
            let (code, reason) = e
                .dyn_ref::<CloseEvent>()
                .map_or((0, String::new()), |c| (c.code(), c.reason()));
            let why = format!(
                "the socket closed (code {code}, reason {reason:?}) while waiting for `{event}`"
            );
            let _ = on_close.call1(&JsValue::UNDEFINED, &JsValue::from(why));
        }));
        timeout = Some(Timeout::new(timeout_ms, move || {
            let why = format!("no `{event}` within {timeout_ms} ms");
            let _ = reject.call1(&JsValue::UNDEFINED, &JsValue::from(why));
        }));
    });
    // The listeners and the timer live until the promise settles, then drop here.
    JsFuture::from(promise)
        .await
        .map_err(|e| e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

#[wasm_bindgen_test]
async fn rabbitmq_web_stomp_answers_connect_with_connected_1_2() {
    let url = ws_url();
    let socket = WebSocket::new_with_str(url, "v12.stomp").expect("new WebSocket");

    if let Err(why) = next_event(&socket, "open", STEP_TIMEOUT_MS).await {
        panic!("opening {url}: {why} (is RabbitMQ running? scripts/rabbitmq.sh status)");
    }
    assert_eq!(
        socket.protocol(),
        "v12.stomp",
        "the broker chose the STOMP 1.2 subprotocol"
    );

    // `host` is RabbitMQ's virtual host; login/passcode default to the guest user.
    let connect =
        "CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:guest\nheart-beat:0,0\n\n\0";
    socket.send_with_str(connect).expect("send CONNECT");
    // No event is dispatched before this task yields, so the reply cannot be missed.
    let reply = next_event(&socket, "message", STEP_TIMEOUT_MS)
        .await
        .unwrap_or_else(|why| panic!("waiting for CONNECTED: {why}"));
    let frame = reply
        .unchecked_into::<MessageEvent>()
        .data()
        .as_string()
        .expect("a text frame");

    let mut lines = frame.split('\n');
    assert_eq!(
        lines.next(),
        Some("CONNECTED"),
        "reply to CONNECT: {frame:?}"
    );
    let headers: Vec<&str> = lines.take_while(|line| !line.is_empty()).collect();
    assert!(
        headers.contains(&"version:1.2"),
        "CONNECTED without version:1.2: {frame:?}"
    );
    assert!(
        frame.ends_with('\0') || frame.ends_with("\0\n"),
        "frame not NUL-terminated: {frame:?}"
    );

    socket.close().expect("close");
}
