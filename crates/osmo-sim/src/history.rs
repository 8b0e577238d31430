//! Config history: revisions written by backend creation/updates (each BACKEND entry stores a
//! snapshot of all backends) and `GET /api/configs/history` with its filters and 422 rules.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use chrono::NaiveDateTime;
use serde_json::{json, Value};

use crate::backends::backend_json;
use crate::dialect::Dialect;
use crate::errors::{ok_json, ApiError, ApiResult};
use crate::params::QueryParams;
use crate::state::{HistoryEntry, Shared, SimState};
use crate::timestamps::{self, iso};

const V60_TYPES: [&str; 9] = [
    "SERVICE",
    "WORKFLOW",
    "DATASET",
    "BACKEND",
    "POOL",
    "POD_TEMPLATE",
    "RESOURCE_VALIDATION",
    "BACKEND_TEST",
    "ROLE",
];
const V64_TYPES: [&str; 10] = [
    "SERVICE",
    "WORKFLOW",
    "DATASET",
    "BACKEND",
    "POOL",
    "POD_TEMPLATE",
    "GROUP_TEMPLATE",
    "RESOURCE_VALIDATION",
    "BACKEND_TEST",
    "ROLE",
];

/// Appends a revision of `config_type`.
pub(crate) fn record(
    db: &mut SimState,
    config_type: &str,
    name: &str,
    username: &str,
    description: String,
    tags: Option<Vec<String>>,
    data: Value,
) {
    let revision = db
        .history
        .iter()
        .filter(|h| h.config_type == config_type)
        .map(|h| h.revision)
        .max()
        .unwrap_or(0)
        + 1;
    db.history.push(HistoryEntry {
        config_type: config_type.into(),
        name: name.into(),
        revision,
        username: username.into(),
        created_at: timestamps::now(),
        description,
        tags,
        data,
    });
}

/// Appends a BACKEND revision holding a snapshot of every backend.
pub(crate) fn record_backends(
    dialect: Dialect,
    db: &mut SimState,
    name: &str,
    username: &str,
    description: String,
    tags: Option<Vec<String>>,
) {
    let now = timestamps::now();
    let data: Vec<Value> = db
        .backends
        .values()
        .map(|b| backend_json(dialect, b, now))
        .collect();
    record(
        db,
        "BACKEND",
        name,
        username,
        description,
        tags,
        Value::Array(data),
    );
}

/// The revision every fresh service starts with.
pub(crate) fn record_initial(db: &mut SimState) {
    record(
        db,
        "BACKEND",
        "",
        "system",
        "Initial configuration".into(),
        Some(vec!["initial-config".into()]),
        json!([]),
    );
}

fn entry_json(h: &HistoryEntry, omit_data: bool) -> Value {
    json!({
        "config_type": h.config_type,
        "name": h.name,
        "revision": h.revision,
        "username": h.username,
        "created_at": iso(h.created_at),
        "description": h.description,
        "tags": h.tags,
        "data": if omit_data { Value::Null } else { h.data.clone() },
    })
}

fn enum_error(dialect: Dialect, index: usize, input: &str) -> Value {
    match dialect {
        Dialect::V6_0 | Dialect::V6_2 => {
            let types: &[&str] = if dialect.is_v6_0() {
                &V60_TYPES
            } else {
                &V64_TYPES
            };
            let permitted: Vec<String> = types.iter().map(|t| format!("'{t}'")).collect();
            json!({"loc": ["query", "config_types", index], "msg": format!("value is not a valid enumeration member; permitted: {}", permitted.join(", ")), "type": "type_error.enum", "ctx": {"enum_values": types}})
        }
        Dialect::V6_4 => {
            let quoted: Vec<String> = V64_TYPES.iter().map(|t| format!("'{t}'")).collect();
            let (last, rest) = quoted
                .split_last()
                .map(|(l, r)| (l.clone(), r.join(", ")))
                .unwrap_or_default();
            let expected = format!("{rest} or {last}");
            json!({"type": "enum", "loc": ["query", "config_types", index], "msg": format!("Input should be {expected}"), "input": input, "ctx": {"expected": expected}})
        }
    }
}

fn parse_time(text: &str) -> Option<NaiveDateTime> {
    timestamps::parse_heartbeat(text)
}

/// `GET /api/configs/history`.
pub(crate) async fn list(State(shared): State<Arc<Shared>>, RawQuery(q): RawQuery) -> ApiResult {
    let d = shared.dialect;
    let q = QueryParams::parse(q.as_deref());
    let types = q.all("config_types");
    let valid: &[&str] = if d.is_v6_0() { &V60_TYPES } else { &V64_TYPES };
    let bad: Vec<Value> = types
        .iter()
        .enumerate()
        .filter(|(_, t)| !valid.contains(&t.as_str()))
        .map(|(i, t)| enum_error(d, i, t))
        .collect();
    if !bad.is_empty() {
        return Err(ApiError::Validation(bad));
    }
    let offset = q.int(d, "offset")?.unwrap_or(0).max(0);
    let limit = q.int(d, "limit")?.unwrap_or(20).clamp(0, 1000);
    let desc = q
        .get("order")
        .is_some_and(|o| o.eq_ignore_ascii_case("DESC"));
    let omit = q.bool(d, "omit_data")?.unwrap_or(false);
    let revision = q.int(d, "revision")?;
    let name = q.get("name");
    let tags = q.all("tags");
    let before = q.get("created_before").and_then(parse_time);
    let after = q.get("created_after").and_then(parse_time);
    let at = q.get("at_timestamp").and_then(parse_time);
    let db = shared.db();
    let mut rows: Vec<&HistoryEntry> = db
        .history
        .iter()
        .filter(|h| types.is_empty() || types.contains(&h.config_type))
        .filter(|h| name.is_none_or(|n| h.name == n))
        .filter(|h| revision.is_none_or(|r| i64::try_from(h.revision).is_ok_and(|x| x == r)))
        .filter(|h| {
            tags.is_empty()
                || h.tags
                    .as_ref()
                    .is_some_and(|t| t.iter().any(|x| tags.contains(x)))
        })
        .filter(|h| before.is_none_or(|b| h.created_at < b))
        .filter(|h| after.is_none_or(|a| h.created_at > a))
        .filter(|h| at.is_none_or(|a| h.created_at <= a))
        .collect();
    rows.sort_by_key(|h| (h.created_at, h.revision));
    if desc {
        rows.reverse();
    }
    let configs: Vec<Value> = rows
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(0))
        .take(usize::try_from(limit).unwrap_or(0))
        .map(|h| entry_json(h, omit))
        .collect();
    Ok(ok_json(json!({ "configs": configs })))
}
