//! The subscription registry: the source of truth for what the server must have.
//!
//! Every live subscription is kept with its destination and headers, so that the SUBSCRIBE
//! frames can be sent again when a connection is (re-)established.

use super::ids::{IdGen, Ids};
use crate::core::command::Command;
use crate::core::frame::{Frame, Headers};

/// One live subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Its id (the SUBSCRIBE frame's `id` header, the MESSAGE frames' `subscription`).
    pub id: String,
    /// Its destination.
    pub destination: String,
    /// The caller's other headers (`ack`, `selector`, ...), without `id`, `destination` and
    /// `receipt`.
    pub headers: Headers,
    /// A receipt to request with the next SUBSCRIBE only (when subscribed before CONNECTED).
    pub(crate) receipt: Option<String>,
}

impl Subscription {
    /// The SUBSCRIBE frame for this subscription; takes the one-time receipt.
    pub(crate) fn frame(&mut self) -> Frame {
        let mut headers = Headers::with_capacity(self.headers.len() + 3);
        headers.push("destination", self.destination.as_str());
        headers.push("id", self.id.as_str());
        for (name, value) in self.headers.iter() {
            headers.push(name, value);
        }
        if let Some(receipt) = self.receipt.take() {
            headers.push("receipt", receipt);
        }
        Frame {
            command: Command::Subscribe,
            headers,
            body: Vec::new(),
        }
    }
}

/// Live subscriptions in the order they were made, and the id generator.
#[derive(Debug, Clone)]
pub(crate) struct Subscriptions {
    live: Vec<Subscription>,
    ids: IdGen,
}

impl Default for Subscriptions {
    fn default() -> Self {
        Subscriptions {
            live: Vec::new(),
            ids: IdGen::new("sub"),
        }
    }
}

impl Ids for Subscriptions {
    /// Whether a live subscription has `id`.
    fn contains(&self, id: &str) -> bool {
        self.live.iter().any(|s| s.id == id)
    }

    /// A fresh id (`sub-N`) that no live subscription has.
    fn generate_id(&mut self) -> String {
        let live = &self.live;
        self.ids.generate(|id| live.iter().any(|s| s.id == id))
    }
}

impl Subscriptions {
    /// Adds a subscription.
    pub(crate) fn insert(&mut self, sub: Subscription) {
        self.live.push(sub);
    }

    /// Removes the subscription with `id`.
    pub(crate) fn remove(&mut self, id: &str) -> Option<Subscription> {
        let i = self.live.iter().position(|s| s.id == id)?;
        Some(self.live.remove(i))
    }

    /// Every live subscription, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Subscription> {
        self.live.iter()
    }

    /// Every live subscription, in order, mutably.
    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = &mut Subscription> {
        self.live.iter_mut()
    }

    /// Forgets every subscription.
    pub(crate) fn clear(&mut self) {
        self.live.clear();
    }
}
