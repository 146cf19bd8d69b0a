//! Shared helpers for the browser suites (`tests/web_*.rs`): a [`Client`] that runs a
//! [`Driver`] and queues its events, waits that are always bounded, and a scripted
//! WebSocket-shaped double ([`fake::FakeSocket`]).
//!
//! Every wait takes a limit and panics with a description when it passes, so a broken client
//! fails its test instead of hanging the suite.
// Each suite uses a different part of this module.
#![allow(dead_code)]

pub mod fake;

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Poll, Waker};

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use webstomp_wasm::core::encoder::ContentLength;
use webstomp_wasm::core::frame::{Frame, Headers};
use webstomp_wasm::core::session::{Config, Event, HeartbeatConfig, Issued, Session, State};
use webstomp_wasm::io::{Driver, SocketLike};

/// How long one step (CONNECTED, a message, a receipt, a close) may take.
pub const STEP_MS: u32 = 5_000;

/// Headers from `(name, value)` pairs, in order.
pub fn headers(pairs: &[(&str, &str)]) -> Headers {
    pairs.iter().map(|&(n, v)| (n, v)).collect()
}

/// A name no other test (or earlier run against the same broker) uses.
pub fn unique(prefix: &str) -> String {
    thread_local!(static COUNT: Cell<u32> = const { Cell::new(0) });
    let n = COUNT.with(|c| c.replace(c.get() + 1));
    let random = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    format!("{prefix}-{random:08x}-{n}")
}

/// A config for tests, as the JS API makes it for a WebSocket: `text: false` (the socket
/// carries both kinds of message), heart-beats off (tests that want them say so), the rest
/// default.
pub fn config() -> Config {
    Config {
        heartbeat: HeartbeatConfig::OFF,
        text: false,
        ..Config::default()
    }
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: u32) {
    TimeoutFuture::new(ms).await;
}

/// What the driver reported, sorted: state changes and debug lines are logged apart, the
/// other events queue up for the `expect_*` methods.
#[derive(Default)]
struct Inbox {
    events: VecDeque<Event>,
    states: Vec<State>,
    debug: Vec<String>,
    waker: Option<Waker>,
}

/// [`Event::Closed`]'s fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    pub code: u16,
    pub reason: String,
    pub was_clean: bool,
    pub after_disconnect: bool,
}

/// A driver and the events it reported.
pub struct Client {
    driver: Driver,
    inbox: Rc<RefCell<Inbox>>,
}

impl Client {
    /// A driver with no transport yet.
    pub fn new(config: Config) -> Client {
        let inbox = Rc::new(RefCell::new(Inbox::default()));
        let sink = Rc::clone(&inbox);
        let driver = Driver::new(config, move |event| {
            let mut inbox = sink.borrow_mut();
            match event {
                Event::StateChanged(state) => inbox.states.push(state),
                Event::Debug(line) => inbox.debug.push(line),
                event => inbox.events.push_back(event),
            }
            if let Some(waker) = inbox.waker.take() {
                waker.wake();
            }
        });
        Client { driver, inbox }
    }

    /// A driver on a browser WebSocket to `url`; `binary` is the JS `binary` option (every
    /// frame a binary message; otherwise only frames that are not UTF-8).
    pub fn open(url: &str, config: Config, binary: bool) -> Client {
        let protocols = config.subprotocols.clone();
        let client = Client::new(config);
        if let Err(e) = client.driver.open_websocket(url, &protocols, binary) {
            panic!("opening a WebSocket to {url}: {e}");
        }
        client
    }

    /// A driver that took over `socket`, without the `binary` option.
    pub fn over(socket: &impl JsCast, config: Config) -> Client {
        Client::attach(socket, config, false)
    }

    /// A driver that took over `socket`, with the `binary` option.
    pub fn over_binary(socket: &impl JsCast, config: Config) -> Client {
        Client::attach(socket, config, true)
    }

    fn attach(socket: &impl JsCast, config: Config, binary: bool) -> Client {
        let client = Client::new(config);
        client
            .driver
            .attach(socket.unchecked_ref::<SocketLike>().clone(), binary);
        client
    }

    /// The driver.
    pub fn driver(&self) -> &Driver {
        &self.driver
    }

    /// Runs `f` on the session (then the driver sends and reports what it produced).
    pub fn run<R>(&self, f: impl FnOnce(&mut Session, u64) -> R) -> R {
        self.driver.with_session(f)
    }

    /// Reads the session.
    pub fn session<R>(&self, f: impl FnOnce(&Session) -> R) -> R {
        self.driver.session(f)
    }

    /// The session's state.
    pub fn state(&self) -> State {
        self.session(Session::state)
    }

    /// Every state the session went through, in order.
    pub fn states(&self) -> Vec<State> {
        self.inbox.borrow().states.clone()
    }

    /// Every debug line so far.
    pub fn debug_lines(&self) -> Vec<String> {
        self.inbox.borrow().debug.clone()
    }

    /// Calls `connect` with `headers`; panics if refused.
    pub fn connect(&self, headers: Headers) {
        if let Err(e) = self.run(|s, now| s.connect(now, headers)) {
            panic!("connect refused: {e}");
        }
    }

