//! `Engine`: the object behind each JS `Client`.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::headers::{head_offsets, pack, pack_message, set_known_names, unpack};
use super::sink::Sink;
use crate::core::decoder::Limits;
use crate::core::encoder::ContentLength;
use crate::core::frame::Frame;
use crate::core::session::{
    Config, Event, HeartbeatConfig, ReconnectConfig, Session, SessionError, State,
};
use crate::io::text::TextHelper;
use crate::io::{Driver, OpenOptions, Report, SocketLike, Source, Target};

#[wasm_bindgen]
extern "C" {
    /// The options after `js/webstomp_wasm.js` has checked them and filled in defaults.
    pub type Options;
    #[wasm_bindgen(method, structural, getter)]
    fn protocols(this: &Options) -> Vec<String>;
    #[wasm_bindgen(method, structural, getter, js_name = heartbeatOut)]
    fn heartbeat_out(this: &Options) -> f64;
    #[wasm_bindgen(method, structural, getter, js_name = heartbeatIn)]
    fn heartbeat_in(this: &Options) -> f64;
    #[wasm_bindgen(method, structural, getter)]
    fn binary(this: &Options) -> bool;
    #[wasm_bindgen(method, structural, getter, js_name = maxWebSocketFrameSize)]
    fn max_ws_frame_size(this: &Options) -> f64;
    #[wasm_bindgen(method, structural, getter, js_name = maxFrameSize)]
    fn max_frame_size(this: &Options) -> f64;
    #[wasm_bindgen(method, structural, getter)]
    fn timeout(this: &Options) -> f64;
    #[wasm_bindgen(method, structural, getter)]
    fn transports(this: &Options) -> Vec<String>;
    #[wasm_bindgen(method, structural, getter, js_name = debugOn)]
    fn debug_on(this: &Options) -> bool;
    #[wasm_bindgen(method, structural, getter, js_name = maxQueued)]
    fn max_queued(this: &Options) -> f64;
    /// `options.reconnect` with every field filled in, or `false`.
    #[wasm_bindgen(method, structural, getter)]
    fn reconnect(this: &Options) -> JsValue;
    #[wasm_bindgen(method, structural, getter)]
    fn seed(this: &Options) -> f64;

    /// `options.reconnect` after the JS checks.
    type Reconnect;
    #[wasm_bindgen(method, structural, getter)]
    fn delay(this: &Reconnect) -> f64;
    #[wasm_bindgen(method, structural, getter, js_name = maxDelay)]
    fn max_delay(this: &Reconnect) -> f64;
    #[wasm_bindgen(method, structural, getter)]
    fn multiplier(this: &Reconnect) -> f64;
    #[wasm_bindgen(method, structural, getter)]
    fn jitter(this: &Reconnect) -> f64;
    #[wasm_bindgen(method, structural, getter, js_name = maxAttempts)]
    fn max_attempts(this: &Reconnect) -> f64;
}

fn ms(v: f64) -> u64 {
    if v.is_finite() && v > 0.0 {
        v as u64
    } else {
        0
    }
}

/// The WebAssembly side of one JS `Client`: its session, transport and timer.
#[wasm_bindgen]
///
/// Every method takes `&self`, so a user callback run from inside one (e.g. `onstatechange`
/// during `connect()`) may call or read the engine again.
pub struct Engine {
    driver: Driver,
    options: OpenOptions,
}

fn to_js(e: SessionError) -> JsValue {
    let message = String::from("webstomp: ") + &e.message();
    if e.is_argument_error() {
        js_sys::TypeError::new(&message).into()
    } else {
        js_sys::Error::new(&message).into()
    }
}

fn state_index(state: State) -> u32 {
    match state {
        State::Idle => 0,
        State::Connecting => 1,
        State::Connected => 2,
        State::Reconnecting => 3,
        State::Disconnecting => 4,
        State::Closed => 5,
    }
}

#[wasm_bindgen]
impl Engine {
    /// A new engine reporting to `sink`.
    #[wasm_bindgen(constructor)]
    pub fn new(sink: Sink, options: &Options) -> Engine {
        let protocols = options.protocols();
        let config = Config {
            subprotocols: protocols.clone(),
            heartbeat: HeartbeatConfig {
                outgoing_ms: ms(options.heartbeat_out()),
                incoming_ms: ms(options.heartbeat_in()),
                ..HeartbeatConfig::default()
            },
            limits: Limits {
                max_frame_size: ms(options.max_frame_size()).clamp(1, u32::MAX as u64) as usize,
                ..Limits::default()
            },
            max_ws_frame_size: ms(options.max_ws_frame_size()) as usize,
            // A WebSocket sends non-UTF-8 frames as binary messages; SockJS sets this.
            text: false,
            timeout_ms: ms(options.timeout()),
            max_queued: ms(options.max_queued()) as usize,
            debug: options.debug_on(),
            reconnect: reconnect_config(&options.reconnect()),
            seed: options.seed() as u64,
        };
        Engine {
            driver: Driver::new(config, Dispatcher::new(Rc::new(sink))),
            options: OpenOptions {
                protocols,
                binary: options.binary(),
                transports: options.transports(),
                timeout_ms: ms(options.timeout()),
            },
        }
    }

