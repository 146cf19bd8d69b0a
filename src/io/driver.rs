//! The driver: joins a transport, the sans-IO session and a timer, and reports the session's
//! events. No `RefCell` borrow is held while JavaScript runs, so user callbacks may call back
//! into the client (and a test double may answer synchronously) without a re-entrancy panic.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;

use super::socket::{Socket, SocketLike};
use super::sockjs::SockJs;
use super::transport::{Input, Link};
use crate::core::session::{Config, Event, Session, State, CLOSE_NORMAL, CLOSE_PROTOCOL_ERROR};

/// The close code browsers report for a connection lost without a close frame.
const CLOSE_ABNORMAL: u16 = 1006;

/// Milliseconds of wall-clock time: deltas of it survive throttled background timers.
pub fn now() -> u64 {
    js_sys::Date::now() as u64
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
    on_event: RefCell<Box<dyn FnMut(Event)>>,
    pumping: Cell<bool>,
    /// The transport reported its close; it is dropped when no borrow of it is held.
    closed: Cell<bool>,
    /// The SockJS transport the last SockJS session opened on (kept after it closes).
    sockjs_name: Cell<Option<&'static str>>,
    /// A transport failure (close code, reason) for the next pump to report and act on: the
    /// transport is closed there, where no borrow of it is held by the caller.
    failure: RefCell<Option<(u16, String)>>,
    /// The current transport failed: its further input is ignored (the stream has a gap).
    failed: Cell<bool>,
    /// The socket handed to [`Driver::attach`] was already closed: no event will ever come
    /// from it, so the session is told of the close once it waits for the socket.
    stillborn: Cell<bool>,
}

/// A STOMP connection in the browser: the session, its transport and its timer.
pub struct Driver {
    shared: Rc<Shared>,
}

impl Driver {
    /// A driver for a session with `config`, reporting every session event to `on_event`.
    pub fn new(config: Config, on_event: impl FnMut(Event) + 'static) -> Driver {
        Driver {
            shared: Rc::new(Shared {
                session: RefCell::new(Session::new(config)),
                transport: RefCell::new(None),
                timer: RefCell::new(None),
                on_event: RefCell::new(Box::new(on_event)),
                pumping: Cell::new(false),
                closed: Cell::new(false),
                sockjs_name: Cell::new(None),
                failure: RefCell::new(None),
                failed: Cell::new(false),
                stillborn: Cell::new(false),
            }),
        }
    }

    /// Opens a WebSocket to `url` as the transport.
    pub fn open_websocket(
        &self,
        url: &str,
        protocols: &[String],
        binary: bool,
    ) -> Result<(), String> {
        let socket = Socket::open(url, protocols, binary, self.link())?;
        self.set_transport(Transport::Socket(socket));
        Ok(())
    }

    /// Connects to the SockJS endpoint at `base_url` (`http(s)://`), trying `transports` (empty:
    /// all) with `timeout_ms` as each attempt's minimum (see [`SockJs::open`]).
    pub fn open_sockjs(
        &self,
        base_url: &str,
        transports: &[String],
        timeout_ms: u64,
    ) -> Result<(), String> {
        let sockjs = SockJs::open(base_url, transports, timeout_ms, self.link())?;
        self.shared.sockjs_name.set(None);
        self.set_transport(Transport::SockJs(sockjs));
        Ok(())
    }

    /// The SockJS transport (`websocket`, `xhr-streaming`, `xhr-polling`) the last SockJS
    /// session opened on, `None` before it opened or for a plain WebSocket.
    pub fn transport_name(&self) -> Option<&'static str> {
        self.shared.sockjs_name.get()
    }

    /// Takes over an existing WebSocket-shaped object as the transport.
    pub fn attach(&self, socket: SocketLike, binary: bool) {
        let socket = Socket::attach(socket, binary, self.link());
        let open = socket.open_protocol();
        let closed = socket.is_closed();
        self.set_transport(Transport::Socket(socket));
        if let Some(protocol) = open {
            deliver(&self.shared, Input::Open(protocol));
        }
        if closed {
            self.shared.stillborn.set(true);
            pump(&self.shared);
        }
    }

    fn set_transport(&self, t: Transport) {
        self.shared.closed.set(false);
        self.shared.failed.set(false);
        self.shared.failure.replace(None);
        self.shared.stillborn.set(false);
        // Dropping the old transport clears its handlers.
        let old = self.shared.transport.replace(Some(t));
        drop(old);
    }

    fn link(&self) -> Link {
        let weak = Rc::downgrade(&self.shared);
        Rc::new(move |input| {
            if let Some(shared) = weak.upgrade() {
                deliver(&shared, input);
            }
        })
    }

    /// Runs `f` on the session at the current time, then sends what it produced and reports
    /// its events.
    pub fn with_session<R>(&self, f: impl FnOnce(&mut Session, u64) -> R) -> R {
        let r = {
            let mut session = self.shared.session.borrow_mut();
            let before = session.state();
            let r = f(&mut session, now());
            note_end(&self.shared, before, session.state());
            r
        };
        pump(&self.shared);
        r
    }

    /// Reads the session without running it.
    pub fn session<R>(&self, f: impl FnOnce(&Session) -> R) -> R {
        f(&self.shared.session.borrow())
    }

    /// Closes and drops the transport and cancels the timer, at once, without DISCONNECT.
    /// The transport's own close event can no longer arrive, so the session is told of the
    /// close here: it becomes [`State::Closed`] and reports [`Event::Closed`] (code 1000).
    pub fn shutdown(&self) {
        self.drop_transport();
        self.with_session(|s, now| {
            if s.state() != State::Idle {
                s.handle_close(now, CLOSE_NORMAL, "client closed", true);
            }
        });
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

fn deliver(shared: &Rc<Shared>, input: Input) {
    let now = now();
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
            Input::Data(_) if shared.failed.get() => return,
            Input::Data(bytes) => session.handle_data(now, &bytes),
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
}

fn pump(shared: &Rc<Shared>) {
    if shared.pumping.replace(true) {
        return;
    }
    let waiting = matches!(
        shared.session.borrow().state(),
        State::Connecting | State::Reconnecting
    );
    if waiting && shared.stillborn.get() {
        shared.stillborn.set(false);
        shared.session.borrow_mut().handle_close(
            now(),
            CLOSE_ABNORMAL,
            "the socket was already closed when the client took it over",
            false,
        );
        shared.closed.set(true);
    }
    loop {
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
            None => break,
            Some(Event::Close { code, reason }) => {
                if let Some(t) = shared.transport.borrow().as_ref() {
                    t.close(code, &reason);
                }
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

/// When the session has just ended without the transport's close event (it timed out
/// waiting for it, or was told by the caller), the transport is dropped at the end of the
/// pump like a closed one, so that no handler stays on it. Marked before any callback runs, so
/// that a transport set by a callback is kept.
fn note_end(shared: &Shared, before: State, after: State) {
    if before != State::Closed && after == State::Closed {
        shared.closed.set(true);
    }
}

/// Hands `event` to the user's callback (never re-entered: a nested pump only queues).
fn report(shared: &Shared, event: Event) {
    if let Ok(mut on_event) = shared.on_event.try_borrow_mut() {
        on_event(event);
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
                        let before = s.state();
                        s.handle_timeout(now());
                        note_end(&shared, before, s.state());
                    }
                    pump(&shared);
                }
            });
            *timer = Some((at, timeout));
        }
        Some(_) => {}
    }
}
