//! Backends: `GET/POST/DELETE /api/configs/backend[/{name}]`, the `BackendConfig` body validation
//! of each dialect (scheduler enum, coscheduling rule, 422 bodies), the 2-minute online rule, and
//! the upsert the listener's `init` performs.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Extension;
use chrono::{Duration as ChronoDuration, NaiveDateTime};
use serde_json::{json, Map, Value};

use crate::auth::Caller;
use crate::dialect::Dialect;
use crate::errors::{ok_json, ApiError, ApiResult};
use crate::history;
use crate::params;
use crate::pydantic::{coerce_bool, loc, type_error, Expected};
use crate::state::{BackendRecord, SchedulerSettings, Shared, SimState};
use crate::timestamps::{self, iso};

/// A backend is online while its last heartbeat is at most this old.
pub const HEARTBEAT_WINDOW: ChronoDuration = ChronoDuration::minutes(2);

pub(crate) fn is_online(b: &BackendRecord, now: NaiveDateTime) -> bool {
    now - b.last_heartbeat <= HEARTBEAT_WINDOW
}

fn scheduler_json(dialect: Dialect, s: &SchedulerSettings) -> Value {
    match dialect {
        Dialect::V6_0 => json!({
            "scheduler_type": s.scheduler_type, "scheduler_name": s.scheduler_name,
            "coscheduling": s.coscheduling, "scheduler_timeout": s.scheduler_timeout,
        }),
        Dialect::V6_2 | Dialect::V6_4 => json!({
            "scheduler_type": s.scheduler_type, "scheduler_name": s.scheduler_name,
            "scheduler_timeout": s.scheduler_timeout,
        }),
    }
}

/// The `Backend` JSON of the service.
pub(crate) fn backend_json(dialect: Dialect, b: &BackendRecord, now: NaiveDateTime) -> Value {
    json!({
        "name": b.name,
        "description": b.description,
        "version": b.version,
        "k8s_uid": b.k8s_uid,
        "k8s_namespace": b.k8s_namespace,
        "dashboard_url": b.dashboard_url,
        "grafana_url": b.grafana_url,
        "tests": b.tests,
        "scheduler_settings": scheduler_json(dialect, &b.scheduler),
        "node_conditions": {"rules": b.node_condition_rules, "prefix": b.node_condition_prefix},
        "last_heartbeat": iso(b.last_heartbeat),
        "created_date": iso(b.created_date),
        "router_address": b.router_address,
        "online": is_online(b, now),
    })
}

/// What an operator's `init` carries.
pub(crate) struct Connect<'a> {
    pub name: &'a str,
    pub k8s_uid: &'a str,
    pub k8s_namespace: &'a str,
    pub version: &'a str,
    pub node_condition_prefix: &'a str,
}

/// Creates or updates a backend the way the listener's `init` does.
pub(crate) fn connect(dialect: Dialect, db: &mut SimState, c: &Connect<'_>) -> Result<(), String> {
    let now = timestamps::now();
    if let Some(b) = db.backends.get_mut(c.name) {
        if b.k8s_uid != c.k8s_uid {
            return Err(format!(
                "Backend {} is already being used by a different cluster",
                c.name
            ));
        }
        let changed = b.k8s_namespace != c.k8s_namespace
            || b.version != c.version
            || b.node_condition_prefix != c.node_condition_prefix;
        if changed {
            b.k8s_namespace = c.k8s_namespace.into();
            b.version = c.version.into();
            b.node_condition_prefix = c.node_condition_prefix.into();
            let msg = format!(
                "Update backend {}: k8s_namespace, version, or node_conditions prefix changed",
                c.name
            );
            history::record_backends(dialect, db, c.name, "system", msg, Some(vec![]));
        }
        return Ok(());
    }
    db.backends.insert(
        c.name.to_string(),
        BackendRecord {
            name: c.name.into(),
            description: String::new(),
            version: c.version.into(),
            k8s_uid: c.k8s_uid.into(),
            k8s_namespace: c.k8s_namespace.into(),
            dashboard_url: String::new(),
            grafana_url: String::new(),
            tests: vec![],
            scheduler: SchedulerSettings::defaults(dialect),
            node_condition_rules: json!({"Ready": "True"}),
            node_condition_prefix: c.node_condition_prefix.into(),
            last_heartbeat: now,
            created_date: now,
            router_address: String::new(),
        },
    );
    history::record_backends(
        dialect,
        db,
        c.name,
        "system",
        format!("Create backend {}", c.name),
        Some(vec![]),
    );
    Ok(())
}

const V60_TYPES: [&str; 4] = ["default", "scheduler-plugins", "volcano", "kai"];

