//! Heart-beat negotiation (STOMP 1.1+) and the two heart-beat clocks.
//!
//! The CONNECT frame says `heart-beat:cx,cy` (the client can send every `cx` ms, wants to
//! receive every `cy` ms) and CONNECTED answers `heart-beat:sx,sy`. Then:
//!
//! | direction | interval | off when |
//! |---|---|---|
//! | client → server | `max(cx, sy)` | `cx == 0` or `sy == 0` |
//! | server → client | `max(cy, sx)` | `cy == 0` or `sx == 0` |
//!
//! Outgoing: an EOL goes out when nothing else was sent for a whole interval. Incoming: the
//! connection counts as dead after `interval × tolerance` ms without a single received byte,
//! measured as wall-clock deltas. A check that runs at least one interval after its deadline
//! (a throttled or frozen background tab) cannot tell a dead server from its own lateness, so
//! it grants one more interval from the moment it ran, for data queued behind the frozen
//! timer to arrive.

/// The heart-beat intervals a session runs with, in ms (`0`: off).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Negotiated {
    /// How often this client sends (at least one byte per interval).
    pub outgoing_ms: u64,
    /// How often the server promised to send.
    pub incoming_ms: u64,
}

/// Parses a `heart-beat` header value `"x,y"`. A missing, malformed or negative part is 0.
pub fn parse_header(value: Option<&str>) -> (u64, u64) {
    let Some(value) = value else {
        return (0, 0);
    };
    let mut parts = value
        .split(',')
        .map(|p| p.trim().parse::<u64>().unwrap_or(0));
    let x = parts.next().unwrap_or(0);
    let y = parts.next().unwrap_or(0);
    (x, y)
}

/// Negotiates the intervals from the client's `(cx, cy)` and the server's `(sx, sy)`, per the
/// table in the module docs.
pub fn negotiate(client: (u64, u64), server: (u64, u64)) -> Negotiated {
    let (cx, cy) = client;
    let (sx, sy) = server;
    let pick = |mine: u64, theirs: u64| {
        if mine == 0 || theirs == 0 {
            0
        } else {
            mine.max(theirs)
        }
    };
    Negotiated {
        outgoing_ms: pick(cx, sy),
        incoming_ms: pick(cy, sx),
    }
}

/// The two heart-beat clocks of one connection. Times are absolute wall-clock ms.
#[derive(Debug, Clone, Default)]
pub(crate) struct Heartbeat {
    /// The intervals; all zero while no connection is open.
    pub(crate) intervals: Negotiated,
    /// The tolerance factor (at least 1).
    tolerance: u64,
    /// When the last bytes were queued for sending.
    last_sent: u64,
    /// When the last bytes were received.
    last_received: u64,
    /// Set when a late check granted one more interval: the new deadline.
    grace_until: Option<u64>,
}

impl Heartbeat {
    /// Starts both clocks with `intervals`.
    pub(crate) fn start(&mut self, intervals: Negotiated, tolerance: u32) {
        self.intervals = intervals;
        self.tolerance = u64::from(tolerance.max(1));
        self.grace_until = None;
    }

    /// Stops both clocks (no deadlines until the next `start`).
    pub(crate) fn stop(&mut self) {
        self.intervals = Negotiated::default();
        self.grace_until = None;
    }

    /// Records that bytes were queued for sending at `now`.
    pub(crate) fn sent(&mut self, now: u64) {
        self.last_sent = now;
    }

    /// Records that bytes arrived at `now`.
    pub(crate) fn received(&mut self, now: u64) {
        self.last_received = now;
        self.grace_until = None;
    }

    /// Moves every stored time `by` ms back (the wall clock went back).
    pub(crate) fn shift_back(&mut self, by: u64) {
        self.last_sent = self.last_sent.saturating_sub(by);
        self.last_received = self.last_received.saturating_sub(by);
        self.grace_until = self.grace_until.map(|g| g.saturating_sub(by));
    }

    /// When a heart-beat must go out if nothing else does.
    pub(crate) fn send_deadline(&self) -> Option<u64> {
        match self.intervals.outgoing_ms {
            0 => None,
            ms => Some(self.last_sent.saturating_add(ms)),
        }
    }

    /// When the incoming silence must be checked.
    pub(crate) fn receive_deadline(&self) -> Option<u64> {
        match self.intervals.incoming_ms {
            0 => None,
            ms => Some(self.grace_until.unwrap_or_else(|| {
                self.last_received
                    .saturating_add(ms.saturating_mul(self.tolerance))
            })),
        }
    }

