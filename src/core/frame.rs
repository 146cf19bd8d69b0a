//! The STOMP frame model shared by the decoder, the encoder and the session.

use super::command::Command;

/// An ordered list of header entries. Repeated names are kept (the encoder writes them all),
/// and [`Headers::get`] returns the first, as the STOMP spec says a receiver must.
// All names and values live back to back in one string: a received frame's headers cost two
// allocations, not two per entry.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Headers {
    /// Every entry's name then value, entry after entry.
    text: String,
    /// Per entry: where its name ends and where its value ends in `text` (its name starts
    /// where the previous entry's value ended).
    ends: Vec<(usize, usize)>,
}

impl std::fmt::Debug for Headers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Headers {
    /// An empty header list.
    pub fn new() -> Self {
        Headers::default()
    }

    /// An empty header list with room for `n` entries.
    pub fn with_capacity(n: usize) -> Self {
        Headers {
            text: String::new(),
            ends: Vec::with_capacity(n),
        }
    }

    /// Makes room for `bytes` more bytes of names and values.
    pub fn reserve_text(&mut self, bytes: usize) {
        self.text.reserve(bytes);
    }

    /// Appends an entry, keeping any earlier entry of the same name.
    #[cfg_attr(webstomp_speed, optimize(speed))]
    pub fn push(&mut self, name: impl AsRef<str>, value: impl AsRef<str>) {
        self.text.push_str(name.as_ref());
        let name_end = self.text.len();
        self.text.push_str(value.as_ref());
        self.ends.push((name_end, self.text.len()));
    }

    /// Sets `name` to `value`: replaces the first entry of that name and removes the others,
    /// or appends one.
    pub fn set(&mut self, name: &str, value: impl AsRef<str>) {
        let first = self.iter().position(|(n, _)| n == name);
        match first {
            Some(first) => {
                let value = value.as_ref();
                *self = self.rebuilt(|i, n, v| {
                    if i == first {
                        Some((n, value))
                    } else {
                        (n != name).then_some((n, v))
                    }
                });
            }
            None => self.push(name, value),
        }
    }

    /// Removes every entry named `name`.
    pub fn remove(&mut self, name: &str) {
        if self.contains(name) {
            *self = self.rebuilt(|_, n, v| (n != name).then_some((n, v)));
        }
    }

    /// A copy with each entry (index, name, value) kept, changed or left out by `f`.
    fn rebuilt<'a>(
        &'a self,
        mut f: impl FnMut(usize, &'a str, &'a str) -> Option<(&'a str, &'a str)>,
    ) -> Headers {
        let mut out = Headers::with_capacity(self.len());
        for (i, (n, v)) in self.iter().enumerate() {
            if let Some((n, v)) = f(i, n, v) {
                out.push(n, v);
            }
        }
        out
    }

    /// The value of the first entry named `name`.
    #[cfg_attr(webstomp_speed, optimize(speed))]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Whether an entry named `name` exists.
    pub fn contains(&self, name: &str) -> bool {
        self.iter().any(|(n, _)| n == name)
    }

    /// All entries in order, repeats included.
    #[cfg_attr(webstomp_speed, optimize(speed))]
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        let mut start = 0;
        self.ends.iter().map(move |&(name_end, value_end)| {
            let name = self.text.get(start..name_end).unwrap_or_default();
            let value = self.text.get(name_end..value_end).unwrap_or_default();
            start = value_end;
            (name, value)
        })
    }

    /// The number of entries, repeats included.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

impl<N: AsRef<str>, V: AsRef<str>> FromIterator<(N, V)> for Headers {
    fn from_iter<I: IntoIterator<Item = (N, V)>>(iter: I) -> Self {
        let mut headers = Headers::new();
        for (n, v) in iter {
            headers.push(n, v);
        }
        headers
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
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
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