    /// Takes over `socket` (for `over(socket)`).
    pub fn attach(&self, socket: SocketLike) {
        self.driver.attach(socket, self.options.binary);
    }

    /// Sets the URLs to connect to (for `client()`).
    #[wasm_bindgen(js_name = setUrls)]
    pub fn set_urls(&self, urls: Vec<String>) {
        self.driver
            .set_target(Target::Urls(urls), self.options.clone());
    }

    /// Sets the function that makes a socket per connection (for `over(() => socket)`).
    #[wasm_bindgen(js_name = setFactory)]
    pub fn set_factory(&self, factory: js_sys::Function) {
        self.driver
            .set_target(Target::Factory(factory), self.options.clone());
    }

    /// Sends CONNECT with the packed headers, opening the transport if needed.
    pub fn connect(&self, headers: &str) -> Result<(), JsValue> {
        let headers = unpack(headers);
        self.driver
            .with_session(|s, now| s.connect(now, headers))
            .map_err(to_js)?;
        self.driver.open();
        Ok(())
    }

    /// SEND with a text body; returns the receipt id when one was asked for.
    #[wasm_bindgen(js_name = sendText)]
    pub fn send_text(
        &self,
        destination: &str,
        body: String,
        headers: &str,
        content_length: bool,
        receipt: Option<String>,
    ) -> Result<Option<String>, JsValue> {
        self.send(
            destination,
            body.into_bytes(),
            headers,
            content_length,
            receipt,
        )
    }

    /// SEND with a binary body; returns the receipt id when one was asked for.
    #[wasm_bindgen(js_name = sendBytes)]
    pub fn send_bytes(
        &self,
        destination: &str,
        body: Vec<u8>,
        headers: &str,
        content_length: bool,
        receipt: Option<String>,
    ) -> Result<Option<String>, JsValue> {
        self.send(destination, body, headers, content_length, receipt)
    }

    fn send(
        &self,
        destination: &str,
        body: Vec<u8>,
        headers: &str,
        content_length: bool,
        receipt: Option<String>,
    ) -> Result<Option<String>, JsValue> {
        let mut headers = unpack(headers);
        if let Some(r) = receipt {
            headers.set("receipt", r);
        }
        let cl = if content_length {
            ContentLength::Auto
        } else {
            ContentLength::Omit
        };
        self.driver
            .with_session(|s, now| s.send(now, destination, body, headers, cl))
            .map_err(to_js)
    }

    /// SUBSCRIBE; returns the subscription id.
    pub fn subscribe(&self, destination: &str, headers: &str) -> Result<String, JsValue> {
        let headers = unpack(headers);
        self.driver
            .with_session(|s, now| s.subscribe(now, destination, headers))
            .map(|issued| issued.id)
            .map_err(to_js)
    }

    /// UNSUBSCRIBE.
    pub fn unsubscribe(&self, id: &str, headers: &str) -> Result<(), JsValue> {
        let headers = unpack(headers);
        self.driver
            .with_session(|s, now| s.unsubscribe(now, id, headers))
            .map(drop)
            .map_err(to_js)
    }

    /// BEGIN; returns the transaction id.
    pub fn begin(&self, transaction: Option<String>) -> Result<String, JsValue> {
        self.driver
            .with_session(|s, now| s.begin(now, transaction.as_deref(), Default::default()))
            .map(|issued| issued.id)
            .map_err(to_js)
    }

    /// COMMIT.
    pub fn commit(&self, transaction: &str) -> Result<(), JsValue> {
        self.driver
            .with_session(|s, now| s.commit(now, transaction, Default::default()))
            .map(drop)
            .map_err(to_js)
    }

    /// ABORT.
    pub fn abort(&self, transaction: &str) -> Result<(), JsValue> {
        self.driver
            .with_session(|s, now| s.abort(now, transaction, Default::default()))
            .map(drop)
            .map_err(to_js)
    }

