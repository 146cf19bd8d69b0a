//! Generated ids: `sub-0`, `tx-3`, `receipt-12`.

use super::SessionError;

/// A counter that makes ids `prefix-N`, skipping any that `taken` reports in use, and never
/// handing out the same number twice.
#[derive(Debug, Clone)]
pub(crate) struct IdGen {
    prefix: &'static str,
    next: u64,
}

impl IdGen {
    /// A generator of `prefix-0`, `prefix-1`, ...
    pub(crate) const fn new(prefix: &'static str) -> Self {
        IdGen { prefix, next: 0 }
    }

    /// The next id for which `taken` is false.
    pub(crate) fn generate(&mut self, taken: impl Fn(&str) -> bool) -> String {
        let mut id = String::with_capacity(self.prefix.len() + 4);
        loop {
            id.clear();
            id.push_str(self.prefix);
            id.push('-');
            crate::text::push_decimal(&mut id, self.next);
            self.next = self.next.wrapping_add(1);
            if !taken(&id) {
                return id;
            }
        }
    }
}

/// Ids that a caller may choose or have generated: subscriptions and transactions.
pub(crate) trait Ids {
    /// Whether `id` is in use.
    fn contains(&self, id: &str) -> bool;
    /// A new id not in use.
    fn generate_id(&mut self) -> String;
}

/// The caller's id `given` unless it is empty (an error saying `empty`) or in use (`taken`);
/// without one, a generated id.
pub(super) fn choose_id(
    ids: &mut impl Ids,
    given: Option<&str>,
    empty: &'static str,
    taken: fn(String) -> SessionError,
) -> Result<String, SessionError> {
    match given {
        Some("") => Err(SessionError::InvalidArgument(empty)),
        Some(id) if ids.contains(id) => Err(taken(id.to_owned())),
        Some(id) => Ok(id.to_owned()),
        None => Ok(ids.generate_id()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_skips_taken_ids() {
        let mut g = IdGen::new("sub");
        assert_eq!(g.generate(|_| false), "sub-0");
        assert_eq!(g.generate(|id| id == "sub-1" || id == "sub-2"), "sub-3");
        assert_eq!(g.generate(|_| false), "sub-4");
    }
}