    /// Whether a heart-beat is due at `now`.
    pub(crate) fn send_due(&self, now: u64) -> bool {
        self.send_deadline().is_some_and(|d| now >= d)
    }

    /// Checks the incoming silence at `now`: `Some(silent_ms)` when the connection counts as
    /// dead. A check one interval or more past its deadline grants one grace interval instead
    /// (once, until bytes arrive).
    pub(crate) fn check(&mut self, now: u64) -> Option<u64> {
        let interval = self.intervals.incoming_ms;
        let deadline = self.receive_deadline()?;
        if now < deadline {
            return None;
        }
        if self.grace_until.is_none() && now.saturating_sub(deadline) >= interval {
            self.grace_until = Some(now.saturating_add(interval));
            return None;
        }
        Some(now.saturating_sub(self.last_received))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_header_is_lenient() {
        assert_eq!(parse_header(Some("100,200")), (100, 200));
        assert_eq!(parse_header(Some(" 100 , 200 ")), (100, 200));
        assert_eq!(parse_header(Some("x,200")), (0, 200));
        assert_eq!(parse_header(Some("-5,7")), (0, 7));
        assert_eq!(parse_header(Some("5")), (5, 0));
        assert_eq!(parse_header(Some("")), (0, 0));
        assert_eq!(parse_header(None), (0, 0));
    }

    #[test]
    fn negotiation_table() {
        let n = |c, s| {
            let r = negotiate(c, s);
            (r.outgoing_ms, r.incoming_ms)
        };
        // (cx, cy), (sx, sy) -> (max(cx, sy), max(cy, sx)), 0 if either side is 0.
        assert_eq!(n((10_000, 10_000), (0, 0)), (0, 0));
        assert_eq!(n((10_000, 10_000), (5_000, 20_000)), (20_000, 10_000));
        assert_eq!(n((1_000, 30_000), (20_000, 500)), (1_000, 30_000));
        assert_eq!(n((0, 10_000), (4_000, 4_000)), (0, 10_000));
        assert_eq!(n((10_000, 0), (4_000, 4_000)), (10_000, 0));
        assert_eq!(n((10_000, 10_000), (0, 4_000)), (10_000, 0));
        assert_eq!(n((10_000, 10_000), (4_000, 0)), (0, 10_000));
        assert_eq!(n((0, 0), (4_000, 4_000)), (0, 0));
        assert_eq!(n((u64::MAX, 1), (1, u64::MAX)), (u64::MAX, 1));
    }

    fn running(incoming: u64, tolerance: u32) -> Heartbeat {
        let mut hb = Heartbeat::default();
        hb.start(
            Negotiated {
                outgoing_ms: 0,
                incoming_ms: incoming,
            },
            tolerance,
        );
        hb
    }

    #[test]
    fn silence_limit_is_interval_times_tolerance() {
        let mut hb = running(1_000, 3);
        hb.received(500);
        assert_eq!(hb.receive_deadline(), Some(3_500));
        assert_eq!(hb.check(3_499), None);
        assert_eq!(hb.check(3_500), Some(3_000));
    }

    #[test]
    fn late_check_grants_one_interval() {
        let mut hb = running(1_000, 2);
        hb.received(0);
        // Deadline 2 000; the check runs at 3 000, one interval late.
        assert_eq!(hb.check(3_000), None);
        assert_eq!(hb.receive_deadline(), Some(4_000));
        assert_eq!(hb.check(3_999), None);
        assert_eq!(hb.check(9_000), Some(9_000));
    }

    #[test]
    fn tolerance_zero_counts_as_one_and_huge_values_saturate() {
        let mut hb = running(1_000, 0);
        hb.received(0);
        assert_eq!(hb.receive_deadline(), Some(1_000));
        let mut hb = running(u64::MAX, 2);
        hb.received(u64::MAX - 1);
        assert_eq!(hb.receive_deadline(), Some(u64::MAX));
        assert_eq!(hb.check(u64::MAX - 1), None);
    }

    #[test]
    fn shift_back_keeps_relative_times() {
        let mut hb = running(1_000, 2);
        hb.received(10_000);
        hb.shift_back(9_000);
        assert_eq!(hb.receive_deadline(), Some(3_000));
        hb.shift_back(u64::MAX);
        assert_eq!(hb.receive_deadline(), Some(2_000));
    }
}
