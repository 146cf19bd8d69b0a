//! Generated ids: `sub-0`, `tx-3`, `receipt-12`.

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
