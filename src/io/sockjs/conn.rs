//! One SockJS connection: `/info`, the transport attempts with their fallback, the open
//! session, and its end.
//!
//! Every piece of asynchronous work (a request, a body read, a timer, a WebSocket handler)
//! belongs to an *epoch*: `/info` is one, each transport attempt is one, and the open session
//! keeps its attempt's. Starting an attempt or ending the connection begins a new epoch, which
//! aborts the old epoch's requests (`AbortController`), closes its WebSocket, cancels its timer;
//! a task that wakes up in an old epoch stops without touching anything. Tasks hold only a
//! `Weak` reference, so dropping the [`SockJs`](super::SockJs) ends them all.
//!
//! No `RefCell` borrow is held while the driver's link runs: the driver may call back into
//! `send` or `close`, or drop the transport, from inside it.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use wasm_bindgen_futures::spawn_local;

use super::fetch::{random_bytes, Abort, Request};
use super::{websocket, xhr};
use crate::core::sockjs::{
    add_cache_buster, attempt_timeout_ms, encode_messages, falls_back, parse_frame, quote_into,
    select_transports, BaseUrl, ClientClose, Endpoint, Info, SessionId, SockJsFrame, Transport,
    INFO_TIMEOUT_MS,
};
use crate::io::socket::Socket;
use crate::io::transport::{Input, Link};
use crate::text::{concat, decimal};

/// Milliseconds of wall-clock time.
pub(super) fn now() -> u64 {
    js_sys::Date::now() as u64
}

/// A close reason: the [`ClientClose`] reason, then `: detail` when there is one.
pub(super) fn reason(kind: ClientClose, detail: &str) -> String {
    let mut s = String::from(kind.reason());
    if !detail.is_empty() {
        s.push_str(": ");
        s.push_str(detail);
    }
    s
}

/// Where the connection is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Waiting for `/info`.
    Info,
    /// Trying a transport; waiting for its `o` frame.
    Trying(Transport),
    /// The session is open on this transport.
    Open(Transport),
    /// Ended; nothing more is reported.
    Closed,
}

struct State {
    phase: Phase,
    /// Bumped by every attempt and by the end (see the module docs).
    epoch: u32,
    /// The transports still to try, in order.
    remaining: VecDeque<Transport>,
    /// The `/info` round trip.
    rtt_ms: u64,
    /// `/info` said `cookie_needed`: requests carry credentials.
    credentials: bool,
    /// The transport the session opened on, kept after it ends.
    opened: Option<Transport>,
    /// The epoch's requests.
    abort: Option<Abort>,
    /// The epoch's WebSocket (websocket transport).
    socket: Option<Socket>,
    /// The epoch's timer (`/info` or the attempt).
    timer: Option<Timeout>,
    /// `.../xhr_send` of the epoch's session (HTTP transports).
    send_url: String,
    /// Messages waiting for `xhr_send`: a JSON array without its `]`, or empty.
    outbox: String,
    /// An `xhr_send` request is in flight.
    sending: bool,
}

/// Everything the parts of a SockJS connection share.
pub(super) struct Conn {
    link: Link,
    base: RefCell<BaseUrl>,
    requested: Vec<String>,
    floor_ms: u64,
    state: RefCell<State>,
}

/// What ends an attempt or the session, when it is not the server's `c` frame.
pub(super) struct Failure {
    /// The close code.
    pub code: u16,
    /// The reason.
    pub reason: String,
}

impl Failure {
    /// A failure of `kind` with a detail.
    pub fn new(kind: ClientClose, detail: &str) -> Failure {
        Failure {
            code: kind.code(),
            reason: reason(kind, detail),
        }
    }
}

fn delay(ms: u64) -> u32 {
    ms.min(i32::MAX as u64) as u32
}

impl Conn {
    /// Starts with `GET {base}/info`.
    pub fn start(base: BaseUrl, requested: &[String], floor_ms: u64, link: Link) -> Rc<Conn> {
        let conn = Rc::new(Conn {
            link,
            base: RefCell::new(base),
            requested: requested.to_vec(),
            floor_ms,
            state: RefCell::new(State {
                phase: Phase::Info,
                epoch: 0,
                remaining: VecDeque::new(),
                rtt_ms: 0,
                credentials: false,
                opened: None,
                abort: None,
                socket: None,
                timer: None,
                send_url: String::new(),
                outbox: String::new(),
                sending: false,
            }),
        });
        conn.start_info();
        conn
    }

