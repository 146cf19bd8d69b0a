//! User commands: send, subscribe, unsubscribe, transactions, acknowledgements.
//!
//! Every command may ask for a receipt with a `receipt` header: its value is the receipt id,
//! or `true` for a generated one (`receipt-0`, ...). The id to wait for is returned. Commands
//! issued before CONNECTED are held (see the [module docs](super)).

use super::ack::ack_frame;
use super::ids::{choose_id, Ids};
use super::queue::Queued;
use super::subscriptions::Subscription;
use super::{Event, Session, SessionError, State};
use crate::core::command::Command;
use crate::core::encoder::ContentLength;
use crate::core::frame::{Frame, Headers};
use crate::core::version::Version;
use crate::text::{concat, quoted};

/// What `subscribe` and `begin` made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    /// The subscription or transaction id.
    pub id: String,
    /// The receipt to wait for, if one was asked for.
    pub receipt: Option<String>,
}

/// Whether a command goes out now (with the negotiated version) or is held.
#[derive(Debug, Clone, Copy)]
enum Route {
    Now(Version),
    Hold,
}

impl Session {
    /// Whether commands can be issued now, and where they go.
    fn route(&self) -> Result<Route, SessionError> {
        if self.closing.is_some() {
            return Err(SessionError::NotConnected(self.state));
        }
        match self.state {
            State::Connected => Ok(Route::Now(self.version.unwrap_or(Version::V1_2))),
            State::Connecting | State::Reconnecting => Ok(Route::Hold),
            state => Err(SessionError::NotConnected(state)),
        }
    }

    /// Reads the `receipt` header: `true` becomes a generated id (written back).
    pub(super) fn take_receipt(
        &mut self,
        headers: &mut Headers,
    ) -> Result<Option<String>, SessionError> {
        match headers.get("receipt") {
            None => Ok(None),
            Some("") => Err(SessionError::InvalidArgument(
                "the receipt header must not be empty",
            )),
            Some("true") => {
                let id = self.receipts.generate_id();
                headers.set("receipt", id.as_str());
                Ok(Some(id))
            }
            Some(id) => Ok(Some(id.to_owned())),
        }
    }

    /// Sends `frame` now or holds it; on success registers its receipt.
    fn issue(
        &mut self,
        now: u64,
        route: Route,
        frame: Frame,
        content_length: ContentLength,
        receipt: Option<String>,
    ) -> Result<Option<String>, SessionError> {
        let command = frame.command;
        match route {
            Route::Now(_) => {
                self.transmit_frame_registering(now, frame, content_length, &receipt)?
            }
            Route::Hold => {
                self.queue
                    .push(Queued::Frame(frame, content_length), self.config.max_queued)?;
                if let Some(id) = &receipt {
                    self.receipts.register(id.clone(), command, false);
                }
            }
        }
        Ok(receipt)
    }

    /// Encodes and sends `frame`, registering `receipt` first.
    fn transmit_frame_registering(
        &mut self,
        now: u64,
        frame: Frame,
        content_length: ContentLength,
        receipt: &Option<String>,
    ) -> Result<(), SessionError> {
        let bytes = self.encode(&frame, content_length)?;
        if let Some(id) = receipt {
            self.receipts.register(id.clone(), frame.command, false);
        }
        self.push_transmit(now, bytes);
        self.note_sent(frame, content_length);
        Ok(())
    }

    /// Refuses a command in a transaction that a lost connection aborted.
    fn check_transaction(&self, headers: &Headers) -> Result<(), SessionError> {
        match headers.get("transaction") {
            Some(tx) if self.transactions.is_aborted(tx) => {
                Err(SessionError::TransactionAborted(tx.to_owned()))
            }
            _ => Ok(()),
        }
    }

    /// SEND `body` to `destination`. `content_length` decides whether a `content-length`
    /// header is written ([`ContentLength::Auto`]: yes, the exact byte length). Returns the
    /// receipt id when one was asked for.
    pub fn send(
        &mut self,
        now: u64,
        destination: &str,
        body: Vec<u8>,
        mut headers: Headers,
        content_length: ContentLength,
    ) -> Result<Option<String>, SessionError> {
        self.observe(now);
        if destination.is_empty() {
            return Err(SessionError::InvalidArgument(
                "the destination must not be empty",
            ));
        }
        let route = self.route()?;
        self.check_transaction(&headers)?;
        if self.config.text && std::str::from_utf8(&body).is_err() {
            return Err(SessionError::NotUtf8);
        }
        headers.set("destination", destination);
        let receipt = self.take_receipt(&mut headers)?;
        let frame = Frame {
            command: Command::Send,
            headers,
            body,
        };
        self.issue(now, route, frame, content_length, receipt)
    }

