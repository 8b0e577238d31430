//! Time as the real service shows it: naive UTC ISO-8601 like Python's `datetime.isoformat()`
//! (microseconds omitted when zero), the `Z`-suffixed form of the 6.2+ user APIs, and parsing of
//! listener heartbeat times.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Timelike, Utc};

use crate::dialect::Dialect;

/// Current UTC time, truncated to microseconds (Postgres precision).
pub(crate) fn now() -> NaiveDateTime {
    let now = Utc::now().naive_utc();
    let micros = now.nanosecond() / 1_000 * 1_000;
    now.with_nanosecond(micros).unwrap_or(now)
}

/// Today's UTC date.
pub(crate) fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// Python `isoformat()` of a naive datetime.
pub(crate) fn iso(t: NaiveDateTime) -> String {
    if t.nanosecond() == 0 {
        t.format("%Y-%m-%dT%H:%M:%S").to_string()
    } else {
        t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
    }
}

/// ISO with a trailing `Z`, as the 6.3+ user and role APIs return it.
pub(crate) fn iso_z(t: NaiveDateTime) -> String {
    format!("{}Z", iso(t))
}

/// A time of the user and role APIs: `+00:00`-suffixed at 6.2.x, `Z`-suffixed from 6.3.
pub(crate) fn iso_user_api(dialect: Dialect, t: NaiveDateTime) -> String {
    match dialect {
        Dialect::V6_2 => format!("{}+00:00", iso(t)),
        Dialect::V6_0 | Dialect::V6_4 => iso_z(t),
    }
}

/// Midnight of a date, as token `expires_at` values are stored.
pub(crate) fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_time(chrono::NaiveTime::MIN)
}

/// Parses a heartbeat `time`: naive ISO is taken as UTC, an offset is converted to UTC.
pub(crate) fn parse_heartbeat(text: &str) -> Option<NaiveDateTime> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc).naive_utc());
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f%:z", "%Y-%m-%d %H:%M:%S%.f%:z"] {
        if let Ok(t) = DateTime::parse_from_str(text, fmt) {
            return Some(t.with_timezone(&Utc).naive_utc());
        }
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, fmt) {
            return Some(t);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn formats_like_python() {
        let t = NaiveDate::from_ymd_opt(2027, 1, 15).unwrap();
        assert_eq!(iso(midnight(t)), "2027-01-15T00:00:00");
        let t = midnight(t).with_nanosecond(333_188_000).unwrap();
        assert_eq!(iso(t), "2027-01-15T00:00:00.333188");
        assert_eq!(iso_z(t), "2027-01-15T00:00:00.333188Z");
        assert_eq!(
            iso_user_api(Dialect::V6_2, t),
            "2027-01-15T00:00:00.333188+00:00"
        );
        assert_eq!(iso_user_api(Dialect::V6_4, t), iso_z(t));
    }

    #[test]
    fn heartbeat_offsets_become_utc() {
        let t = parse_heartbeat("2026-11-28T19:00:00+02:00").unwrap();
        assert_eq!(iso(t), "2026-11-28T17:00:00");
        assert_eq!(
            iso(parse_heartbeat("2026-11-28T17:12:49.192006").unwrap()),
            "2026-11-28T17:12:49.192006"
        );
        assert!(parse_heartbeat("yesterday").is_none());
    }
}
