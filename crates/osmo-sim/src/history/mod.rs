//! Config history: the revisions every BACKEND and POOL write records (each holding the whole
//! config type's data at that moment: all backends, or `{"pools": …}`), revision numbering per
//! config type, the config types of each dialect, and seeded revisions. The endpoints are in
//! `list` (`GET /api/configs/history`), `revisions` (diff, tags, soft delete) and `rollback`.

mod list;
mod revisions;
mod rollback;

pub(crate) use list::list;
pub(crate) use revisions::{delete_revision, diff, update_tags};
pub(crate) use rollback::rollback;

use serde_json::{json, Value};

use crate::backends::backend_json;
use crate::dialect::Dialect;
use crate::errors::{ApiError, SimError};
use crate::pool_views;
use crate::seed::SeedRevision;
use crate::state::{HistoryEntry, SimState};
use crate::timestamps::{self, iso};

/// `ConfigHistoryType` at 6.0.
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
/// `ConfigHistoryType` at 6.4 (osmo-admin-ops-6.4.0.json `config_rollback_bad_type`; no
/// DATASET), also used for 6.2.
const V64_TYPES: [&str; 9] = [
    "SERVICE",
    "WORKFLOW",
    "BACKEND",
    "POOL",
    "POD_TEMPLATE",
    "GROUP_TEMPLATE",
    "RESOURCE_VALIDATION",
    "BACKEND_TEST",
    "ROLE",
];

/// The config types of a dialect.
pub(crate) fn config_types(dialect: Dialect) -> &'static [&'static str] {
    if dialect.is_v6_0() {
        &V60_TYPES
    } else {
        &V64_TYPES
    }
}

/// A config type named in a path (`backend`, case-insensitive), or 400 `Invalid config type`.
pub(crate) fn path_type(dialect: Dialect, text: &str) -> Result<&'static str, ApiError> {
    let upper = text.to_ascii_uppercase();
    config_types(dialect)
        .iter()
        .find(|t| **t == upper)
        .copied()
        .ok_or_else(|| ApiError::user(format!("Invalid config type \"{text}\"")))
}

/// 400 for a revision that does not exist (or was deleted, where deleted ones do not count).
pub(crate) fn no_entry(config_type: &str, revision: i64) -> ApiError {
    ApiError::user(format!(
        "No config history entry found for type {config_type} at revision {revision}"
    ))
}

fn next_revision(db: &SimState, config_type: &str) -> u64 {
    let stored = db
        .history
        .iter()
        .filter(|h| h.config_type == config_type)
        .map(|h| h.revision)
        .max()
        .unwrap_or(0);
    stored.max(db.revisions_used.get(config_type).copied().unwrap_or(0)) + 1
}

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
    let revision = next_revision(db, config_type);
    db.history.push(HistoryEntry {
        config_type: config_type.into(),
        name: name.into(),
        revision,
        username: username.into(),
        created_at: timestamps::now(),
        description,
        tags,
        data,
        deleted_by: None,
    });
}

fn backends_data(dialect: Dialect, db: &SimState) -> Value {
    let now = timestamps::now();
    Value::Array(
        db.backends
            .values()
            .map(|b| backend_json(dialect, b, now))
            .collect(),
    )
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
    let data = backends_data(dialect, db);
    record(db, "BACKEND", name, username, description, tags, data);
}

/// Appends a POOL revision holding every pool in its editable form.
pub(crate) fn record_pools(
    db: &mut SimState,
    name: &str,
    username: &str,
    description: String,
    tags: Option<Vec<String>>,
) {
    let data = pool_views::history_data(db, timestamps::now());
    record(db, "POOL", name, username, description, tags, data);
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

/// Marks revisions up to `last` of `config_type` as used (by history the simulator does not hold).
pub(crate) fn mark_used(db: &mut SimState, config_type: &str, last: u64) {
    let used = db
        .revisions_used
        .entry(config_type.to_string())
        .or_insert(0);
    *used = (*used).max(last);
}

/// Adds a seeded revision (BACKEND or POOL, above every revision of its type so far) holding the
/// current data of its type.
pub(crate) fn add_seeded(
    dialect: Dialect,
    db: &mut SimState,
    r: &SeedRevision,
) -> Result<(), SimError> {
    let data = match r.config_type.as_str() {
        "BACKEND" => backends_data(dialect, db),
        "POOL" => pool_views::history_data(db, timestamps::now()),
        other => {
            return Err(SimError::Rejected(format!(
                "seeded history revisions must be BACKEND or POOL, not {other}"
            )))
        }
    };
    let next = next_revision(db, &r.config_type);
    if r.revision < next {
        return Err(SimError::Rejected(format!(
            "seeded {} revision {} is not above the existing ones (next is {next})",
            r.config_type, r.revision
        )));
    }
    mark_used(db, &r.config_type, r.revision - 1);
    record(
        db,
        &r.config_type,
        &r.name,
        &r.username,
        r.description.clone(),
        r.tags.clone(),
        data,
    );
    Ok(())
}

/// An entry of `GET /api/configs/history`.
pub(crate) fn entry_json(h: &HistoryEntry, omit_data: bool) -> Value {
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