    /// ACK (`ack == true`) or NACK.
    pub fn ack(
        &self,
        ack: bool,
        message_id: &str,
        subscription: &str,
        headers: &str,
    ) -> Result<(), JsValue> {
        let headers = unpack(headers);
        self.driver
            .with_session(|s, now| {
                if ack {
                    s.ack(now, message_id, subscription, headers)
                } else {
                    s.nack(now, message_id, subscription, headers)
                }
            })
            .map(drop)
            .map_err(to_js)
    }

    /// DISCONNECT. Returns `true` when there is nothing to wait for (already closed).
    pub fn disconnect(&self, headers: &str) -> Result<bool, JsValue> {
        let headers = unpack(headers);
        let state = self.driver.session(Session::state);
        if matches!(state, State::Idle | State::Closed) {
            return Ok(true);
        }
        self.driver
            .with_session(|s, now| s.disconnect(now, headers))
            .map_err(to_js)?;
        // Before CONNECTED with no transport open, the session closes at once.
        Ok(matches!(
            self.driver.session(Session::state),
            State::Idle | State::Closed
        ))
    }

    /// Runs the heart-beat check at once (on `visibilitychange`).
    #[wasm_bindgen(js_name = checkNow)]
    pub fn check_now(&self) {
        self.driver.with_session(|s, now| s.check_now(now));
    }

    /// Turns debug lines on or off.
    #[wasm_bindgen(js_name = setDebug)]
    pub fn set_debug(&self, on: bool) {
        self.driver.with_session(|s, _| s.set_debug(on));
    }

    /// The state, as an index into the JS `STATES` list.
    #[wasm_bindgen(getter)]
    pub fn state(&self) -> u32 {
        state_index(self.driver.session(Session::state))
    }

    /// The negotiated version, once connected.
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> Option<String> {
        self.driver
            .session(|s| s.version().map(|v| v.as_str().to_owned()))
    }

    /// The transport's name.
    #[wasm_bindgen(getter)]
    pub fn transport(&self) -> Option<String> {
        self.driver.transport_name().map(str::to_owned)
    }

    /// The current reconnect attempt (0 unless reconnecting).
    #[wasm_bindgen(getter, js_name = reconnectAttempt)]
    pub fn reconnect_attempt(&self) -> u32 {
        self.driver.session(Session::reconnect_attempt)
    }

    /// Closes the transport and cancels the timer at once, without DISCONNECT.
    pub fn shutdown(&self) {
        self.driver.shutdown();
    }
}

/// Installs the package JS's helper for text messages and the header names it holds as
/// constants (`js/webstomp_wasm.js` calls it once).
#[wasm_bindgen(js_name = setTextHelper)]
pub fn set_text_helper(helper: TextHelper, known_names: Vec<String>) {
    crate::io::text::set_helper(helper);
    set_known_names(known_names);
}

/// Turns session events into calls on the JS sink. MESSAGE frames that are slices of one text
/// message are held back and go out together in one call, before any other event and when the
/// session is idle: a socket message of many frames crosses to JS once.
struct Dispatcher {
    sink: Rc<Sink>,
    /// The buffer a MESSAGE that is not held back is packed into, reused from frame to frame.
    packed: Vec<u8>,
    /// Held-back frames, each as: header count, body start and end, subscription start and
    /// end, then each header's start, colon and end (see [`head_offsets`]).
    batch: Vec<u32>,
    frames: u32,
    /// The text message they are slices of.
    batch_source: Option<Rc<Source>>,
}

impl Dispatcher {
    fn new(sink: Rc<Sink>) -> Self {
        Dispatcher {
            sink,
            packed: Vec::new(),
            batch: Vec::new(),
            frames: 0,
            batch_source: None,
        }
    }

    /// Sends the held-back frames.
    fn flush(&mut self) {
        if let Some(source) = self.batch_source.take() {
            let frames = std::mem::take(&mut self.frames);
            self.sink
                .messages_at(self.batch.as_ptr() as u32, frames, &source.text);
            self.batch.clear();
            if self.batch.capacity() > 1 << 16 {
                self.batch = Vec::new(); // do not keep a huge batch's buffer
            }
        }
    }