fn parse_scheduler(
    dialect: Dialect,
    v: &Value,
    errors: &mut Vec<Value>,
) -> Option<SchedulerSettings> {
    let base = ["body", "configs", "scheduler_settings"];
    let loc = |f: &'static str| -> Vec<&'static str> { base.iter().copied().chain([f]).collect() };
    let Value::Object(m) = v else {
        errors.push(match dialect {
            Dialect::V6_0 | Dialect::V6_2 => json!({"loc": base, "msg": "value is not a valid dict", "type": "type_error.dict"}),
            Dialect::V6_4 => json!({"type": "model_type", "loc": base, "msg": "Input should be a valid dictionary or instance of SchedulerSettings", "input": v}),
        });
        return None;
    };
    let mut s = SchedulerSettings::defaults(dialect);
    let n_errors = errors.len();
    let mut type_ok = true;
    if let Some(t) = m.get("scheduler_type").filter(|t| !t.is_null()) {
        let text = t.as_str().unwrap_or_default();
        let valid = match dialect {
            Dialect::V6_0 => V60_TYPES.contains(&text),
            Dialect::V6_2 | Dialect::V6_4 => text == "kai",
        };
        if valid {
            s.scheduler_type = text.into();
        } else {
            type_ok = false;
            errors.push(match dialect {
                Dialect::V6_0 => json!({"loc": loc("scheduler_type"), "msg": "value is not a valid enumeration member; permitted: 'default', 'scheduler-plugins', 'volcano', 'kai'", "type": "type_error.enum", "ctx": {"enum_values": V60_TYPES}}),
                Dialect::V6_2 => json!({"loc": loc("scheduler_type"), "msg": "value is not a valid enumeration member; permitted: 'kai'", "type": "type_error.enum", "ctx": {"enum_values": ["kai"]}}),
                Dialect::V6_4 => json!({"type": "enum", "loc": loc("scheduler_type"), "msg": "Input should be 'kai'", "input": t, "ctx": {"expected": "'kai'"}}),
            });
        }
    }
    if let Some(name) = m.get("scheduler_name").filter(|t| !t.is_null()) {
        match name.as_str() {
            Some(text) => s.scheduler_name = text.into(),
            None => errors.push(params::str_error(dialect, &loc("scheduler_name"), name)),
        }
    }
    if dialect == Dialect::V6_0 {
        if let Some(c) = m.get("coscheduling").filter(|t| !t.is_null()) {
            match c {
                Value::Bool(b) => s.coscheduling = *b,
                Value::Number(n) if n.as_i64() == Some(0) || n.as_i64() == Some(1) => s.coscheduling = n.as_i64() == Some(1),
                Value::String(t) if ["true", "false", "1", "0", "yes", "no", "on", "off"].contains(&t.to_lowercase().as_str()) => {
                    s.coscheduling = ["true", "1", "yes", "on"].contains(&t.to_lowercase().as_str())
                }
                _ => errors.push(json!({"loc": loc("coscheduling"), "msg": "value could not be parsed to a boolean", "type": "type_error.bool"})),
            }
            if type_ok && s.coscheduling && s.scheduler_type == "default" {
                errors.push(json!({"loc": loc("coscheduling"), "msg": "Coscheduling cannot be True if scheduler_type is DEFAULT", "type": "value_error"}));
            }
        }
    }
    if let Some(t) = m.get("scheduler_timeout").filter(|t| !t.is_null()) {
        let parsed = match t {
            Value::Number(n) => n.as_i64(),
            Value::String(text) => text.trim().parse::<i64>().ok(),
            _ => None,
        };
        match parsed {
            Some(n) => s.scheduler_timeout = n,
            None => errors.push(params::int_error(dialect, &loc("scheduler_timeout"), t)),
        }
    }
    (errors.len() == n_errors).then_some(s)
}

/// Validated, non-null fields of a `BackendConfig`.
#[derive(Default)]
struct BackendPatch {
    description: Option<String>,
    k8s_uid: Option<String>,
    dashboard_url: Option<String>,
    grafana_url: Option<String>,
    tests: Option<Vec<String>>,
    scheduler: Option<SchedulerSettings>,
    node_conditions: Option<Map<String, Value>>,
    router_address: Option<String>,
}