    /// SUBSCRIBE to `destination`. The id is `headers["id"]` when given (it must not be
    /// live), else a generated `sub-N` that no live subscription has. The subscription is
    /// kept in the registry and sent again on every (re)connect; before CONNECTED it is only
    /// registered.
    pub fn subscribe(
        &mut self,
        now: u64,
        destination: &str,
        mut headers: Headers,
    ) -> Result<Issued, SessionError> {
        self.observe(now);
        if destination.is_empty() {
            return Err(SessionError::InvalidArgument(
                "the destination must not be empty",
            ));
        }
        let route = self.route()?;
        let id = choose_id(
            &mut self.subscriptions,
            headers.get("id"),
            "the subscription id must not be empty",
            SessionError::DuplicateSubscription,
        )?;
        let receipt = self.take_receipt(&mut headers)?;
        headers.remove("id");
        headers.remove("destination");
        headers.remove("receipt");
        let mut sub = Subscription {
            id: id.clone(),
            destination: destination.to_owned(),
            headers,
            receipt: receipt.clone(),
        };
        match route {
            Route::Now(_) => {
                let frame = sub.frame();
                self.transmit_frame_registering(now, frame, ContentLength::Auto, &receipt)?;
            }
            Route::Hold => {
                if let Some(r) = &receipt {
                    self.receipts.register(r.clone(), Command::Subscribe, false);
                }
            }
        }
        self.subscriptions.insert(sub);
        Ok(Issued { id, receipt })
    }

    /// UNSUBSCRIBE the live subscription `id` and drop it from the registry. Before
    /// CONNECTED the server never saw it: it is only dropped, and no receipt comes (`None`).
    pub fn unsubscribe(
        &mut self,
        now: u64,
        id: &str,
        mut headers: Headers,
    ) -> Result<Option<String>, SessionError> {
        self.observe(now);
        let route = self.route()?;
        if !self.subscriptions.contains(id) {
            return Err(SessionError::UnknownSubscription(id.to_owned()));
        }
        match route {
            Route::Now(_) => {
                let receipt = self.take_receipt(&mut headers)?;
                headers.set("id", id);
                let frame = Frame {
                    command: Command::Unsubscribe,
                    headers,
                    body: Vec::new(),
                };
                self.transmit_frame_registering(now, frame, ContentLength::Auto, &receipt)?;
                self.subscriptions.remove(id);
                Ok(receipt)
            }
            Route::Hold => {
                if let Some(r) = self.subscriptions.remove(id).and_then(|s| s.receipt) {
                    self.receipts.remove(&r);
                }
                Ok(None)
            }
        }
    }

    /// BEGIN a transaction: `id`, or a generated `tx-N` that no open transaction has.
    pub fn begin(
        &mut self,
        now: u64,
        id: Option<&str>,
        mut headers: Headers,
    ) -> Result<Issued, SessionError> {
        self.observe(now);
        let route = self.route()?;
        let id = choose_id(
            &mut self.transactions,
            id,
            "the transaction id must not be empty",
            SessionError::DuplicateTransaction,
        )?;
        let receipt = self.take_receipt(&mut headers)?;
        headers.set("transaction", id.as_str());
        let frame = Frame {
            command: Command::Begin,
            headers,
            body: Vec::new(),
        };
        let receipt = self.issue(now, route, frame, ContentLength::Auto, receipt)?;
        self.transactions.begin(id.clone());
        Ok(Issued { id, receipt })
    }

    /// COMMIT the open transaction `id`.
    pub fn commit(
        &mut self,
        now: u64,
        id: &str,
        headers: Headers,
    ) -> Result<Option<String>, SessionError> {
        self.end_transaction(now, Command::Commit, id, headers)
    }

    /// ABORT the open transaction `id`.
    pub fn abort(
        &mut self,
        now: u64,
        id: &str,
        headers: Headers,
    ) -> Result<Option<String>, SessionError> {
        self.end_transaction(now, Command::Abort, id, headers)
    }

    fn end_transaction(
        &mut self,
        now: u64,
        command: Command,
        id: &str,
        mut headers: Headers,
    ) -> Result<Option<String>, SessionError> {
        self.observe(now);
        let route = self.route()?;
        if !self.transactions.contains(id) {
            // A transaction a lost connection rolled back: aborting it again is done already.
            if self.transactions.forget_aborted(id) {
                return match command {
                    Command::Abort => Ok(None),
                    _ => Err(SessionError::TransactionAborted(id.to_owned())),
                };
            }
            return Err(SessionError::UnknownTransaction(id.to_owned()));
        }
        let receipt = self.take_receipt(&mut headers)?;
        headers.set("transaction", id);
        let frame = Frame {
            command,
            headers,
            body: Vec::new(),
        };
        let receipt = self.issue(now, route, frame, ContentLength::Auto, receipt)?;
        self.transactions.end(id);
        Ok(receipt)
    }

    /// ACK a message. `message_id` is the MESSAGE's `ack` header value in STOMP 1.2 (sent as
    /// `id`), its `message-id` in 1.1 and 1.0 (sent as `message-id`); `subscription` is its
    /// `subscription` header (omitted when empty). Add `transaction` to `headers` to ACK
    /// within a transaction.
    pub fn ack(
        &mut self,
        now: u64,
        message_id: &str,
        subscription: &str,
        headers: Headers,
    ) -> Result<Option<String>, SessionError> {
        self.acknowledge(now, false, message_id, subscription, headers)
    }

