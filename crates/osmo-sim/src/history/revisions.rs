//! One revision at a time: `GET /api/configs/diff` (the two revisions' data; the simulator
//! stores no secrets, so nothing is masked), `POST /api/configs/history/{type}/revision/{n}/tags`
//! (`set_tags` added, `delete_tags` removed) and the soft delete
//! `DELETE /api/configs/history/{type}/revision/{n}` (never the current revision).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::Extension;
use serde_json::{json, Value};

use super::{config_types, no_entry, path_type};
use crate::auth::Caller;
use crate::dialect::Dialect;
use crate::errors::{ok_json, ApiError, ApiResult};
use crate::params::{self, QueryParams};
use crate::pydantic::{loc, type_error, Expected};
use crate::state::{HistoryEntry, Shared};

/// A path revision (`int`, > 0) or the dialect's 422.
fn path_revision(dialect: Dialect, text: &str) -> Result<i64, ApiError> {
    let loc = loc(&["path", "revision"]);
    match text.trim().parse::<i64>() {
        Ok(n) if n > 0 => Ok(n),
        Ok(n) => Err(ApiError::Validation(vec![type_error(
            dialect,
            &loc,
            Expected::Positive,
            &json!(n),
        )])),
        Err(_) => Err(ApiError::Validation(vec![type_error(
            dialect,
            &loc,
            Expected::Int,
            &json!(text),
        )])),
    }
}

fn find<'a>(
    entries: &'a [HistoryEntry],
    config_type: &str,
    revision: i64,
) -> Option<&'a HistoryEntry> {
    entries.iter().find(|h| {
        h.config_type == config_type && i64::try_from(h.revision).is_ok_and(|r| r == revision)
    })
}

/// `GET /api/configs/diff?config_type&first_revision&second_revision`.
pub(crate) async fn diff(State(shared): State<Arc<Shared>>, RawQuery(q): RawQuery) -> ApiResult {
    let d = shared.dialect;
    let q = QueryParams::parse(q.as_deref());
    let mut errors = Vec::new();
    let config_type = match q.get("config_type") {
        None => {
            errors.push(params::missing(d, &["query", "config_type"], Value::Null));
            None
        }
        Some(t) => match config_types(d).iter().find(|x| **x == t) {
            Some(t) => Some(*t),
            None => {
                let loc = loc(&["query", "config_type"]);
                errors.push(type_error(
                    d,
                    &loc,
                    Expected::Enum(config_types(d)),
                    &json!(t),
                ));
                None
            }
        },
    };
    let mut revision = |name: &str| match q.int(d, name) {
        Ok(Some(n)) => Some(n),
        Ok(None) => {
            errors.push(params::missing(d, &["query", name], Value::Null));
            None
        }
        Err(ApiError::Validation(items)) => {
            errors.extend(items);
            None
        }
        Err(_) => None,
    };
    let first = revision("first_revision");
    let second = revision("second_revision");
    let (Some(config_type), Some(first), Some(second)) = (config_type, first, second) else {
        return Err(ApiError::Validation(errors));
    };
    let db = shared.db();
    let live = |n: i64| {
        find(&db.history, config_type, n)
            .filter(|h| h.deleted_by.is_none())
            .map(|h| h.data.clone())
            .ok_or_else(|| no_entry(config_type, n))
    };
    let first_data = live(first)?;
    let second_data = live(second)?;
    Ok(ok_json(
        json!({"first_data": first_data, "second_data": second_data}),
    ))
}

/// `POST /api/configs/history/{config_type}/revision/{revision}/tags {"set_tags"?, "delete_tags"?}`.
pub(crate) async fn update_tags(
    State(shared): State<Arc<Shared>>,
    Path((config_type, revision)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    let d = shared.dialect;
    let revision = path_revision(d, &revision)?;
    let map = params::required_object(d, &body)?;
    let mut errors = Vec::new();
    let set = params::opt_str_list(d, &map, &["body", "set_tags"], &mut errors);
    let delete =
        params::opt_str_list(d, &map, &["body", "delete_tags"], &mut errors).unwrap_or_default();
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let config_type = path_type(d, &config_type)?;
    let mut db = shared.db();
    let entry = db
        .history
        .iter_mut()
        .find(|h| {
            h.config_type == config_type && i64::try_from(h.revision).is_ok_and(|r| r == revision)
        })
        .ok_or_else(|| no_entry(config_type, revision))?;
    // The service's UPDATE reads the current tags of a live revision only: a deleted one ends up
    // with no tags at all.
    entry.tags = if entry.deleted_by.is_some() {
        None
    } else {
        let mut tags: Vec<String> = entry.tags.clone().unwrap_or_default();
        tags.extend(set.unwrap_or_default());
        tags.sort();
        tags.dedup();
        tags.retain(|t| !delete.contains(t));
        Some(tags)
    };
    Ok(ok_json(Value::Null))
}

/// `DELETE /api/configs/history/{config_type}/revision/{revision}`: a soft delete.
pub(crate) async fn delete_revision(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path((config_type, revision)): Path<(String, String)>,
) -> ApiResult {
    let d = shared.dialect;
    let revision = path_revision(d, &revision)?;
    let config_type = path_type(d, &config_type)?;
    let mut db = shared.db();
    let current = db
        .history
        .iter()
        .filter(|h| h.config_type == config_type && h.deleted_by.is_none())
        .map(|h| h.revision)
        .max()
        .and_then(|r| i64::try_from(r).ok());
    let target = db.history.iter_mut().find(|h| {
        h.config_type == config_type
            && h.deleted_by.is_none()
            && i64::try_from(h.revision).is_ok_and(|r| r == revision)
            && current.is_some_and(|c| revision < c)
    });
    match target {
        Some(h) => {
            h.deleted_by = Some(caller.user);
            Ok(ok_json(Value::Null))
        }
        None if current == Some(revision) => Err(ApiError::user(format!(
            "Cannot delete the current revision {revision} for config type {config_type}"
        ))),
        None => Err(no_entry(config_type, revision)),
    }
}
