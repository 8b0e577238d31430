//! Exponential backoff between polls of a failing session: after `n` consecutive failures the
//! next poll waits `interval × factor^n`, capped at `max`; a success resets it to `interval`.

use std::time::Duration;

/// How the delay grows on errors.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BackoffPolicy {
    /// Growth per consecutive failure (default 2).
    pub factor: u32,
    /// The longest wait between polls of a failing session (default 5 minutes). Never shorter
    /// than the interval itself.
    pub max: Duration,
}

impl Default for BackoffPolicy {
    fn default() -> Self {
        BackoffPolicy {
            factor: 2,
            max: Duration::from_secs(300),
        }
    }
}

/// The backoff state of one session.
#[derive(Debug, Clone, Default)]
pub struct Backoff {
    policy: BackoffPolicy,
    failures: u32,
}

impl Backoff {
    pub fn new(policy: BackoffPolicy) -> Self {
        Backoff {
            policy,
            failures: 0,
        }
    }

    /// Consecutive failures so far.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    pub fn on_failure(&mut self) {
        self.failures = self.failures.saturating_add(1);
    }

    pub fn on_success(&mut self) {
        self.failures = 0;
    }

    /// The wait before the next poll, given the session's current interval.
    pub fn delay(&self, interval: Duration) -> Duration {
        let cap = self.policy.max.max(interval);
        let mut d = interval;
        for _ in 0..self.failures {
            d = d.saturating_mul(self.policy.factor.max(1));
            if d >= cap {
                return cap;
            }
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_caps_and_resets() {
        let mut b = Backoff::new(BackoffPolicy {
            factor: 2,
            max: Duration::from_secs(60),
        });
        let i = Duration::from_secs(10);
        assert_eq!(b.delay(i), i);
        let mut seen = Vec::new();
        for _ in 0..5 {
            b.on_failure();
            seen.push(b.delay(i).as_secs());
        }
        assert_eq!(seen, vec![20, 40, 60, 60, 60]);
        assert_eq!(b.failures(), 5);
        b.on_success();
        assert_eq!(b.delay(i), i);
        // A max below the interval never shortens the interval.
        let mut b = Backoff::new(BackoffPolicy {
            factor: 2,
            max: Duration::from_secs(1),
        });
        b.on_failure();
        assert_eq!(b.delay(i), i);
        // Many failures do not overflow.
        for _ in 0..10_000 {
            b.on_failure();
        }
        assert_eq!(b.delay(i), i);
    }
}
