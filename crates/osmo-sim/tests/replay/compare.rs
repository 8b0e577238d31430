//! Comparing captured responses with the simulator's: exact for stable values, by type and
//! format for times, token values, JWTs and epoch expiries; dates shifted from the capture day.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{Duration, NaiveDate, Utc};
use serde_json::Value;

/// The day an exchange was captured, from its `captured_at` (`2026-11-28T17:09:31.275149Z`).
pub fn capture_day(exchange: &Value) -> NaiveDate {
    let at = exchange["captured_at"].as_str().unwrap();
    NaiveDate::parse_from_str(&at[..10], "%Y-%m-%d").unwrap()
}

/// Days between `captured` and today (UTC).
pub fn day_shift(captured: NaiveDate) -> i64 {
    (Utc::now().date_naive() - captured).num_days()
}

/// Shifts every `YYYY-MM-DD` date in `text` by `days`, except a message's fixed example date
/// ("YYYY-MM-DD format (e.g. 2025-12-31)"), which does not move with the calendar.
pub fn shift_dates(text: &str, days: i64) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let is_date = i + 10 <= bytes.len()
            && text.is_char_boundary(i + 10)
            && (i == 0 || !bytes[i - 1].is_ascii_digit())
            && (i + 10 == bytes.len() || !bytes[i + 10].is_ascii_digit())
            && !text[..i].ends_with("e.g. ");
        if is_date {
            if let Ok(d) = NaiveDate::parse_from_str(&text[i..i + 10], "%Y-%m-%d") {
                if text.as_bytes()[i + 4] == b'-' && text.as_bytes()[i + 7] == b'-' {
                    out.push_str(&(d + Duration::days(days)).format("%Y-%m-%d").to_string());
                    i += 10;
                    continue;
                }
            }
        }
        let ch = text[i..].chars().next().unwrap();
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// Shifts dates in every string of a JSON value.
pub fn shift_json(v: &Value, days: i64) -> Value {
    match v {
        Value::String(s) => Value::String(shift_dates(s, days)),
        Value::Array(a) => Value::Array(a.iter().map(|x| shift_json(x, days)).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), shift_json(x, days)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.ffffff][Z|+00:00]`; returns the suffix (`""`, `"Z"` or `"+00:00"`).
pub fn timestamp_kind(s: &str) -> Option<&'static str> {
    let (body, suffix) = if let Some(b) = s.strip_suffix('Z') {
        (b, "Z")
    } else if let Some(b) = s.strip_suffix("+00:00") {
        (b, "+00:00")
    } else {
        (s, "")
    };
    let (main, frac) = match body.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (body, None),
    };
    chrono::NaiveDateTime::parse_from_str(main, "%Y-%m-%dT%H:%M:%S").ok()?;
    if main.len() != 19 {
        return None;
    }
    if let Some(f) = frac {
        if f.len() != 6 || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    Some(suffix)
}

pub fn is_hex64(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

pub fn is_urlsafe43(s: &str) -> bool {
    s.len() == 43
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Token value format class: 64 hex (6.0) or 43 url-safe (6.2+).
pub fn token_format(s: &str) -> Option<&'static str> {
    if is_hex64(s) {
        Some("hex64")
    } else if is_urlsafe43(s) {
        Some("urlsafe43")
    } else {
        None
    }
}

/// Decodes the claims of a `header.payload.signature` JWT.
pub fn jwt_claims(s: &str) -> Option<Value> {
    let mut parts = s.split('.');
    let (_, payload, sig, None) = (parts.next()?, parts.next()?, parts.next()?, parts.next())
    else {
        return None;
    };
    URL_SAFE_NO_PAD.decode(sig).ok()?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

const TIME_KEYS: [&str; 4] = [
    "created_at",
    "created_date",
    "last_heartbeat",
    "assigned_at",
];

/// Compares `expected` (already date-shifted) with `actual`, collecting differences.
pub fn compare(
    expected: &Value,
    actual: &Value,
    path: &str,
    key: Option<&str>,
    diffs: &mut Vec<String>,
) {
    match (expected, actual) {
        (Value::String(e), Value::String(a)) if key.is_some_and(|k| TIME_KEYS.contains(&k)) => {
            match (timestamp_kind(e), timestamp_kind(a)) {
                (Some(ez), Some(az)) if ez == az => {}
                _ => diffs.push(format!(
                    "{path}: timestamp format differs: expected like {e:?}, got {a:?}"
                )),
            }
        }
        (Value::String(e), Value::String(a)) if key == Some("token") && jwt_claims(e).is_some() => {
            if jwt_claims(a).is_none() {
                diffs.push(format!("{path}: expected a JWT, got {a:?}"));
            }
        }
        (Value::String(e), Value::String(a)) if path == "$" && token_format(e).is_some() => {
            if token_format(e) != token_format(a) {
                diffs.push(format!(
                    "{path}: token value format differs: {e:?} vs {a:?}"
                ));
            }
        }
        (Value::Number(_), Value::Number(a)) if key == Some("expires_at") => {
            let now = Utc::now().timestamp();
            match a.as_i64() {
                Some(exp) if (290..=305).contains(&(exp - now)) => {}
                _ => diffs.push(format!("{path}: expires_at {a} is not now+300s")),
            }
        }
        (Value::Object(e), Value::Object(a)) => {
            let mut ek: Vec<&String> = e.keys().collect();
            let mut ak: Vec<&String> = a.keys().collect();
            ek.sort();
            ak.sort();
            if ek != ak {
                diffs.push(format!("{path}: keys differ: expected {ek:?}, got {ak:?}"));
            }
            for (k, ev) in e {
                if let Some(av) = a.get(k) {
                    compare(ev, av, &format!("{path}.{k}"), Some(k), diffs);
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                diffs.push(format!("{path}: length {} vs {}", e.len(), a.len()));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                compare(ev, av, &format!("{path}[{i}]"), key, diffs);
            }
        }
        (e, a) => {
            if e != a {
                diffs.push(format!("{path}: expected {e}, got {a}"));
            }
        }
    }
}

/// Compares decoded JWT claims: same claim names, identity and roles, 300 s lifetime.
pub fn compare_claims(expected: &Value, actual: &Value, diffs: &mut Vec<String>) {
    let keys = |v: &Value| {
        let mut k: Vec<String> = v
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        k.sort();
        k
    };
    if keys(expected) != keys(actual) {
        diffs.push(format!(
            "jwt claims differ: expected {:?}, got {:?}",
            keys(expected),
            keys(actual)
        ));
    }
    for k in ["iss", "aud", "unique_name", "roles", "osmo_token_name"] {
        if expected.get(k) != actual.get(k) {
            diffs.push(format!(
                "jwt claim {k}: expected {:?}, got {:?}",
                expected.get(k),
                actual.get(k)
            ));
        }
    }
    let life = |v: &Value| Some(v.get("exp")?.as_i64()? - v.get("iat")?.as_i64()?);
    if life(expected) != life(actual) || actual.get("nbf") != actual.get("iat") {
        diffs.push("jwt lifetime differs".into());
    }
}

#[test]
fn comparison_helpers_detect_differences() {
    assert_eq!(
        shift_dates("before 2026-11-28 and 2027-01-15T00:00:00", 3),
        "before 2026-12-01 and 2027-01-18T00:00:00"
    );
    assert_eq!(shift_dates("2027/01/15", 3), "2027/01/15");
    assert_eq!(
        shift_dates("2027/01/15 must be YYYY-MM-DD (e.g. 2025-12-31)", 3),
        "2027/01/15 must be YYYY-MM-DD (e.g. 2025-12-31)"
    );
    assert_eq!(timestamp_kind("2026-11-28T17:13:24.517257Z"), Some("Z"));
    assert_eq!(
        timestamp_kind("2026-12-06T02:33:36.883867+00:00"),
        Some("+00:00")
    );
    assert_eq!(timestamp_kind("2026-11-28T17:00:00"), Some(""));
    assert_eq!(timestamp_kind("2026-11-28"), None);
    let mut diffs = Vec::new();
    compare(
        &serde_json::json!({"a": 1, "created_at": "2026-11-28T17:00:00"}),
        &serde_json::json!({"a": 2, "created_at": "x"}),
        "$",
        None,
        &mut diffs,
    );
    assert_eq!(diffs.len(), 2, "{diffs:?}");
}