    /// SEND `body` to `destination` with `content-length`; panics if refused. Returns the
    /// receipt id, if one was asked for.
    pub fn send(&self, destination: &str, body: impl Into<Vec<u8>>, h: Headers) -> Option<String> {
        let body = body.into();
        match self.run(|s, now| s.send(now, destination, body, h, ContentLength::Auto)) {
            Ok(receipt) => receipt,
            Err(e) => panic!("send to {destination} refused: {e}"),
        }
    }

    /// SUBSCRIBE; panics if refused.
    pub fn subscribe(&self, destination: &str, h: Headers) -> Issued {
        match self.run(|s, now| s.subscribe(now, destination, h)) {
            Ok(issued) => issued,
            Err(e) => panic!("subscribe to {destination} refused: {e}"),
        }
    }

    /// SUBSCRIBE with a receipt and wait for it, so that what is sent next is delivered.
    pub async fn subscribe_confirmed(&self, destination: &str, pairs: &[(&str, &str)]) -> String {
        let mut h = headers(pairs);
        h.set("receipt", "true");
        let issued = self.subscribe(destination, h);
        let receipt = issued.receipt.expect("a receipt id");
        self.expect_receipt(&receipt).await;
        issued.id
    }

    /// The next queued event, if one is there now.
    pub fn try_next(&self) -> Option<Event> {
        self.inbox.borrow_mut().events.pop_front()
    }

    /// The next event (not a state change or debug line), or `None` after `ms`.
    pub async fn next(&self, ms: u32) -> Option<Event> {
        let mut timer = TimeoutFuture::new(ms);
        poll_fn(|cx| {
            let mut inbox = self.inbox.borrow_mut();
            if let Some(event) = inbox.events.pop_front() {
                return Poll::Ready(Some(event));
            }
            inbox.waker = Some(cx.waker().clone());
            drop(inbox);
            match Pin::new(&mut timer).poll(cx) {
                Poll::Ready(()) => Poll::Ready(None),
                Poll::Pending => Poll::Pending,
            }
        })
        .await
    }

    /// The next event, which `pick` must accept; panics naming `what` on any other event or
    /// after [`STEP_MS`].
    pub async fn expect<T>(&self, what: &str, pick: impl FnOnce(Event) -> Result<T, Event>) -> T {
        match self.next(STEP_MS).await {
            None => panic!(
                "no {what} within {STEP_MS} ms (state {}, states {:?})",
                self.state(),
                self.states()
            ),
            Some(event) => match pick(event) {
                Ok(t) => t,
                Err(event) => panic!("expected {what}, got {}", brief(&event)),
            },
        }
    }

    /// The CONNECTED frame.
    pub async fn expect_connected(&self) -> Frame {
        self.expect("CONNECTED", |e| match e {
            Event::Connected(frame) => Ok(frame),
            e => Err(e),
        })
        .await
    }

    /// A MESSAGE frame for a live subscription.
    pub async fn expect_message(&self) -> Frame {
        self.expect("MESSAGE", |e| match e {
            Event::Message {
                frame, known: true, ..
            } => Ok(frame),
            e => Err(e),
        })
        .await
    }

    /// The RECEIPT with `id`.
    pub async fn expect_receipt(&self, id: &str) -> Frame {
        let what = format!("RECEIPT {id}");
        self.expect(&what, |e| match e {
            Event::Receipt { id: got, frame } if got == id => Ok(frame),
            e => Err(e),
        })
        .await
    }

    /// An ERROR frame from the server.
    pub async fn expect_server_error(&self) -> Frame {
        self.expect("an ERROR frame", |e| match e {
            Event::ServerError(frame) => Ok(frame),
            e => Err(e),
        })
        .await
    }

    /// A protocol error's message.
    pub async fn expect_protocol_error(&self) -> String {
        self.expect("a protocol error", |e| match e {
            Event::ProtocolError(message) => Ok(message),
            e => Err(e),
        })
        .await
    }

    /// The transport's close.
    pub async fn expect_closed(&self) -> Closed {
        self.expect("the transport's close", |e| match e {
            Event::Closed {
                code,
                reason,
                was_clean,
                after_disconnect,
            } => Ok(Closed {
                code,
                reason,
                was_clean,
                after_disconnect,
            }),
            e => Err(e),
        })
        .await
    }

    /// Waits `ms` and panics if any event (other than state changes and debug lines) comes.
    pub async fn expect_quiet(&self, ms: u32) {
        if let Some(event) = self.next(ms).await {
            panic!("expected no event for {ms} ms, got {}", brief(&event));
        }
    }

    /// Connects to a browser WebSocket at `url` (see [`Client::open`]) as RabbitMQ's guest
    /// user on the default virtual host and waits for CONNECTED.
    pub async fn connect_to(url: &str, config: Config, binary: bool) -> (Client, Frame) {
        let client = Client::open(url, config, binary);
        client.connect(headers(&[
            ("login", "guest"),
            ("passcode", "guest"),
            ("host", "/"),
        ]));
        let frame = client.expect_connected().await;
        (client, frame)
    }
}

/// A frame's body as text (panics on bytes that are not UTF-8).
pub fn text(frame: &Frame) -> &str {
    match std::str::from_utf8(&frame.body) {
        Ok(s) => s,
        Err(e) => panic!("the body is not UTF-8: {e}"),
    }
}

/// An event for a failure message: at most a few hundred characters (bodies can be 1 MB).
pub fn brief(event: &Event) -> String {
    const MAX: usize = 400;
    let mut s = format!("{event:?}");
    if s.len() > MAX {
        let mut end = MAX;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.push('…');
    }
    s
}