    /// Whether a task of `epoch` may still act.
    pub fn is_current(&self, epoch: u32) -> bool {
        let s = self.state.borrow();
        s.epoch == epoch && s.phase != Phase::Closed
    }

    /// The transport the session opened on.
    pub fn transport(&self) -> Option<Transport> {
        self.state.borrow().opened
    }

    /// Ends the current epoch's work and begins a new epoch, returned.
    fn begin_epoch(&self) -> u32 {
        let (abort, socket, timer, epoch) = {
            let mut s = self.state.borrow_mut();
            s.epoch = s.epoch.wrapping_add(1);
            s.outbox.clear();
            s.sending = false;
            (s.abort.take(), s.socket.take(), s.timer.take(), s.epoch)
        };
        // Outside the borrow: dropping these runs JavaScript (abort, close, clearTimeout).
        if let Some(socket) = socket {
            socket.close(1000, "");
        }
        drop(abort);
        drop(timer);
        epoch
    }

    fn timer(self: &Rc<Self>, epoch: u32, ms: u64, failure: Failure) -> Timeout {
        let weak = Rc::downgrade(self);
        Timeout::new(delay(ms), move || {
            if let Some(conn) = weak.upgrade() {
                conn.failed(epoch, failure);
            }
        })
    }

    fn start_info(self: &Rc<Self>) {
        let epoch = self.begin_epoch();
        let base = self.base.borrow().clone();
        let abort = Abort::new();
        let signal = abort.signal();
        let timeout = Failure::new(
            ClientClose::CannotConnect,
            &concat(&[
                "no answer to ",
                base.as_str(),
                "/info within ",
                &decimal(INFO_TIMEOUT_MS),
                " ms",
            ]),
        );
        let timer = self.timer(epoch, INFO_TIMEOUT_MS, timeout);
        {
            let mut s = self.state.borrow_mut();
            s.phase = Phase::Info;
            s.abort = Some(abort);
            s.timer = Some(timer);
        }
        let weak = Rc::downgrade(self);
        spawn_local(async move {
            let started = js_sys::Date::now();
            let result = fetch_info(&base, signal).await;
            let rtt = (js_sys::Date::now() - started).max(0.0) as u64;
            let Some(conn) = live(&weak, epoch) else {
                return;
            };
            match result {
                Ok(info) => conn.info_answered(&info, rtt),
                Err(detail) => conn.end(ClientClose::CannotConnect.code(), detail, false),
            }
        });
    }

    fn info_answered(self: &Rc<Self>, info: &Info, rtt_ms: u64) {
        if let Some(url) = &info.base_url {
            if let Ok(base) = BaseUrl::parse(url) {
                *self.base.borrow_mut() = base;
            }
        }
        let transports = select_transports(&self.requested, info);
        {
            let mut s = self.state.borrow_mut();
            s.rtt_ms = rtt_ms;
            s.credentials = info.cookie_needed;
            s.remaining = transports.into();
        }
        self.next_attempt();
    }

    /// Tries the next transport, or ends with 2000 when none is left.
    fn next_attempt(self: &Rc<Self>) {
        let epoch = self.begin_epoch();
        let next = {
            let mut s = self.state.borrow_mut();
            let next = s.remaining.pop_front();
            if let Some(t) = next {
                s.phase = Phase::Trying(t);
            }
            next.map(|t| (t, s.rtt_ms, s.credentials))
        };
        let Some((transport, rtt_ms, credentials)) = next else {
            let all = ClientClose::AllTransportsFailed;
            return self.end(all.code(), all.reason().to_owned(), false);
        };
        let session = SessionId::from_random(random_bytes());
        let base = self.base.borrow().clone();
        let limit = attempt_timeout_ms(rtt_ms, self.floor_ms, transport);
        let timeout = Failure::new(
            ClientClose::TransportTimedOut,
            &concat(&[
                transport.name(),
                " did not open within ",
                &decimal(limit),
                " ms",
            ]),
        );
        let timer = self.timer(epoch, limit, timeout);
        self.state.borrow_mut().timer = Some(timer);
        match transport {
            Transport::WebSocket => {
                match websocket::open(self, epoch, &base.websocket_url(&session)) {
                    Ok(socket) => self.state.borrow_mut().socket = Some(socket),
                    Err(detail) => {
                        self.failed(epoch, Failure::new(ClientClose::WebSocketBroken, &detail))
                    }
                }
            }
            Transport::XhrStreaming | Transport::XhrPolling => {
                let abort = Abort::new();
                let signal = abort.signal();
                {
                    let mut s = self.state.borrow_mut();
                    s.abort = Some(abort);
                    s.send_url = base.session_url(&session, Endpoint::XhrSend);
                }
                let url = base.session_url(&session, transport.receive_endpoint());
                let weak = Rc::downgrade(self);
                spawn_local(xhr::receive(
                    weak,
                    epoch,
                    transport,
                    url,
                    credentials,
                    signal,
                ));
            }
        }
    }

