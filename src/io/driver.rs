//! The driver: joins a transport, the sans-IO session and a timer, and reports the session's
//! events. No `RefCell` borrow is held while JavaScript runs, so user callbacks may call back
//! into the client (and a test double may answer synchronously) without a re-entrancy panic.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;

use super::socket::{Socket, SocketLike};
use super::transport::{Input, Link};
use crate::core::session::{Config, Event, Session};

/// Milliseconds of wall-clock time: deltas of it survive throttled background timers.
pub fn now() -> u64 {
    js_sys::Date::now() as u64
}

/// The transport a driver runs on.
enum Transport {
    Socket(Socket),
}

impl Transport {
    fn send(&self, bytes: &[u8]) -> Result<(), String> {
        match self {
            Transport::Socket(s) => s.send(bytes),
        }
    }

    fn close(&self, code: u16, reason: &str) {
        match self {
            Transport::Socket(s) => s.close(code, reason),
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

    /// Takes over an existing WebSocket-shaped object as the transport.
    pub fn attach(&self, socket: SocketLike, binary: bool) {
        let socket = Socket::attach(socket, binary, self.link());
        let open = socket.open_protocol();
        self.set_transport(Transport::Socket(socket));
        if let Some(protocol) = open {
            deliver(&self.shared, Input::Open(protocol));
        }
    }

    fn set_transport(&self, t: Transport) {
        self.shared.closed.set(false);
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
        let r = f(&mut self.shared.session.borrow_mut(), now());
        pump(&self.shared);
        r
    }

    /// Reads the session without running it.
    pub fn session<R>(&self, f: impl FnOnce(&Session) -> R) -> R {
        f(&self.shared.session.borrow())
    }

    /// Closes and drops the transport and cancels the timer, at once.
    pub fn shutdown(&self) {
        self.shared.timer.replace(None);
        if let Some(t) = self.shared.transport.replace(None) {
            t.close(1000, "client closed");
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn deliver(shared: &Rc<Shared>, input: Input) {
    let now = now();
    {
        let Ok(mut session) = shared.session.try_borrow_mut() else {
            return;
        };
        match input {
            Input::Open(protocol) => session.handle_open(now, protocol.as_deref()),
            Input::Data(bytes) => session.handle_data(now, &bytes),
            Input::Fail(reason) => {
                drop(session);
                if let Some(t) = shared.transport.borrow().as_ref() {
                    t.close(1000, &reason);
                }
                return;
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
    loop {
        let transmit = shared.session.borrow_mut().poll_transmit();
        if let Some(bytes) = transmit {
            let sent = match shared.transport.borrow().as_ref() {
                Some(t) => t.send(&bytes),
                None => Ok(()),
            };
            if let Err(reason) = sent {
                if let Some(t) = shared.transport.borrow().as_ref() {
                    t.close(1000, &reason);
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
            Some(event) => {
                if let Ok(mut on_event) = shared.on_event.try_borrow_mut() {
                    on_event(event);
                }
            }
        }
    }
    if shared.closed.replace(false) {
        // Dropping it clears its handlers and frees their closures.
        shared.transport.replace(None);
    }
    arm_timer(shared);
    shared.pumping.set(false);
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
