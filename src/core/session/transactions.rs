//! Open transactions (BEGIN sent or queued, no COMMIT or ABORT yet).
//!
//! A reconnect must abort them: the server forgets a transaction with its connection.

use super::ids::IdGen;

/// Open transaction ids in the order they began, and the `tx-N` generator.
#[derive(Debug, Clone)]
pub(crate) struct Transactions {
    open: Vec<String>,
    ids: IdGen,
}

impl Default for Transactions {
    fn default() -> Self {
        Transactions {
            open: Vec::new(),
            ids: IdGen::new("tx"),
        }
    }
}

impl Transactions {
    /// A fresh id (`tx-N`) that no open transaction has.
    pub(crate) fn generate_id(&mut self) -> String {
        let open = &self.open;
        self.ids.generate(|id| open.iter().any(|t| t == id))
    }

    /// Whether `id` is open.
    pub(crate) fn contains(&self, id: &str) -> bool {
        self.open.iter().any(|t| t == id)
    }

    /// Marks `id` open.
    pub(crate) fn begin(&mut self, id: String) {
        self.open.push(id);
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

    /// Forgets every transaction.
    pub(crate) fn clear(&mut self) {
        self.open.clear();
    }
}
