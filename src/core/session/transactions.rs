//! Open transactions (BEGIN sent or queued, no COMMIT or ABORT yet).
//!
//! The server forgets a transaction with its connection: when the connection is lost, every
//! transaction whose BEGIN went out is aborted. Its id is remembered, so that a later command
//! in it gets a clear error rather than the server's.

use super::ids::{IdGen, Ids};

/// Open transaction ids in the order they began, and the `tx-N` generator.
#[derive(Debug, Clone)]
pub(crate) struct Transactions {
    open: Vec<String>,
    /// Rolled back by a lost connection; forgotten when the user commits or aborts them.
    aborted: Vec<String>,
    ids: IdGen,
}

impl Default for Transactions {
    fn default() -> Self {
        Transactions {
            open: Vec::new(),
            aborted: Vec::new(),
            ids: IdGen::new("tx"),
        }
    }
}

impl Ids for Transactions {
    /// A fresh id (`tx-N`) that no open transaction has.
    fn generate_id(&mut self) -> String {
        let (open, aborted) = (&self.open, &self.aborted);
        self.ids
            .generate(|id| open.iter().chain(aborted).any(|t| t == id))
    }

    /// Whether `id` is open.
    fn contains(&self, id: &str) -> bool {
        self.open.iter().any(|t| t == id)
    }
}

impl Transactions {
    /// Marks `id` open.
    pub(crate) fn begin(&mut self, id: String) {
        self.forget_aborted(&id);
        self.open.push(id);
    }

    /// Whether a lost connection aborted `id`.
    pub(crate) fn is_aborted(&self, id: &str) -> bool {
        self.aborted.iter().any(|t| t == id)
    }

    /// Forgets that `id` was aborted; false if it was not.
    pub(crate) fn forget_aborted(&mut self, id: &str) -> bool {
        let before = self.aborted.len();
        self.aborted.retain(|t| t != id);
        self.aborted.len() != before
    }

    /// The connection was lost: aborts every open transaction except those for which
    /// `still_held` is true (their BEGIN never went out). Returns the aborted ids.
    pub(crate) fn abort_sent(&mut self, still_held: impl Fn(&str) -> bool) -> Vec<String> {
        let (held, sent): (Vec<String>, Vec<String>) =
            self.open.drain(..).partition(|t| still_held(t));
        self.open = held;
        self.aborted.extend(sent.iter().cloned());
        sent
    }

    /// Marks `id` closed; false if it was not open.
    pub(crate) fn end(&mut self, id: &str) -> bool {
        match self.open.iter().position(|t| t == id) {
            Some(i) => {
                self.open.remove(i);
                true
            }
            None => false,
        }
    }

    /// Every open transaction id, oldest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        self.open.iter().map(String::as_str)
    }

    /// Forgets every transaction, aborted ones included.
    pub(crate) fn clear(&mut self) {
        self.open.clear();
        self.aborted.clear();
    }
}
