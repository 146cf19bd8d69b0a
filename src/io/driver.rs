//! The driver: joins a transport, the sans-IO session and a timer, opens new transports when
//! the session reconnects, and reports the session's events. No `RefCell` borrow is held while
//! JavaScript runs, so user callbacks may call back into the client (and a test double may
//! answer synchronously) without a re-entrancy panic.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use js_sys::JsString;
use wasm_bindgen::{JsCast, JsValue};

use super::socket::{describe, Socket, SocketLike};
use super::sockjs::SockJs;
use super::target::{OpenOptions, Target, UrlKind};
use super::transport::{Input, Link};
use crate::core::session::{Config, Event, Session, State, CLOSE_NORMAL, CLOSE_PROTOCOL_ERROR};

/// The close code browsers report for a connection lost without a close frame.
const CLOSE_ABNORMAL: u16 = 1006;

/// Milliseconds of wall-clock time: deltas of it survive throttled background timers.
pub fn now() -> u64 {
    js_sys::Date::now() as u64
}

/// The ASCII text message being fed to the session: a MESSAGE body that came in it can be
/// handed to JS as a slice of it, with nothing decoded.
pub struct Source {
    /// The message.
    pub text: JsString,
    /// The stream offsets (see [`Session::input_position`]) of its first and past its last byte.
    start: u64,
    end: u64,
}

impl Source {
    /// The UTF-16 offsets in `text` of the `len` bytes at stream offset `at`, if they are all in
    /// it.
    pub fn span(&self, at: u64, len: usize) -> Option<(u32, u32)> {
        let end = at.checked_add(len as u64)?;
        if at < self.start || end > self.end {
            return None;
        }
        let a = u32::try_from(at - self.start).ok()?;
        let b = u32::try_from(end - self.start).ok()?;
        Some((a, b))
    }
}

/// What the driver reports to.
pub trait Report {
    /// A session event, with the ASCII text message it came from (if it came in one).
    fn event(&mut self, event: Event, source: Option<&Rc<Source>>);

    /// The session has no more events for now: anything held back goes out. Returns whether
    /// JS code ran (which may have queued new events).
    fn idle(&mut self) -> bool {
        false
    }
}

/// A closure gets each event as it comes (without its source).
impl<F: FnMut(Event)> Report for F {
    fn event(&mut self, event: Event, _: Option<&Rc<Source>>) {
        self(event)
    }
}

/// The transport a driver runs on.
enum Transport {
    Socket(Socket),
    SockJs(SockJs),
}

impl Transport {
    fn send(&self, bytes: &[u8]) -> Result<(), String> {
        match self {
            Transport::Socket(s) => s.send(bytes),
            Transport::SockJs(s) => s.send(bytes),
        }
    }

    fn close(&self, code: u16, reason: &str) {
        match self {
            Transport::Socket(s) => s.close(code, reason),
            Transport::SockJs(s) => s.close(code, reason),
        }
    }
}

struct Shared {
    session: RefCell<Session>,
    transport: RefCell<Option<Transport>>,
    timer: RefCell<Option<(u64, Timeout)>>,
    on_event: RefCell<Box<dyn Report>>,
    /// The ASCII text message being delivered, if any.
    source: Cell<Option<Rc<Source>>>,
    pumping: Cell<bool>,
    target: RefCell<Target>,
    options: RefCell<OpenOptions>,
    /// The index of the URL in use (for [`Target::Urls`]).
    url: Cell<usize>,
    /// `websocket-raw` or `over`; `None` for SockJS, which names its transport once open.
    kind: Cell<Option<&'static str>>,
    /// The transport reported its close; it is dropped when no borrow of it is held.
    closed: Cell<bool>,
    /// The SockJS transport the last SockJS session opened on (kept after it closes).
    sockjs_name: Cell<Option<&'static str>>,
    /// A transport failure (close code, reason) for the next pump to report and act on: the
    /// transport is closed there, where no borrow of it is held by the caller.
    failure: RefCell<Option<(u16, String)>>,
    /// The current transport failed: its further input is ignored (the stream has a gap).
    failed: Cell<bool>,
    /// The socket taken over was already closed: no event will ever come from it, so the
    /// session is told of the close once it waits for the socket.
    stillborn: Cell<bool>,
}

/// A STOMP connection in the browser: the session, its transport and its timer.
pub struct Driver {
    shared: Rc<Shared>,
}

