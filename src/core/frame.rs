//! The STOMP frame model shared by the decoder, the encoder and the session.

use super::command::Command;

/// An ordered list of header entries. Repeated names are kept (the encoder writes them all),
/// and [`Headers::get`] returns the first, as the STOMP spec says a receiver must.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers {
    entries: Vec<(String, String)>,
}

impl Headers {
    /// An empty header list.
    pub fn new() -> Self {
        Headers::default()
    }

    /// An empty header list with room for `n` entries.
    pub fn with_capacity(n: usize) -> Self {
        Headers {
            entries: Vec::with_capacity(n),
        }
    }

    /// Appends an entry, keeping any earlier entry of the same name.
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.entries.push((name.into(), value.into()));
    }

    /// Sets `name` to `value`: replaces the first entry of that name and removes the others,
    /// or appends one.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.set_string(name, value.into());
    }

    // One copy of the work for every `value` type.
    fn set_string(&mut self, name: &str, value: String) {
        match self.entries.iter().position(|(n, _)| n == name) {
            Some(i) => {
                if let Some(entry) = self.entries.get_mut(i) {
                    entry.1 = value;
                }
                self.remove_after(i + 1, name);
            }
            None => self.entries.push((name.to_owned(), value)),
        }
    }

    /// Removes every entry named `name`.
    pub fn remove(&mut self, name: &str) {
        self.remove_after(0, name);
    }

    /// Removes the entries named `name` that follow the first `keep` entries.
    fn remove_after(&mut self, keep: usize, name: &str) {
        let mut index = 0;
        self.entries.retain(|(n, _)| {
            index += 1;
            index <= keep || n != name
        });
    }

    /// The value of the first entry named `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether an entry named `name` exists.
    pub fn contains(&self, name: &str) -> bool {
        self.entries.iter().any(|(n, _)| n == name)
    }

    /// All entries in order, repeats included.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The number of entries, repeats included.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<N: Into<String>, V: Into<String>> FromIterator<(N, V)> for Headers {
    fn from_iter<I: IntoIterator<Item = (N, V)>>(iter: I) -> Self {
        Headers {
            entries: iter
                .into_iter()
                .map(|(n, v)| (n.into(), v.into()))
                .collect(),
        }
    }
}

/// One STOMP frame: a command, headers (unescaped) and the exact body bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The command.
    pub command: Command,
    /// The headers, unescaped, in wire order.
    pub headers: Headers,
    /// The body bytes (NUL bytes included when the frame had `content-length`).
    pub body: Vec<u8>,
}

impl Frame {
    /// A frame with no headers and an empty body.
    pub fn new(command: Command) -> Self {
        Frame {
            command,
            headers: Headers::new(),
            body: Vec::new(),
        }
    }

    /// Adds a header (builder style).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push(name, value);
        self
    }

    /// Sets the body (builder style).
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// The body as UTF-8 text, with invalid sequences replaced by U+FFFD.
    pub fn body_text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_header_first_wins() {
        let mut h = Headers::new();
        h.push("a", "1");
        h.push("a", "2");
        assert_eq!(h.get("a"), Some("1"));
        assert_eq!(h.len(), 2);
    }

    #[test]
    fn set_replaces_all_repeats() {
        let mut h: Headers = [("a", "1"), ("b", "x"), ("a", "2")].into_iter().collect();
        h.set("a", "3");
        assert_eq!(h.iter().collect::<Vec<_>>(), vec![("a", "3"), ("b", "x")]);
        h.set("c", "4");
        assert_eq!(h.get("c"), Some("4"));
        h.remove("a");
        assert!(!h.contains("a"));
    }
}
