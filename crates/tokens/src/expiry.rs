//! A token's expiry as the list shows it: the UTC date, days left, words ("in 5 days",
//! "3 days ago") and a [`Badge`]. The service's rule (osmo-api.md §2.3): a token is expired when
//! `expires_at.date() <= today` (UTC), so a token "expiring today" is already refused.

use chrono::{NaiveDate, Utc};
use serde::Serialize;

/// The default "expires soon" threshold, in days.
pub const DEFAULT_SOON_DAYS: i64 = 7;

/// The list's badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Badge {
    /// The service refuses it: its date is today or earlier.
    Expired,
    /// Valid for at most the threshold's number of days.
    ExpiresSoon,
    Fine,
}

/// Today's date in UTC (the service's notion of "today").
pub fn today_utc() -> NaiveDate {
    Utc::now().date_naive()
}

/// The expiry facts of one token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expiry {
    /// The UTC date from which the service refuses the token.
    pub expires_on: NaiveDate,
    /// `expires_on - today`; 0 or less means expired.
    pub days_left: i64,
    pub badge: Badge,
    /// "expires in 5 days", "expires tomorrow", "expired today", "expired 3 days ago".
    pub words: String,
}

impl Expiry {
    /// `soon_days`: a token with at most this many days left is [`Badge::ExpiresSoon`].
    pub fn new(expires_on: NaiveDate, today: NaiveDate, soon_days: i64) -> Self {
        let days_left = (expires_on - today).num_days();
        let badge = if days_left <= 0 {
            Badge::Expired
        } else if days_left <= soon_days {
            Badge::ExpiresSoon
        } else {
            Badge::Fine
        };
        let words = match days_left {
            1 => "expires tomorrow".to_owned(),
            d if d > 1 => format!("expires in {d} days"),
            0 => "expired today".to_owned(),
            -1 => "expired yesterday".to_owned(),
            d => format!("expired {} days ago", -d),
        };
        Self {
            expires_on,
            days_left,
            badge,
            words,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn badges_follow_the_services_rule_and_the_threshold() {
        let today = day("2026-11-28");
        let cases = [
            ("2026-11-20", Badge::Expired, -8, "expired 8 days ago"),
            ("2026-11-27", Badge::Expired, -1, "expired yesterday"),
            ("2026-11-28", Badge::Expired, 0, "expired today"),
            ("2026-11-29", Badge::ExpiresSoon, 1, "expires tomorrow"),
            ("2026-12-05", Badge::ExpiresSoon, 7, "expires in 7 days"),
            ("2026-12-06", Badge::Fine, 8, "expires in 8 days"),
        ];
        for (date, badge, days, words) in cases {
            let e = Expiry::new(day(date), today, DEFAULT_SOON_DAYS);
            assert_eq!(
                (e.badge, e.days_left, e.words.as_str()),
                (badge, days, words),
                "{date}"
            );
        }
    }

    #[test]
    fn the_threshold_is_settable() {
        let today = day("2026-11-28");
        let e = Expiry::new(day("2026-12-10"), today, 14);
        assert_eq!(e.badge, Badge::ExpiresSoon);
        let e = Expiry::new(day("2026-11-30"), today, 0);
        assert_eq!(e.badge, Badge::Fine);
    }
}