impl Driver {
    /// A driver for a session with `config`, reporting every session event to `on_event`.
    /// It has no transport until [`Driver::attach`], [`Driver::open`] (after
    /// [`Driver::set_target`]), [`Driver::open_websocket`] or [`Driver::open_sockjs`].
    pub fn new(config: Config, on_event: impl Report + 'static) -> Driver {
        Driver {
            shared: Rc::new(Shared {
                session: RefCell::new(Session::new(config)),
                transport: RefCell::new(None),
                timer: RefCell::new(None),
                on_event: RefCell::new(Box::new(on_event)),
                source: Cell::new(None),
                pumping: Cell::new(false),
                target: RefCell::new(Target::Socket),
                options: RefCell::new(OpenOptions::default()),
                url: Cell::new(0),
                kind: Cell::new(None),
                closed: Cell::new(false),
                sockjs_name: Cell::new(None),
                failure: RefCell::new(None),
                failed: Cell::new(false),
                stillborn: Cell::new(false),
            }),
        }
    }

    /// Sets where [`Driver::open`] and reconnect attempts get their transports, and how
    /// they open.
    pub fn set_target(&self, target: Target, options: OpenOptions) {
        *self.shared.target.borrow_mut() = target;
        *self.shared.options.borrow_mut() = options;
    }

    /// Takes over an existing WebSocket-shaped object as the transport (`over(socket)`);
    /// `binary` sends every frame as a binary message.
    pub fn attach(&self, socket: SocketLike, binary: bool) {
        *self.shared.target.borrow_mut() = Target::Socket;
        self.shared.options.borrow_mut().binary = binary;
        attach(&self.shared, socket);
        pump(&self.shared);
    }

    /// Opens a WebSocket to `url` as the transport, with no open limit.
    pub fn open_websocket(
        &self,
        url: &str,
        protocols: &[String],
        binary: bool,
    ) -> Result<(), String> {
        let options = OpenOptions {
            protocols: protocols.to_vec(),
            binary,
            ..OpenOptions::default()
        };
        open_as(&self.shared, UrlKind::WebSocket, url, &options)
    }

    /// Connects to the SockJS endpoint at `base_url` (`http(s)://`), trying `transports`
    /// (empty: all) with `timeout_ms` as each attempt's minimum (see [`SockJs::open`]).
    pub fn open_sockjs(
        &self,
        base_url: &str,
        transports: &[String],
        timeout_ms: u64,
    ) -> Result<(), String> {
        let options = OpenOptions {
            transports: transports.to_vec(),
            timeout_ms,
            ..OpenOptions::default()
        };
        open_as(&self.shared, UrlKind::SockJs, base_url, &options)
    }

    /// Opens a transport to the target's first URL, or from its factory (after `connect`).
    pub fn open(&self) {
        self.shared.url.set(0);
        open_target(&self.shared);
        pump(&self.shared);
    }

    /// The transport's name: `websocket-raw`, `over`, or the SockJS transport the last SockJS
    /// session opened on (`None` before it opened).
    pub fn transport_name(&self) -> Option<&'static str> {
        self.shared.kind.get().or(self.shared.sockjs_name.get())
    }

    /// Runs `f` on the session at the current time, then sends what it produced and reports
    /// its events.
    pub fn with_session<R>(&self, f: impl FnOnce(&mut Session, u64) -> R) -> R {
        let r = f(&mut self.shared.session.borrow_mut(), now());
        pump(&self.shared);
        r
    }

    /// Reads the session without running it.
    pub fn session<R>(&self, f: impl FnOnce(&Session) -> R) -> R {
        f(&self.shared.session.borrow())
    }

    /// Closes and drops the transport and cancels the timer, at once, without DISCONNECT.
    /// The transport's own close event can no longer arrive, so the session is told of the
    /// close here: it becomes [`State::Closed`] and reports [`Event::Closed`] (code 1000),
    /// and does not reconnect.
    pub fn shutdown(&self) {
        self.drop_transport();
        self.with_session(|s, now| s.abandon(now));
    }

    fn drop_transport(&self) {
        self.shared.timer.replace(None);
        if let Some(t) = self.shared.transport.replace(None) {
            t.close(CLOSE_NORMAL, "client closed");
        }
    }
}

impl Drop for Driver {
    /// Closes the transport and frees its handlers and the timer; reports nothing.
    fn drop(&mut self) {
        self.drop_transport();
    }
}

fn link(shared: &Rc<Shared>) -> Link {
    let weak = Rc::downgrade(shared);
    Rc::new(move |input| {
        if let Some(shared) = weak.upgrade() {
            deliver(&shared, input);
        }
    })
}

