//! Uptime ratios computed from status-change records: the state at the start of the window is
//! the last change before it (a backend with no change inside the window counts from its last
//! known state), and every change inside the window switches the state from then on.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// One observed status change of a backend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub session: String,
    pub backend: String,
    pub online: bool,
    pub observed_at: DateTime<Utc>,
}

/// The last 24 hours.
pub const DAY: Duration = Duration::hours(24);
/// The last 7 days (also how long the history keeps records).
pub const WEEK: Duration = Duration::days(7);

/// The fraction of `[now - window, now]` a backend was online, from `anchor` (its state at
/// or before the window start, if known) and `changes` (inside the window, any order).
///
/// Time before the first known state is left out of the ratio; `None` when nothing is known.
pub fn uptime_ratio(
    anchor: Option<bool>,
    changes: &[(DateTime<Utc>, bool)],
    window: Duration,
    now: DateTime<Utc>,
) -> Option<f64> {
    let start = now - window;
    let mut changes: Vec<(DateTime<Utc>, bool)> = changes
        .iter()
        .copied()
        .filter(|(t, _)| *t <= now)
        .map(|(t, s)| (t.max(start), s))
        .collect();
    changes.sort_by_key(|(t, _)| *t);
    let (mut since, mut state) = match (anchor, changes.first()) {
        (Some(s), _) => (start, s),
        (None, Some((t, s))) => (*t, *s),
        (None, None) => return None,
    };
    let known = now - since;
    if known <= Duration::zero() {
        return Some(if state { 1.0 } else { 0.0 });
    }
    let mut online = Duration::zero();
    for (t, s) in changes {
        if state {
            online += t - since;
        }
        since = t;
        state = s;
    }
    if state {
        online += now - since;
    }
    Some(ms(online) / ms(known))
}

fn ms(d: Duration) -> f64 {
    d.num_milliseconds() as f64
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn at(h: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-28T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
            + Duration::hours(h)
    }

    #[test]
    fn hand_computed_ratios() {
        let now = at(24);
        // Online all day, no change in the window: counts from the last known state.
        assert_eq!(uptime_ratio(Some(true), &[], DAY, now), Some(1.0));
        assert_eq!(uptime_ratio(Some(false), &[], DAY, now), Some(0.0));
        // Online, offline at 06:00, back at 12:00: 18 h of 24.
        let c = [(at(6), false), (at(12), true)];
        assert_eq!(uptime_ratio(Some(true), &c, DAY, now), Some(0.75));
        // Offline until 18:00: 6 h of 24.
        assert_eq!(
            uptime_ratio(Some(false), &[(at(18), true)], DAY, now),
            Some(0.25)
        );
        // Nothing known before the first record at 12:00 (online), offline at 18:00: 6 h of 12.
        let c = [(at(12), true), (at(18), false)];
        assert_eq!(uptime_ratio(None, &c, DAY, now), Some(0.5));
        assert_eq!(uptime_ratio(None, &[], DAY, now), None);
        // 7 days, offline for one day of seven.
        let now = at(24 * 7);
        let c = [(at(24), false), (at(48), true)];
        let r = uptime_ratio(Some(true), &c, WEEK, now).unwrap();
        assert!((r - 6.0 / 7.0).abs() < 1e-9, "{r}");
        // Changes outside the window are clamped to its start.
        let r = uptime_ratio(None, &[(at(-5), true)], DAY, at(24)).unwrap();
        assert_eq!(r, 1.0);
    }
}
