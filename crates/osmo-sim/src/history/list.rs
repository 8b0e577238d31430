//! `GET /api/configs/history`: filters (`config_types`, `name`, `revision`, `tags` — an entry must
//! carry all of them —, `created_before`, `created_after`, `at_timestamp`), soft-deleted
//! revisions left out, and the service's paging: the newest `offset`/`limit` window first, then
//! shown in `order` (so `ASC` with a limit lists the latest entries, oldest of them first).

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use serde_json::{json, Value};

use super::{config_types, entry_json};
use crate::errors::{ok_json, ApiError, ApiResult};
use crate::params::QueryParams;
use crate::pydantic::{type_error, Expected};
use crate::state::{HistoryEntry, Shared};
use crate::timestamps::parse_heartbeat;

/// `GET /api/configs/history`.
pub(crate) async fn list(State(shared): State<Arc<Shared>>, RawQuery(q): RawQuery) -> ApiResult {
    let d = shared.dialect;
    let q = QueryParams::parse(q.as_deref());
    let types = q.all("config_types");
    let valid = config_types(d);
    let bad: Vec<Value> = types
        .iter()
        .enumerate()
        .filter(|(_, t)| !valid.contains(&t.as_str()))
        .map(|(i, t)| {
            type_error(
                d,
                &[json!("query"), json!("config_types"), json!(i)],
                Expected::Enum(valid),
                &json!(t),
            )
        })
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
    let before = q.get("created_before").and_then(parse_heartbeat);
    let after = q.get("created_after").and_then(parse_heartbeat);
    let at = q.get("at_timestamp").and_then(parse_heartbeat);
    let db = shared.db();
    let mut rows: Vec<&HistoryEntry> = db
        .history
        .iter()
        .filter(|h| h.deleted_by.is_none())
        .filter(|h| types.is_empty() || types.contains(&h.config_type))
        .filter(|h| name.is_none_or(|n| h.name == n))
        .filter(|h| revision.is_none_or(|r| i64::try_from(h.revision).is_ok_and(|x| x == r)))
        .filter(|h| {
            tags.iter()
                .all(|t| h.tags.as_ref().is_some_and(|have| have.contains(t)))
        })
        .filter(|h| before.is_none_or(|b| h.created_at < b))
        .filter(|h| after.is_none_or(|a| h.created_at > a))
        .collect();
    // Newest first, then the window.
    rows.sort_by_key(|h| std::cmp::Reverse((h.created_at, h.revision)));
    let mut rows: Vec<&HistoryEntry> = match at {
        // The latest revision of each config type at that time; no paging.
        Some(at) => {
            let mut seen: Vec<&str> = Vec::new();
            rows.into_iter()
                .filter(|h| h.created_at <= at)
                .filter(|h| {
                    let first = !seen.contains(&h.config_type.as_str());
                    seen.push(&h.config_type);
                    first
                })
                .collect()
        }
        None => rows
            .into_iter()
            .skip(usize::try_from(offset).unwrap_or(0))
            .take(usize::try_from(limit).unwrap_or(0))
            .collect(),
    };
    if !desc {
        rows.reverse();
    }
    let configs: Vec<Value> = rows.into_iter().map(|h| entry_json(h, omit)).collect();
    Ok(ok_json(json!({ "configs": configs })))
}