fn set_transport(shared: &Shared, t: Transport) {
    shared.closed.set(false);
    shared.failed.set(false);
    shared.failure.replace(None);
    shared.stillborn.set(false);
    // Dropping the old transport clears its handlers.
    let old = shared.transport.replace(Some(t));
    drop(old);
}

/// Takes over `socket`; an open one is reported open at once.
fn attach(shared: &Rc<Shared>, socket: SocketLike) {
    let binary = shared.options.borrow().binary;
    let socket = Socket::attach(socket, binary, link(shared));
    let open = socket.open_protocol();
    let closed = socket.is_closed();
    shared.kind.set(Some("over"));
    set_transport(shared, Transport::Socket(socket));
    if let Some(protocol) = open {
        deliver(shared, Input::Open(protocol));
    }
    if closed {
        shared.stillborn.set(true);
    }
}

/// Opens a transport from the target (the URL at `shared.url`, or the factory's socket). A
/// transport that cannot even start counts as closed at once (1006).
fn open_target(shared: &Rc<Shared>) {
    enum From {
        Url(String),
        Factory(js_sys::Function),
    }
    // No borrow is held while the factory (user code) runs.
    let from = match &*shared.target.borrow() {
        Target::Socket => return,
        Target::Urls(urls) => urls.get(shared.url.get()).cloned().map(From::Url),
        Target::Factory(f) => Some(From::Factory(f.clone())),
    };
    let result = match from {
        None => Err("no URL to connect to".to_owned()),
        Some(From::Url(url)) => {
            let options = shared.options.borrow().clone();
            open_url(shared, &url, &options)
        }
        Some(From::Factory(f)) => match f.call0(&JsValue::UNDEFINED) {
            Ok(socket) if socket.is_object() => {
                attach(shared, socket.unchecked_into());
                Ok(())
            }
            Ok(_) => Err("the socket factory returned no socket".to_owned()),
            Err(e) => Err(describe(&e, "the socket factory threw")),
        },
    };
    if let Err(reason) = result {
        shared
            .session
            .borrow_mut()
            .handle_close(now(), CLOSE_ABNORMAL, &reason, false);
        shared.closed.set(true);
    }
}

fn open_url(shared: &Rc<Shared>, url: &str, o: &OpenOptions) -> Result<(), String> {
    match UrlKind::of(url) {
        Some(kind) => open_as(shared, kind, url, o),
        None => Err("the URL must start with ws://, wss://, http:// or https://".to_owned()),
    }
}

fn open_as(shared: &Rc<Shared>, kind: UrlKind, url: &str, o: &OpenOptions) -> Result<(), String> {
    let (transport, kind, text, limit) = match kind {
        UrlKind::WebSocket => {
            let socket = Socket::open(url, &o.protocols, o.binary, link(shared))?;
            let kind = Some("websocket-raw");
            (Transport::Socket(socket), kind, false, Some(o.timeout_ms))
        }
        // SockJS carries text only, whatever `binary` says; it names its transport on `o`,
        // and bounds its attempts itself.
        UrlKind::SockJs => {
            let sockjs = SockJs::open(url, &o.transports, o.timeout_ms, link(shared))?;
            shared.sockjs_name.set(None);
            (Transport::SockJs(sockjs), None, true, None)
        }
    };
    shared.kind.set(kind);
    {
        let mut session = shared.session.borrow_mut();
        session.set_text(text);
        session.opening(now(), limit);
    }
    set_transport(shared, transport);
    Ok(())
}

/// A reconnect attempt: the next URL (failover), or a new socket from the factory.
fn reopen(shared: &Rc<Shared>) {
    if let Target::Urls(urls) = &*shared.target.borrow() {
        let next = shared.url.get().wrapping_add(1);
        shared.url.set(if next < urls.len() { next } else { 0 });
    }
    open_target(shared);
}

fn deliver(shared: &Rc<Shared>, input: Input<'_>) {
    let now = now();
    // Restored after the pump: a message fed from inside a callback has its own source.
    let mut outer = None;
    {
        let Ok(mut session) = shared.session.try_borrow_mut() else {
            return;
        };
        match input {
            Input::Open(protocol) => {
                if let Ok(t) = shared.transport.try_borrow() {
                    if let Some(Transport::SockJs(s)) = t.as_ref() {
                        shared.sockjs_name.set(s.transport_name());
                    }
                }
                session.handle_open(now, protocol.as_deref())
            }
            Input::Data(_) | Input::Ascii { .. } if shared.failed.get() => return,
            Input::Data(bytes) => session.handle_data(now, bytes),
            Input::Ascii { bytes, text } => {
                let start = session.input_position();
                let source = Source {
                    text,
                    start,
                    end: start.saturating_add(bytes.len() as u64),
                };
                outer = Some(shared.source.replace(Some(Rc::new(source))));
                session.handle_data(now, bytes)
            }
            Input::Note(line) => session.note(&line),
            Input::Fail(reason) => {
                // Closing here could run the socket's `onclose` at once (a test double may),
                // and that would drop the transport under this borrow: leave it to `pump`.
                shared.failed.set(true);
                shared.failure.replace(Some((CLOSE_PROTOCOL_ERROR, reason)));
            }
            Input::Closed {
                code,
                reason,
                clean,
            } => {
                session.handle_close(now, code, &reason, clean);
                shared.closed.set(true);
            }
        }
    }
    pump(shared);
    if let Some(outer) = outer {
        shared.source.set(outer);
    }
}

