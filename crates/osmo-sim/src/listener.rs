//! The backend operator's WebSockets: `/api/agent/listener/{kind}/backend/{name}` and
//! `/api/agent/worker/backend/{name}`. The first message must be an `init` (exactly `k8s_uid`,
//! `k8s_namespace`, `version`, `node_condition_prefix`); later messages are acked and a
//! `heartbeat` stores `body.time` (UTC) as the backend's `last_heartbeat`. Protocol violations
//! close the socket without a close frame (clients see 1006), as the real service does.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use serde_json::{json, Value};

use crate::backends::{self, Connect};
use crate::errors::ApiError;
use crate::state::Shared;
use crate::timestamps;

const LISTENER_KINDS: [&str; 6] = ["node", "pod", "event", "heartbeat", "control", "message"];
const INIT_KEYS: [&str; 4] = [
    "k8s_uid",
    "k8s_namespace",
    "version",
    "node_condition_prefix",
];

fn new_uuid() -> String {
    let mut b = [0u8; 16];
    rand::rng().fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// `GET /api/agent/listener/{kind}/backend/{name}` (WebSocket).
pub(crate) async fn listener(
    State(shared): State<Arc<Shared>>,
    Path((kind, name)): Path<(String, String)>,
    ws: WebSocketUpgrade,
) -> Response {
    if !LISTENER_KINDS.contains(&kind.as_str()) {
        return ApiError::not_found().into_response();
    }
    ws.on_upgrade(move |socket| session(shared, kind, name, socket))
}

/// `GET /api/agent/worker/backend/{name}` (WebSocket).
pub(crate) async fn worker(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
    ws: WebSocketUpgrade,
) -> Response {
    ws.on_upgrade(move |socket| session(shared, "worker".into(), name, socket))
}

fn parse(msg: &Message) -> Option<serde_json::Map<String, Value>> {
    match msg {
        Message::Text(t) => serde_json::from_str::<Value>(t.as_str())
            .ok()?
            .as_object()
            .cloned(),
        Message::Binary(b) => serde_json::from_slice::<Value>(b)
            .ok()?
            .as_object()
            .cloned(),
        _ => None,
    }
}

/// Handles the `init` message; `false` means the socket must be dropped.
fn handle_init(shared: &Shared, name: &str, body: Option<&Value>) -> bool {
    let Some(Value::Object(b)) = body else {
        return false;
    };
    if b.len() != INIT_KEYS.len()
        || !INIT_KEYS
            .iter()
            .all(|k| b.get(*k).is_some_and(Value::is_string))
    {
        return false;
    }
    let field = |k: &str| b.get(k).and_then(Value::as_str).unwrap_or_default();
    let c = Connect {
        name,
        k8s_uid: field("k8s_uid"),
        k8s_namespace: field("k8s_namespace"),
        version: field("version"),
        node_condition_prefix: field("node_condition_prefix"),
    };
    match backends::connect(shared.dialect, &mut shared.db(), &c) {
        Ok(()) => true,
        Err(e) => {
            tracing::info!(backend = name, "listener init rejected: {e}");
            false
        }
    }
}

async fn session(shared: Arc<Shared>, kind: String, name: String, mut socket: WebSocket) {
    let mut closing = shared.closing.subscribe();
    // Phase 1: wait for init.
    loop {
        let msg = tokio::select! {
            m = socket.recv() => m,
            _ = closing.changed() => return,
        };
        let Some(Ok(msg)) = msg else { return };
        if matches!(msg, Message::Ping(_) | Message::Pong(_)) {
            continue;
        }
        if matches!(msg, Message::Close(_)) {
            return;
        }
        let Some(obj) = parse(&msg) else { return };
        match obj.get("type").and_then(Value::as_str) {
            Some("logging") => continue,
            Some("init") if handle_init(&shared, &name, obj.get("body")) => break,
            _ => return,
        }
    }
    if kind == "control" {
        let rules = shared
            .db()
            .backends
            .get(&name)
            .map(|b| b.node_condition_rules.clone())
            .unwrap_or(Value::Null);
        let msg = json!({"type": "node_conditions", "body": {"rules": rules}, "uuid": new_uuid()});
        if socket
            .send(Message::Text(msg.to_string().into()))
            .await
            .is_err()
        {
            return;
        }
    }
    let mut worker_tick = tokio::time::interval(Duration::from_secs(60));
    worker_tick.tick().await;
    // Phase 2: ack every message; heartbeats update last_heartbeat.
    loop {
        let msg = tokio::select! {
            m = socket.recv() => m,
            _ = closing.changed() => return,
            _ = worker_tick.tick(), if kind == "worker" => {
                if socket.send(Message::Text(json!({"type": "heartbeat"}).to_string().into())).await.is_err() {
                    return;
                }
                continue;
            }
        };
        let Some(Ok(msg)) = msg else { return };
        if matches!(msg, Message::Ping(_) | Message::Pong(_)) {
            continue;
        }
        if matches!(msg, Message::Close(_)) {
            return;
        }
        let Some(obj) = parse(&msg) else { return };
        let uuid = obj
            .get("uuid")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(new_uuid);
        let ack = json!({"type": "ack", "body": {"uuid": uuid}, "uuid": new_uuid()});
        if socket
            .send(Message::Text(ack.to_string().into()))
            .await
            .is_err()
        {
            return;
        }
        if obj.get("type").and_then(Value::as_str) == Some("heartbeat") {
            let time = obj
                .get("body")
                .and_then(|b| b.get("time"))
                .and_then(Value::as_str);
            let Some(time) = time.and_then(timestamps::parse_heartbeat) else {
                return;
            };
            if let Some(b) = shared.db().backends.get_mut(&name) {
                b.last_heartbeat = time;
            }
        }
    }
}
