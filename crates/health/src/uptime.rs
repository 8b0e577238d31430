//! Uptime from what the app saw: status-change records say which state a backend was in from
//! when (the state at the start of a window is the last change before it), and [`Watched`]
//! stretches say when the app was polling it. Only watched time counts: before the first poll,
//! and while the app was not running or could not reach the service, the state is unknown, even
//! when a change record (e.g. "offline since 3 h ago", from the server's last heartbeat) reaches
//! back into it.

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

/// A stretch of time the app polled a backend without a longer pause than its polls allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Watched {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// A piece of a timeline: online, offline, or unknown (`None`: not watched).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub online: Option<bool>,
}

/// The last 24 hours.
pub const DAY: Duration = Duration::hours(24);
/// The last 7 days (also how long the history keeps records).
pub const WEEK: Duration = Duration::days(7);

/// `[from, to]` cut into [`Segment`]s: watched time in the backend's state then (`anchor`: its
/// state before the first of `changes`, if known), the rest unknown. Neighbours with the same
/// state are merged; empty pieces are left out.
pub fn segments(
    anchor: Option<bool>,
    changes: &[(DateTime<Utc>, bool)],
    watched: &[Watched],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<Segment> {
    let mut changes: Vec<(DateTime<Utc>, bool)> = changes.to_vec();
    changes.sort_by_key(|(t, _)| *t);
    let inside = |t: DateTime<Utc>| t > from && t < to;
    let mut cuts: Vec<DateTime<Utc>> = vec![from, to];
    cuts.extend(changes.iter().map(|(t, _)| *t).filter(|t| inside(*t)));
    cuts.extend(
        watched
            .iter()
            .flat_map(|w| [w.from, w.to])
            .filter(|t| inside(*t)),
    );
    cuts.sort();
    cuts.dedup();
    let state_at = |t: DateTime<Utc>| {
        changes
            .iter()
            .rev()
            .find(|(at, _)| *at <= t)
            .map(|(_, s)| *s)
            .or(anchor)
    };
    let mut out: Vec<Segment> = Vec::new();
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a >= b {
            continue;
        }
        let seen = watched.iter().any(|w| w.from <= a && w.to >= b);
        let online = if seen { state_at(a) } else { None };
        match out.last_mut() {
            Some(last) if last.online == online && last.to == a => last.to = b,
            _ => out.push(Segment {
                from: a,
                to: b,
                online,
            }),
        }
    }
    out
}

/// The fraction of the known (watched) time in `segments` the backend was online; `None` when
/// none of it is known.
pub fn uptime_ratio(segments: &[Segment]) -> Option<f64> {
    let (mut online, mut known) = (Duration::zero(), Duration::zero());
    for s in segments {
        match s.online {
            Some(true) => {
                online += s.to - s.from;
                known += s.to - s.from;
            }
            Some(false) => known += s.to - s.from,
            None => {}
        }
    }
    (known > Duration::zero()).then(|| ms(online) / ms(known))
}

/// How much of `segments` is known (watched).
pub fn observed(segments: &[Segment]) -> Duration {
    segments
        .iter()
        .filter(|s| s.online.is_some())
        .map(|s| s.to - s.from)
        .sum()
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

    fn watched(from: i64, to: i64) -> Watched {
        Watched {
            from: at(from),
            to: at(to),
        }
    }

    fn ratio(
        anchor: Option<bool>,
        changes: &[(DateTime<Utc>, bool)],
        w: &[Watched],
    ) -> Option<f64> {
        uptime_ratio(&segments(anchor, changes, w, at(0), at(24)))
    }

    #[test]
    fn ratios_count_only_the_watched_time() {
        let all_day = [watched(0, 24)];
        // Watched all day, online throughout / offline throughout.
        assert_eq!(ratio(Some(true), &[], &all_day), Some(1.0));
        assert_eq!(ratio(Some(false), &[], &all_day), Some(0.0));
        // Online, offline at 06:00, back at 12:00: 18 h of 24.
        let c = [(at(6), false), (at(12), true)];
        assert_eq!(ratio(Some(true), &c, &all_day), Some(0.75));
        // Watched only from 20:00 (the app started then), online since: 4 h of 4, not 24.
        assert_eq!(ratio(Some(true), &[], &[watched(20, 24)]), Some(1.0));
        // A record says offline since 03:00 (the server's last heartbeat), but the app has
        // watched only the last 2 hours, offline: 0 of 2 h, and nothing before counts.
        let c = [(at(3), false)];
        let s = segments(None, &c, &[watched(22, 24)], at(0), at(24));
        assert_eq!(uptime_ratio(&s), Some(0.0));
        assert_eq!(observed(&s), Duration::hours(2));
        // Two watched stretches with the app closed in between: online 08–10, offline 10–11,
        // online 11–12, then (offline 14–16, unseen) online 18–24: 9 h online of 10 watched.
        let c = [
            (at(10), false),
            (at(11), true),
            (at(14), false),
            (at(16), true),
        ];
        let w = [watched(8, 12), watched(18, 24)];
        let s = segments(Some(true), &c, &w, at(0), at(24));
        assert_eq!(uptime_ratio(&s), Some(9.0 / 10.0));
        assert_eq!(observed(&s), Duration::hours(10));
        // Nothing watched: nothing known, whatever the records say.
        assert_eq!(ratio(Some(true), &[(at(5), false)], &[]), None);
        // A single poll (a watched instant) says nothing about time.
        assert_eq!(ratio(Some(true), &[], &[watched(12, 12)]), None);
    }

    #[test]
    fn segments_draw_online_offline_and_unknown_time() {
        let c = [(at(10), false), (at(11), true)];
        let w = [watched(8, 12), watched(18, 24)];
        let s = segments(Some(true), &c, &w, at(0), at(24));
        let drawn: Vec<(i64, i64, Option<bool>)> = s
            .iter()
            .map(|s| {
                (
                    (s.from - at(0)).num_hours(),
                    (s.to - at(0)).num_hours(),
                    s.online,
                )
            })
            .collect();
        assert_eq!(
            drawn,
            [
                (0, 8, None),
                (8, 10, Some(true)),
                (10, 11, Some(false)),
                (11, 12, Some(true)),
                (12, 18, None),
                (18, 24, Some(true)),
            ]
        );
        // Stretches and changes outside the window are cut at its edges.
        let s = segments(None, &[(at(-5), true)], &[watched(-10, 30)], at(0), at(24));
        assert_eq!(
            s,
            [Segment {
                from: at(0),
                to: at(24),
                online: Some(true)
            }]
        );
    }
}