    /// NACK a message, as [`Session::ack`]; STOMP 1.0 has no NACK
    /// ([`SessionError::Unsupported`]; when held before CONNECTED, a NACK that turns out to
    /// meet 1.0 is dropped with an [`Event::ProtocolError`]).
    pub fn nack(
        &mut self,
        now: u64,
        message_id: &str,
        subscription: &str,
        headers: Headers,
    ) -> Result<Option<String>, SessionError> {
        self.acknowledge(now, true, message_id, subscription, headers)
    }

    fn acknowledge(
        &mut self,
        now: u64,
        nack: bool,
        message_id: &str,
        subscription: &str,
        mut headers: Headers,
    ) -> Result<Option<String>, SessionError> {
        self.observe(now);
        if message_id.is_empty() {
            return Err(SessionError::InvalidArgument(
                "the message id must not be empty",
            ));
        }
        let route = self.route()?;
        self.check_transaction(&headers)?;
        match route {
            Route::Now(version) => {
                // Build first: NACK on 1.0 fails before a receipt id is consumed.
                let frame = ack_frame(version, nack, message_id, subscription, headers)?;
                let mut headers = frame.headers;
                let receipt = self.take_receipt(&mut headers)?;
                let frame = Frame { headers, ..frame };
                self.transmit_frame_registering(now, frame, ContentLength::Auto, &receipt)?;
                Ok(receipt)
            }
            Route::Hold => {
                if !self.queue.has_room(self.config.max_queued) {
                    return Err(SessionError::QueueFull(self.config.max_queued));
                }
                let receipt = self.take_receipt(&mut headers)?;
                let command = if nack { Command::Nack } else { Command::Ack };
                self.queue.push(
                    Queued::Ack {
                        nack,
                        message_id: message_id.to_owned(),
                        subscription: subscription.to_owned(),
                        headers,
                    },
                    self.config.max_queued,
                )?;
                if let Some(id) = &receipt {
                    self.receipts.register(id.clone(), command, false);
                }
                Ok(receipt)
            }
        }
    }

    /// Sends SUBSCRIBE for every live subscription (after CONNECTED).
    pub(super) fn send_subscriptions(&mut self, now: u64) {
        let frames: Vec<Frame> = self.subscriptions.iter_mut().map(|s| s.frame()).collect();
        for frame in frames {
            let id = frame.headers.get("id").unwrap_or_default().to_owned();
            let receipt = frame.headers.get("receipt").map(str::to_owned);
            if let Err(e) = self.transmit_frame(now, frame, ContentLength::Auto) {
                // The broker never gets it: it is no live subscription (an UNSUBSCRIBE later
                // would name something the broker never had).
                self.subscriptions.remove(&id);
                let why = concat(&[
                    "SUBSCRIBE ",
                    &quoted(&id),
                    " (the subscription is dropped): ",
                    &e.message(),
                ]);
                self.drop_held(receipt, &why);
            }
        }
    }

    /// Sends every held command in order (after CONNECTED and the subscriptions).
    pub(super) fn flush_queue(&mut self, now: u64) {
        let version = self.version.unwrap_or(Version::V1_2);
        for item in self.queue.take() {
            let (frame, content_length) = match item {
                Queued::Frame(frame, content_length) => (frame, content_length),
                Queued::Ack {
                    nack,
                    message_id,
                    subscription,
                    headers,
                } => {
                    let receipt = headers.get("receipt").map(str::to_owned);
                    match ack_frame(version, nack, &message_id, &subscription, headers) {
                        Ok(frame) => (frame, ContentLength::Auto),
                        Err(e) => {
                            self.drop_held(receipt, &e.message());
                            continue;
                        }
                    }
                }
            };
            let command = frame.command;
            let receipt = frame.headers.get("receipt").map(str::to_owned);
            if let Err(e) = self.transmit_frame(now, frame, content_length) {
                let why = concat(&[command.as_str(), " frame: ", &e.message()]);
                self.drop_held(receipt, &why);
            }
        }
    }

    /// Reports a held command that cannot be sent, and stops waiting for its receipt.
    fn drop_held(&mut self, receipt: Option<String>, why: &str) {
        let mut message = String::with_capacity(why.len() + 32);
        message.push_str("dropped a held command: ");
        message.push_str(why);
        if let Some(id) = receipt {
            self.receipts.remove(&id);
            self.events.push_back(Event::ReceiptDropped {
                id,
                reason: message.clone(),
            });
        }
        self.events.push_back(Event::ProtocolError(message));
    }

    /// Sends again every SEND frame whose receipt has not come (after CONNECTED and the
    /// subscriptions, before the held commands: the order they were first sent in).
    pub(super) fn resend_unconfirmed(&mut self, now: u64) {
        for (frame, content_length) in self.receipts.resends() {
            match self.encode(&frame, content_length) {
                Ok(bytes) => self.push_transmit(now, bytes),
                Err(e) => {
                    let receipt = frame.headers.get("receipt").map(str::to_owned);
                    self.drop_held(receipt, &e.message());
                }
            }
        }
    }
}