    /// The transport of `epoch` ended with `failure`: before the session opened, the next
    /// transport is tried if the code allows it ([`falls_back`]); otherwise the connection
    /// ends with it.
    pub fn failed(self: &Rc<Self>, epoch: u32, failure: Failure) {
        self.transport_closed(epoch, failure.code, failure.reason, false);
    }

    fn transport_closed(self: &Rc<Self>, epoch: u32, code: u16, reason: String, clean: bool) {
        let phase = {
            let s = self.state.borrow();
            if s.epoch != epoch {
                return;
            }
            s.phase
        };
        match phase {
            Phase::Closed => {}
            Phase::Trying(t) if falls_back(code) => {
                // Why the fallback happened is what a user debugging it needs.
                let line = concat(&[
                    "SockJS ",
                    t.name(),
                    " failed (",
                    &decimal(code.into()),
                    " ",
                    &reason,
                    "); trying the next transport",
                ]);
                (self.link)(Input::Note(line));
                if self.state.borrow().epoch == epoch {
                    self.next_attempt();
                }
            }
            _ => self.end(code, reason, clean),
        }
    }

    /// Ends the connection and reports the close, once.
    fn end(&self, code: u16, reason: String, clean: bool) {
        if self.state.borrow().phase == Phase::Closed {
            return;
        }
        self.begin_epoch();
        self.state.borrow_mut().phase = Phase::Closed;
        (self.link)(Input::Closed {
            code,
            reason,
            clean,
        });
    }

    /// Handles one SockJS frame of `epoch`. Returns whether the epoch is still current (the
    /// caller stops reading otherwise).
    pub fn frame(self: &Rc<Self>, epoch: u32, text: &str) -> bool {
        let phase = {
            let s = self.state.borrow();
            if s.epoch != epoch {
                return false;
            }
            s.phase
        };
        let protocol_error = |detail: &str| Failure::new(ClientClose::ProtocolError, detail);
        match (parse_frame(text), phase) {
            (_, Phase::Closed | Phase::Info) => {}
            (Err(e), _) => self.failed(epoch, protocol_error(&e.message())),
            (Ok(SockJsFrame::Heartbeat), _) => {}
            (Ok(SockJsFrame::Open), Phase::Trying(t)) => {
                {
                    let mut s = self.state.borrow_mut();
                    s.phase = Phase::Open(t);
                    s.opened = Some(t);
                    s.timer = None;
                }
                (self.link)(Input::Open(None));
            }
            (Ok(SockJsFrame::Open), _) => {
                let lost = ClientClose::ServerLostSession;
                let detail = "a second open frame";
                self.end(lost.code(), reason(lost, detail), false);
            }
            (Ok(SockJsFrame::Messages(_)), Phase::Trying(_)) => {
                let detail = "messages before the open frame";
                self.failed(epoch, protocol_error(detail));
            }
            (Ok(SockJsFrame::Messages(messages)), Phase::Open(_)) => {
                for message in messages {
                    (self.link)(Input::Data(message.as_bytes()));
                    if !self.is_current(epoch) {
                        return false;
                    }
                }
            }
            (Ok(SockJsFrame::Close { code, reason }), _) => {
                self.transport_closed(epoch, code, reason, true)
            }
        }
        self.is_current(epoch)
    }

    /// Sends one message: over the WebSocket at once, over HTTP by `xhr_send`, batched with
    /// whatever queues while a send is in flight.
    pub fn send(self: &Rc<Self>, text: &str) -> Result<(), String> {
        let mut s = self.state.borrow_mut();
        match s.phase {
            Phase::Open(Transport::WebSocket) => match &s.socket {
                Some(socket) => socket.send(encode_messages([text]).as_bytes()),
                None => Err("the SockJS WebSocket is gone".into()),
            },
            Phase::Open(_) => {
                let separator = if s.outbox.is_empty() { '[' } else { ',' };
                s.outbox.push(separator);
                quote_into(&mut s.outbox, text);
                drop(s);
                self.flush();
                Ok(())
            }
            _ => Err("the SockJS session is not open".into()),
        }
    }