fn parse_config(
    dialect: Dialect,
    configs: &Map<String, Value>,
    errors: &mut Vec<Value>,
) -> BackendPatch {
    let s = |f: &'static str, errors: &mut Vec<Value>| {
        params::opt_str(dialect, configs, &["body", "configs", f], errors)
    };
    let mut patch = BackendPatch {
        description: s("description", errors),
        k8s_uid: s("k8s_uid", errors),
        dashboard_url: s("dashboard_url", errors),
        grafana_url: s("grafana_url", errors),
        tests: params::opt_str_list(dialect, configs, &["body", "configs", "tests"], errors),
        ..BackendPatch::default()
    };
    if let Some(v) = configs.get("scheduler_settings").filter(|v| !v.is_null()) {
        patch.scheduler = parse_scheduler(dialect, v, errors);
    }
    match configs.get("node_conditions") {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => patch.node_conditions = Some(m.clone()),
        Some(other) => errors.push(match dialect {
            Dialect::V6_0 | Dialect::V6_2 => json!({"loc": ["body", "configs", "node_conditions"], "msg": "value is not a valid dict", "type": "type_error.dict"}),
            Dialect::V6_4 => json!({"type": "model_type", "loc": ["body", "configs", "node_conditions"], "msg": "Input should be a valid dictionary or instance of BackendNodeConditions", "input": other}),
        }),
    }
    patch.router_address = s("router_address", errors);
    patch
}

/// `GET /api/configs/backend`.
pub(crate) async fn list(State(shared): State<Arc<Shared>>) -> ApiResult {
    let now = timestamps::now();
    let db = shared.db();
    let backends: Vec<Value> = db
        .backends
        .values()
        .map(|b| backend_json(shared.dialect, b, now))
        .collect();
    Ok(ok_json(json!({ "backends": backends })))
}

/// `GET /api/configs/backend/{name}`: unknown names are a 500, as in the service.
pub(crate) async fn get(State(shared): State<Arc<Shared>>, Path(name): Path<String>) -> ApiResult {
    let db = shared.db();
    let b = db
        .backends
        .get(&name)
        .ok_or_else(|| ApiError::Internal(format!("Backend {name} is not found.")))?;
    Ok(ok_json(backend_json(shared.dialect, b, timestamps::now())))
}

/// `POST /api/configs/backend/{name} {"configs", "description"?, "tags"?}`.
pub(crate) async fn update(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
    body: Bytes,
) -> ApiResult {
    let d = shared.dialect;
    let map = params::required_object(d, &body)?;
    let mut errors = Vec::new();
    let patch = match map.get("configs") {
        Some(Value::Object(configs)) => Some(parse_config(d, configs, &mut errors)),
        None | Some(Value::Null) => {
            errors.push(params::missing(
                d,
                &["body", "configs"],
                Value::Object(map.clone()),
            ));
            None
        }
        Some(other) => {
            errors.push(match d {
                Dialect::V6_0 | Dialect::V6_2 => json!({"loc": ["body", "configs"], "msg": "value is not a valid dict", "type": "type_error.dict"}),
                Dialect::V6_4 => json!({"type": "model_type", "loc": ["body", "configs"], "msg": "Input should be a valid dictionary or instance of BackendConfig", "input": other}),
            });
            None
        }
    };
    let (description, tags) = params::description_and_tags(d, &map, &mut errors);
    let (Some(patch), true) = (patch, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let mut db = shared.db();
    let b = db
        .backends
        .get_mut(&name)
        .ok_or_else(|| ApiError::Internal(format!("Backend {name} is not found.")))?;
    macro_rules! set {
        ($($f:ident),*) => { $(if let Some(v) = patch.$f { b.$f = v; })* };
    }
    set!(
        description,
        k8s_uid,
        dashboard_url,
        grafana_url,
        tests,
        router_address
    );
    if let Some(s) = patch.scheduler {
        b.scheduler = s;
    }
    if let Some(nc) = patch.node_conditions {
        if let Some(rules) = nc.get("rules") {
            b.node_condition_rules = rules.clone();
        }
        if let Some(Value::String(prefix)) = nc.get("prefix") {
            b.node_condition_prefix = prefix.clone();
        }
    }
    let description = description.unwrap_or_else(|| format!("Updated backend '{name}'"));
    history::record_backends(d, &mut db, &name, &caller.user, description, tags);
    Ok(ok_json(Value::Null))
}

/// `DELETE /api/configs/backend/{name} {"description"?, "tags"?, "force"?}` (the body is
/// required): removes the backend, online or not (its operator's later heartbeats find nothing to
/// update), and records a revision even when there was no such backend; answers 200 null.
pub(crate) async fn delete(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
    body: Bytes,
) -> ApiResult {
    let d = shared.dialect;
    let map = params::required_object(d, &body)?;
    let mut errors = Vec::new();
    let (description, tags) = params::description_and_tags(d, &map, &mut errors);
    if let Some(force) = map.get("force").filter(|f| coerce_bool(f).is_none()) {
        let loc = loc(&["body", "force"]);
        errors.push(type_error(d, &loc, Expected::Bool, force));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let mut db = shared.db();
    db.backends.remove(&name);
    let description = description.unwrap_or_else(|| format!("Deleted backend '{name}'"));
    history::record_backends(d, &mut db, &name, &caller.user, description, tags);
    Ok(ok_json(Value::Null))
}