/// A socket taken over already closed: tell the session once it waits for the socket.
fn bury_stillborn(shared: &Shared) {
    let waiting = matches!(
        shared.session.borrow().state(),
        State::Connecting | State::Reconnecting
    );
    if waiting && shared.stillborn.replace(false) {
        shared.session.borrow_mut().handle_close(
            now(),
            CLOSE_ABNORMAL,
            "the socket was already closed when the client took it over",
            false,
        );
        shared.closed.set(true);
    }
}

fn pump(shared: &Rc<Shared>) {
    if shared.pumping.replace(true) {
        return;
    }
    loop {
        if shared.stillborn.get() {
            bury_stillborn(shared);
        }
        let failure = shared.failure.take();
        if let Some((code, reason)) = failure {
            report(shared, Event::ProtocolError(reason.clone()));
            if let Some(t) = shared.transport.borrow().as_ref() {
                t.close(code, &reason);
            }
            continue;
        }
        let transmit = shared.session.borrow_mut().poll_transmit();
        if let Some(bytes) = transmit {
            let sent = match shared.transport.borrow().as_ref() {
                Some(t) => t.send(&bytes),
                None => Ok(()),
            };
            if let Err(reason) = sent {
                if !shared.failed.replace(true) {
                    shared.failure.replace(Some((CLOSE_NORMAL, reason)));
                }
            }
            continue;
        }
        let event = shared.session.borrow_mut().poll_event();
        match event {
            // Held-back events go out; their callbacks may have queued more.
            None if report_idle(shared) => continue,
            None => break,
            Some(Event::Close { code, reason }) => {
                if let Some(t) = shared.transport.borrow().as_ref() {
                    t.close(code, &reason);
                }
            }
            Some(Event::Reconnect { .. }) => reopen(shared),
            Some(event @ (Event::Closed { .. } | Event::Lost { .. })) => {
                // The session is done with the transport (also when it stopped waiting for
                // its close event): drop it at the end of the pump, unless a callback has
                // set a new one by then. Marked before the callback runs.
                shared.closed.set(true);
                report(shared, event);
            }
            Some(event) => report(shared, event),
        }
    }
    if shared.closed.replace(false) {
        // Dropping it clears its handlers and frees their closures.
        shared.transport.replace(None);
    }
    arm_timer(shared);
    shared.pumping.set(false);
}

/// Hands `event` to the user's callback (never re-entered: a nested pump only queues).
fn report(shared: &Shared, event: Event) {
    if let Ok(mut on_event) = shared.on_event.try_borrow_mut() {
        let source = shared.source.take();
        shared.source.set(source.clone());
        on_event.event(event, source.as_ref());
    }
}

/// Tells the reporter that the session is idle; whether JS ran.
fn report_idle(shared: &Shared) -> bool {
    match shared.on_event.try_borrow_mut() {
        Ok(mut on_event) => on_event.idle(),
        Err(_) => false,
    }
}

fn arm_timer(shared: &Rc<Shared>) {
    let deadline = shared.session.borrow().poll_timeout();
    let mut timer = shared.timer.borrow_mut();
    match deadline {
        None => {
            timer.take();
        }
        Some(at) if timer.as_ref().map(|(t, _)| *t) != Some(at) => {
            let weak: Weak<Shared> = Rc::downgrade(shared);
            let delay = at.saturating_sub(now()).min(i32::MAX as u64) as u32;
            let timeout = Timeout::new(delay, move || {
                if let Some(shared) = weak.upgrade() {
                    shared.timer.replace(None);
                    if let Ok(mut s) = shared.session.try_borrow_mut() {
                        s.handle_timeout(now());
                    }
                    pump(&shared);
                }
            });
            *timer = Some((at, timeout));
        }
        Some(_) => {}
    }
}