    /// Holds `frame` back if it is a slice of `source` written plainly; `false` if not.
    #[cfg_attr(webstomp_speed, optimize(speed))]
    fn hold(
        &mut self,
        frame: &Frame,
        known: bool,
        (frame_at, body_at): (u64, u64),
        source: &Rc<Source>,
    ) -> bool {
        let Some(head) = source.span(frame_at, 0).map(|(head, _)| head) else {
            return false;
        };
        let Some((from, to)) = source.span(body_at, frame.body.len()) else {
            return false;
        };
        if self
            .batch_source
            .as_ref()
            .is_some_and(|held| !Rc::ptr_eq(held, source))
        {
            self.flush();
        }
        let at = self.batch.len();
        self.batch.extend_from_slice(&[0, from, to]);
        match head_offsets(&mut self.batch, frame, head, from, known) {
            Some(count) => {
                if let Some(first) = self.batch.get_mut(at) {
                    *first = count as u32;
                }
                self.frames += 1;
                self.batch_source = Some(Rc::clone(source));
                true
            }
            None => {
                self.batch.truncate(at);
                false
            }
        }
    }
}

impl Report for Dispatcher {
    fn event(&mut self, event: Event, source: Option<&Rc<Source>>) {
        if !matches!(event, Event::Message { .. }) {
            self.flush();
        }
        match event {
            Event::Message {
                frame,
                subscription,
                known,
                frame_at,
                body_at,
            } => {
                let at = (frame_at, body_at);
                if source.is_some_and(|s| self.hold(&frame, known, at, s)) {
                    return;
                }
                self.flush();
                let sub = if known { subscription.as_deref() } else { None };
                let source = source.map(|s| &**s);
                message(&self.sink, &mut self.packed, &frame, sub, body_at, source);
            }
            Event::StateChanged(state) => self.sink.state(state_index(state)),
            Event::Connected(frame) => {
                self.sink.connected(&pack(&frame.headers));
            }
            Event::Receipt { frame, .. } => {
                self.sink.receipt(&pack(&frame.headers));
            }
            Event::ServerError(frame) => {
                self.sink.error(&pack(&frame.headers), &frame.body);
            }
            Event::ProtocolError(message) => self.sink.log(&message),
            Event::Closed {
                code,
                reason,
                was_clean,
                after_disconnect,
            } => {
                self.sink.closed(code, &reason, was_clean, after_disconnect);
                self.sink
                    .drop_receipts("the connection closed before the receipt came");
            }
            Event::Lost {
                code,
                reason,
                was_clean,
                attempt,
                delay_ms,
            } => self
                .sink
                .lost(code, &reason, was_clean, attempt, delay_ms as f64),
            Event::TransactionAborted(id) => {
                let mut line = String::from("transaction ");
                line.push_str(&id);
                line.push_str(" was aborted: the connection it began on was lost");
                self.sink.log(&line);
            }
            Event::ReceiptDropped { id, reason } => self.sink.drop_receipt(&id, &reason),
            Event::Debug(line) => self.sink.log(&line),
            Event::Close { .. } | Event::Reconnect { .. } => {}
        }
    }

    fn idle(&mut self) -> bool {
        let held = self.frames > 0;
        self.flush();
        held
    }
}

/// Hands a MESSAGE to the sink; `sub` is its subscription when that is live.
#[cfg_attr(webstomp_speed, optimize(speed))]
fn message(
    sink: &Sink,
    packed: &mut Vec<u8>,
    frame: &Frame,
    sub: Option<&str>,
    body_at: u64,
    source: Option<&Source>,
) {
    let sub = sub.unwrap_or("");
    // A body that came in an ASCII text message is a slice of it: nothing to decode. (Its
    // headers are too when they are written plainly: see `Dispatcher::hold`.)
    let span = source.and_then(|s| s.span(body_at, frame.body.len()).map(|span| (s, span)));
    if let Some((source, (from, to))) = span {
        let (_, count) = pack_message(packed, sub, &frame.headers, b"");
        sink.message_text(packed, count, &source.text, from, to);
    } else {
        let (head, count) = pack_message(packed, sub, &frame.headers, &frame.body);
        let utf8 = std::str::from_utf8(&frame.body).is_ok();
        sink.message(packed, head, count, utf8);
    }
    if packed.capacity() > 1 << 20 {
        *packed = Vec::new(); // do not keep a huge message's buffer
    }
}

/// The session's reconnect policy from the checked JS `options.reconnect` (`false`: none).
fn reconnect_config(value: &JsValue) -> Option<ReconnectConfig> {
    if !value.is_object() {
        return None;
    }
    let r: &Reconnect = value.unchecked_ref();
    let max = r.max_attempts();
    Some(ReconnectConfig {
        delay_ms: ms(r.delay()),
        max_delay_ms: ms(r.max_delay()),
        multiplier: r.multiplier(),
        jitter: r.jitter(),
        max_attempts: (max.is_finite() && max >= 0.0).then(|| max.min(u32::MAX as f64) as u32),
    })
}