    /// Starts an `xhr_send` of the outbox unless one is in flight or it is empty. The outbox
    /// is taken when the task runs (a microtask later), so that what the page sends in one
    /// turn goes in one request: a goodbye and the DISCONNECT sent from `pagehide` leave
    /// together, before the page is gone, instead of the DISCONNECT waiting for a response.
    fn flush(self: &Rc<Self>) {
        let epoch = {
            let mut s = self.state.borrow_mut();
            if s.sending || s.outbox.is_empty() {
                return;
            }
            s.sending = true;
            s.epoch
        };
        let weak = Rc::downgrade(self);
        spawn_local(async move {
            // A new epoch cleared the outbox and `sending`.
            let Some((mut body, mut url, credentials, signal)) = live(&weak, epoch).map(|conn| {
                let mut s = conn.state.borrow_mut();
                let signal = s.abort.as_ref().and_then(Abort::signal);
                let body = std::mem::take(&mut s.outbox);
                (body, s.send_url.clone(), s.credentials, signal)
            }) else {
                return;
            };
            body.push(']');
            add_cache_buster(&mut url, now());
            let request = Request {
                method: "POST",
                url: &url,
                body: Some(&body),
                credentials,
                signal,
            };
            let result = match request.send().await {
                Ok(r) if matches!(r.status_code(), 200 | 204) => Ok(()),
                Ok(r) => Err(concat(&[
                    "xhr_send answered HTTP ",
                    &decimal(r.status_code().into()),
                ])),
                Err(e) => Err(concat(&["xhr_send failed: ", &e])),
            };
            drop(body);
            let Some(conn) = live(&weak, epoch) else {
                return;
            };
            match result {
                Ok(()) => {
                    conn.state.borrow_mut().sending = false;
                    conn.flush();
                }
                Err(detail) => conn.failed(epoch, Failure::new(ClientClose::SendingError, &detail)),
            }
        });
    }

    /// Closes at the driver's request; the close is reported from a task, as a browser
    /// reports a WebSocket's.
    pub fn close(self: &Rc<Self>, code: u16, reason: &str) {
        if self.state.borrow().phase == Phase::Closed {
            return;
        }
        self.begin_epoch();
        self.state.borrow_mut().phase = Phase::Closed;
        let weak = Rc::downgrade(self);
        let reason = reason.to_owned();
        spawn_local(async move {
            if let Some(conn) = weak.upgrade() {
                (conn.link)(Input::Closed {
                    code,
                    reason,
                    clean: true,
                });
            }
        });
    }

    /// Stops everything without reporting (the owner is gone).
    pub fn stop(&self) {
        self.begin_epoch();
        self.state.borrow_mut().phase = Phase::Closed;
    }
}

/// The connection, if `epoch` is still current.
pub(super) fn live(weak: &Weak<Conn>, epoch: u32) -> Option<Rc<Conn>> {
    weak.upgrade().filter(|c| c.is_current(epoch))
}

/// `GET {base}/info`, parsed.
async fn fetch_info(base: &BaseUrl, signal: Option<wasm_bindgen::JsValue>) -> Result<Info, String> {
    let url = base.info_url(now());
    let request = Request {
        method: "GET",
        url: &url,
        body: None,
        credentials: false,
        signal,
    };
    // "Cannot connect to server: GET {base}/info{rest}".
    let detail = |rest: &str| {
        let get = concat(&["GET ", base.as_str(), "/info", rest]);
        reason(ClientClose::CannotConnect, &get)
    };
    let response = request
        .send()
        .await
        .map_err(|e| detail(&concat(&[": ", &e])))?;
    match response.status_code() {
        200 => {}
        status => {
            return Err(detail(&concat(&[
                " answered HTTP ",
                &decimal(status.into()),
            ])))
        }
    }
    let body = response
        .bytes()
        .await
        .map_err(|e| detail(&concat(&[": ", &e])))?;
    let text = String::from_utf8(body).map_err(|_| detail(": the answer is not UTF-8 text"))?;
    Info::parse(&text).map_err(|e| detail(&concat(&[": ", &e.message()])))
}
