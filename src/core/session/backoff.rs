//! The reconnect schedule: the attempt count and the wait before each attempt.

use super::config::ReconnectConfig;

/// Counts reconnect attempts since the last CONNECTED and draws their jittered waits.
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    /// Attempts started since the last CONNECTED.
    attempt: u32,
    /// xorshift64 state (never zero).
    rng: u64,
}

impl Backoff {
    /// A schedule whose jitter is drawn from `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        // Spread nearby seeds apart (SplitMix64's mixer); xorshift must not start at zero.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Backoff {
            attempt: 0,
            rng: (z ^ (z >> 31)) | 1,
        }
    }

    /// The number of the current attempt (0 when none was made since CONNECTED).
    pub(crate) fn attempt(&self) -> u32 {
        self.attempt
    }

    /// CONNECTED: the next loss starts from the first wait again.
    pub(crate) fn reset(&mut self) {
        self.attempt = 0;
    }

    /// Starts the next attempt and returns its wait in ms, or `None` when `config` allows no
    /// more attempts.
    pub(crate) fn next(&mut self, config: &ReconnectConfig) -> Option<u64> {
        if config.max_attempts.is_some_and(|max| self.attempt >= max) {
            return None;
        }
        let growth = config
            .multiplier
            .max(1.0)
            .powi(self.attempt.min(1_000) as i32);
        let base = (config.delay_ms as f64 * growth).min(config.max_delay_ms as f64);
        let jitter = if config.jitter.is_nan() {
            0.0
        } else {
            config.jitter.clamp(0.0, 1.0)
        };
        let wait = base * (1.0 - jitter * self.random());
        self.attempt = self.attempt.saturating_add(1);
        // `as` saturates: a NaN or negative wait becomes 0.
        Some(wait as u64)
    }

    /// A uniform number in [0, 1).
    fn random(&mut self) -> f64 {
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng = x;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(jitter: f64, max_attempts: Option<u32>) -> ReconnectConfig {
        ReconnectConfig {
            delay_ms: 100,
            max_delay_ms: 1_000,
            multiplier: 2.0,
            jitter,
            max_attempts,
        }
    }

    #[test]
    fn waits_grow_by_the_multiplier_up_to_the_cap() {
        let mut b = Backoff::new(7);
        let waits: Vec<u64> = (0..6)
            .map(|_| b.next(&config(0.0, None)).unwrap())
            .collect();
        assert_eq!(waits, [100, 200, 400, 800, 1_000, 1_000]);
        assert_eq!(b.attempt(), 6);
    }

    #[test]
    fn jitter_takes_off_at_most_its_share_and_varies() {
        let mut b = Backoff::new(42);
        let c = ReconnectConfig {
            max_delay_ms: 100,
            ..config(0.5, None)
        };
        let waits: Vec<u64> = (0..200).map(|_| b.next(&c).unwrap()).collect();
        assert!(waits.iter().all(|w| (50..=100).contains(w)), "{waits:?}");
        let distinct: std::collections::BTreeSet<_> = waits.iter().collect();
        assert!(
            distinct.len() > 20,
            "jitter should spread the waits: {distinct:?}"
        );
    }

    #[test]
    fn different_seeds_draw_different_waits() {
        let c = config(1.0, None);
        let a: Vec<u64> = {
            let mut b = Backoff::new(1);
            (0..5).map(|_| b.next(&c).unwrap()).collect()
        };
        let b: Vec<u64> = {
            let mut b = Backoff::new(2);
            (0..5).map(|_| b.next(&c).unwrap()).collect()
        };
        assert_ne!(a, b);
    }

    #[test]
    fn gives_up_after_max_attempts_until_reset() {
        let mut b = Backoff::new(0);
        let c = config(0.0, Some(2));
        assert_eq!(b.next(&c), Some(100));
        assert_eq!(b.next(&c), Some(200));
        assert_eq!(b.next(&c), None);
        b.reset();
        assert_eq!(b.next(&c), Some(100));
        assert_eq!(Backoff::new(0).next(&config(0.0, Some(0))), None);
    }

    #[test]
    fn odd_settings_never_panic() {
        let mut b = Backoff::new(3);
        let c = ReconnectConfig {
            delay_ms: u64::MAX,
            max_delay_ms: u64::MAX,
            multiplier: f64::NAN,
            jitter: f64::NAN,
            max_attempts: None,
        };
        for _ in 0..2_000 {
            assert!(b.next(&c).is_some());
        }
        let c = ReconnectConfig {
            multiplier: 0.0,
            ..config(0.0, None)
        };
        assert_eq!(Backoff::new(0).next(&c), Some(100));
    }
}
