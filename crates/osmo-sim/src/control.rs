//! The simulator's own control API under `/__sim` (never an OSMO path): fault injection
//! (`GET/POST/DELETE /__sim/faults`), forcing a backend's heartbeat time
//! (`POST /__sim/backends/{name}/heartbeat {"time"?}`), keeping it online
//! (`POST /__sim/backends/{name}/keep_alive {"enabled"}`) and a state dump (`GET /__sim/state`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::backends::backend_json;
use crate::faults::FaultConfig;
use crate::state::Shared;
use crate::timestamps::{self, iso};

fn faults_json(shared: &Shared) -> Value {
    let f = shared.faults();
    json!({"config": f.config, "stats": f.stats})
}

/// `GET /__sim/faults`.
pub(crate) async fn get_faults(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(faults_json(&shared))
}

/// `POST /__sim/faults` with a [`FaultConfig`] (replaces the current one).
pub(crate) async fn set_faults(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    match serde_json::from_slice::<FaultConfig>(&body) {
        Ok(config) => {
            shared.faults().config = config;
            Json(faults_json(&shared)).into_response()
        }
        Err(e) => (
            StatusCode::BAD_REQUEST,
            Json(json!({"message": format!("invalid fault config: {e}")})),
        )
            .into_response(),
    }
}

/// `DELETE /__sim/faults`: no more faults.
pub(crate) async fn clear_faults(State(shared): State<Arc<Shared>>) -> Json<Value> {
    shared.faults().config = FaultConfig::default();
    Json(faults_json(&shared))
}

/// `POST /__sim/backends/{name}/heartbeat {"time": "<naive UTC ISO>"}` (time defaults to now).
pub(crate) async fn set_heartbeat(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let requested = serde_json::from_slice::<Value>(&body).ok();
    let time = match requested
        .as_ref()
        .and_then(|v| v.get("time"))
        .and_then(Value::as_str)
    {
        Some(text) => match timestamps::parse_heartbeat(text) {
            Some(t) => t,
            None => {
                return (
                    StatusCode::BAD_REQUEST,
                    Json(json!({"message": "invalid time"})),
                )
                    .into_response()
            }
        },
        None => timestamps::now(),
    };
    let mut db = shared.db();
    match db.backends.get_mut(&name) {
        Some(b) => {
            b.last_heartbeat = time;
            Json(backend_json(shared.dialect, b, timestamps::now())).into_response()
        }
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"message": format!("no backend {name}")})),
        )
            .into_response(),
    }
}

/// `POST /__sim/backends/{name}/keep_alive {"enabled": bool}`: simulated operator heartbeat.
pub(crate) async fn set_keep_alive(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let enabled = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("enabled").and_then(Value::as_bool));
    let Some(enabled) = enabled else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"message": "body must be {\"enabled\": bool}"})),
        )
            .into_response();
    };
    let mut db = shared.db();
    if !db.backends.contains_key(&name) {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"message": format!("no backend {name}")})),
        )
            .into_response();
    }
    if enabled {
        db.keep_alive.insert(name);
    } else {
        db.keep_alive.remove(&name);
    }
    Json(json!({"keep_alive": db.keep_alive})).into_response()
}

/// `GET /__sim/state`: dialect, backends, tokens (without values), users.
pub(crate) async fn state(State(shared): State<Arc<Shared>>) -> Json<Value> {
    let now = timestamps::now();
    let db = shared.db();
    let backends: Vec<Value> = db
        .backends
        .values()
        .map(|b| backend_json(shared.dialect, b, now))
        .collect();
    let tokens: Vec<Value> = db
        .tokens
        .iter()
        .map(|t| json!({"user_name": t.user_name, "token_name": t.token_name, "expires_at": t.expires_at.to_string(),
                        "access_type": t.kind.access_type(), "roles": t.roles}))
        .collect();
    let users: Vec<Value> = db
        .users
        .iter()
        .map(|u| json!({"id": u.id, "created_at": iso(u.created_at), "roles": u.roles.iter().map(|r| r.role_name.clone()).collect::<Vec<_>>()}))
        .collect();
    Json(json!({
        "dialect": shared.dialect,
        "version": shared.dialect.version_string(),
        "backends": backends,
        "tokens": tokens,
        "users": users,
        "history_entries": db.history.len(),
    }))
}
