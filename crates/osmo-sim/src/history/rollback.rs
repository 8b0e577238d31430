//! `POST /api/configs/history/rollback {"config_type","revision","description"?,"tags"?}`:
//! global for its config type, as the service does it. BACKEND deletes every backend the
//! revision does not list and writes the editable fields of the others (a listed backend that no
//! longer exists stops it with a 500); POOL deletes every pool (the service compares pool names
//! with the keys of `{"pools": …}`) and puts back the revision's pools. Either writes a revision
//! named `""` described `Roll back T to rN: D`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;
use serde_json::{json, Map, Value};

use super::{config_types, no_entry, record_backends, record_pools};
use crate::auth::Caller;
use crate::dialect::Dialect;
use crate::errors::{ok_json, ApiError, ApiResult};
use crate::params;
use crate::pool_model::parse_pool;
use crate::pool_writes::put_pools;
use crate::pydantic::{error_text, loc, missing, type_error, Expected};
use crate::state::{SchedulerSettings, Shared, SimState};

struct Request {
    config_type: &'static str,
    revision: i64,
    description: Option<String>,
    tags: Option<Vec<String>>,
}

fn parse_request(dialect: Dialect, body: &Bytes) -> Result<Request, ApiError> {
    let map = params::required_object(dialect, body)?;
    let input = Value::Object(map.clone());
    let mut errors = Vec::new();
    let types = config_types(dialect);
    let config_type = match map.get("config_type") {
        None => {
            errors.push(missing(dialect, &loc(&["body", "config_type"]), &input));
            None
        }
        Some(v) => {
            let found = types.iter().find(|t| v.as_str() == Some(**t)).copied();
            if found.is_none() {
                let loc = loc(&["body", "config_type"]);
                errors.push(type_error(dialect, &loc, Expected::Enum(types), v));
            }
            found
        }
    };
    let loc = loc(&["body", "revision"]);
    let revision = match map.get("revision") {
        None => {
            errors.push(missing(dialect, &loc, &input));
            None
        }
        Some(v) => {
            let n = v
                .as_i64()
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()));
            match n {
                Some(n) if n > 0 => Some(n),
                Some(n) => {
                    errors.push(type_error(dialect, &loc, Expected::Positive, &json!(n)));
                    None
                }
                None => {
                    errors.push(type_error(dialect, &loc, Expected::Int, v));
                    None
                }
            }
        }
    };
    let description = params::opt_str(dialect, &map, &["body", "description"], &mut errors);
    let tags = params::opt_str_list(dialect, &map, &["body", "tags"], &mut errors);
    match (config_type, revision, errors.is_empty()) {
        (Some(config_type), Some(revision), true) => Ok(Request {
            config_type,
            revision,
            description,
            tags,
        }),
        _ => Err(ApiError::Validation(errors)),
    }
}

fn scheduler_from(dialect: Dialect, v: &Value) -> SchedulerSettings {
    let mut s = SchedulerSettings::defaults(dialect);
    if let Some(t) = v["scheduler_type"].as_str() {
        s.scheduler_type = t.into();
    }
    if let Some(n) = v["scheduler_name"].as_str() {
        s.scheduler_name = n.into();
    }
    if let Some(c) = v["coscheduling"].as_bool() {
        s.coscheduling = c;
    }
    if let Some(t) = v["scheduler_timeout"].as_i64() {
        s.scheduler_timeout = t;
    }
    s
}

fn rollback_backends(dialect: Dialect, db: &mut SimState, data: &Value) -> Result<(), ApiError> {
    let items: Vec<Map<String, Value>> = data
        .as_array()
        .map(|a| a.iter().filter_map(|b| b.as_object().cloned()).collect())
        .unwrap_or_default();
    let keep: Vec<&str> = items
        .iter()
        .filter_map(|b| b.get("name")?.as_str())
        .collect();
    db.backends.retain(|name, _| keep.contains(&name.as_str()));
    for item in &items {
        let name = item.get("name").and_then(Value::as_str).unwrap_or_default();
        let b = db
            .backends
            .get_mut(name)
            .ok_or_else(|| ApiError::Internal(format!("Backend '{name}' not found")))?;
        let text = |k: &str| item.get(k).and_then(Value::as_str).map(str::to_string);
        if let Some(v) = text("description") {
            b.description = v;
        }
        if let Some(v) = text("k8s_uid") {
            b.k8s_uid = v;
        }
        if let Some(v) = text("dashboard_url") {
            b.dashboard_url = v;
        }
        if let Some(v) = text("grafana_url") {
            b.grafana_url = v;
        }
        if let Some(v) = text("router_address") {
            b.router_address = v;
        }
        if let Some(tests) = item.get("tests").and_then(Value::as_array) {
            b.tests = tests
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
        }
        if let Some(s) = item.get("scheduler_settings").filter(|s| s.is_object()) {
            b.scheduler = scheduler_from(dialect, s);
        }
        if let Some(nc) = item.get("node_conditions").and_then(Value::as_object) {
            b.node_condition_rules = nc.get("rules").cloned().unwrap_or(Value::Null);
            if let Some(prefix) = nc.get("prefix").and_then(Value::as_str) {
                b.node_condition_prefix = prefix.into();
            }
        }
    }
    Ok(())
}

fn rollback_pools(dialect: Dialect, db: &mut SimState, data: &Value) -> Result<(), ApiError> {
    let keys: Vec<String> = data
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    db.pools.retain(|name, _| keys.contains(name));
    let mut errors = Vec::new();
    let mut pools = Vec::new();
    for (name, p) in data["pools"].as_object().cloned().unwrap_or_default() {
        let loc = [json!("configs"), json!(name.as_str())];
        if let Some(config) = parse_pool(dialect, &p, &loc, &mut errors) {
            pools.push((name, config));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Internal(error_text(
            dialect,
            "PutPoolsRequest",
            &errors,
        )));
    }
    put_pools(db, pools)
}

/// `POST /api/configs/history/rollback`.
pub(crate) async fn rollback(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> ApiResult {
    let d = shared.dialect;
    let req = parse_request(d, &body)?;
    let mut db = shared.db();
    let entry = db
        .history
        .iter()
        .find(|h| {
            h.config_type == req.config_type
                && i64::try_from(h.revision).is_ok_and(|r| r == req.revision)
        })
        .ok_or_else(|| no_entry(req.config_type, req.revision))?;
    if let Some(by) = &entry.deleted_by {
        return Err(ApiError::user(format!(
            "Cannot roll back to revision {} for config type {} as it was deleted by {by}",
            req.revision, req.config_type
        )));
    }
    let data = entry.data.clone();
    let base = format!("Roll back {} to r{}", req.config_type, req.revision);
    let description = match req.description.as_deref() {
        Some(text) if !text.is_empty() => format!("{base}: {text}"),
        _ => base,
    };
    match req.config_type {
        "BACKEND" => {
            rollback_backends(d, &mut db, &data)?;
            record_backends(d, &mut db, "", &caller.user, description, req.tags);
        }
        "POOL" => {
            rollback_pools(d, &mut db, &data)?;
            record_pools(&mut db, "", &caller.user, description, req.tags);
        }
        other => return Err(ApiError::user(format!("Unsupported config type: {other}"))),
    }
    Ok(ok_json(Value::Null))
}
