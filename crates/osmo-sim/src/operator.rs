//! A simulated backend operator (the listener side), for sandboxes and tests: reads its access
//! token from a caller-supplied source (e.g. the cluster secret), exchanges it for a JWT the way
//! the dialect's operator does (6.0 `GET`, 6.2+ `POST`), opens the heartbeat WebSocket with the
//! JWT, sends `init` and then a `heartbeat` every interval. On failure it reports the error and
//! retries every `retry_interval`; [`OperatorHandle::restart`] reconnects and re-reads the token
//! (what a rollout restart does). Works against the simulator or a real service.

use std::sync::Arc;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;

use crate::dialect::Dialect;
use crate::timestamps;

/// Where the operator gets its access token from; called on every (re)connect.
pub type TokenSource = Arc<dyn Fn() -> Result<String, String> + Send + Sync>;

/// How to run a simulated operator.
#[derive(Clone)]
pub struct OperatorConfig {
    /// Service base URL (`http://…` or `https://…`).
    pub base_url: String,
    /// Dialect of the service (decides exchange method and JWT header).
    pub dialect: Dialect,
    /// Backend name (`--backend`).
    pub backend: String,
    /// Cluster UID sent in `init`.
    pub k8s_uid: String,
    /// Workflow namespace sent in `init`.
    pub k8s_namespace: String,
    /// Operator version sent in `init`.
    pub version: String,
    /// Heartbeat period (the real listener: 20 s).
    pub heartbeat_interval: Duration,
    /// Wait after a failure (the real operator: 5 s).
    pub retry_interval: Duration,
    /// The access token.
    pub token: TokenSource,
}

impl std::fmt::Debug for OperatorConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperatorConfig")
            .field("base_url", &self.base_url)
            .field("dialect", &self.dialect)
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl OperatorConfig {
    /// Defaults: uid `fake-uid-<backend>`, namespace `osmo-workflows`, the dialect's version,
    /// heartbeat 20 s, retry 5 s.
    pub fn new(
        base_url: impl Into<String>,
        dialect: Dialect,
        backend: impl Into<String>,
        token: TokenSource,
    ) -> Self {
        let backend = backend.into();
        Self {
            base_url: base_url.into().trim_end_matches('/').to_string(),
            dialect,
            k8s_uid: format!("fake-uid-{backend}"),
            backend,
            k8s_namespace: "osmo-workflows".into(),
            version: dialect.version_string(),
            heartbeat_interval: Duration::from_secs(20),
            retry_interval: Duration::from_secs(5),
            token,
        }
    }
}

/// What the operator is doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OperatorStatus {
    /// Not connected yet.
    Starting,
    /// Socket open, `init` sent, heartbeating.
    Connected,
    /// The last attempt failed; retrying. The text is what the real operator logs.
    Failed(String),
}

/// A running simulated operator; dropping it stops it.
#[derive(Debug)]
pub struct OperatorHandle {
    status: watch::Receiver<OperatorStatus>,
    restart: Arc<Notify>,
    task: JoinHandle<()>,
}

impl OperatorHandle {
    /// Starts the operator loop.
    pub fn start(config: OperatorConfig) -> Self {
        let (tx, rx) = watch::channel(OperatorStatus::Starting);
        let restart = Arc::new(Notify::new());
        let task = tokio::spawn(run(config, tx, restart.clone()));
        Self {
            status: rx,
            restart,
            task,
        }
    }

    /// Current status.
    pub fn status(&self) -> OperatorStatus {
        self.status.borrow().clone()
    }

    /// Waits until `pred(status)` holds or `timeout` passes; returns the last status.
    pub async fn wait_for(
        &self,
        timeout: Duration,
        pred: impl Fn(&OperatorStatus) -> bool,
    ) -> OperatorStatus {
        let mut rx = self.status.clone();
        let _ = tokio::time::timeout(timeout, rx.wait_for(|s| pred(s))).await;
        let status = rx.borrow().clone();
        status
    }

    /// Drops the connection and reconnects, re-reading the token (a rollout restart).
    pub fn restart(&self) {
        self.restart.notify_one();
    }

    /// Stops the operator.
    pub fn stop(self) {}
}

impl Drop for OperatorHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn exchange(
    client: &reqwest::Client,
    c: &OperatorConfig,
    token: &str,
) -> Result<String, String> {
    let url = format!("{}/api/auth/jwt/access_token", c.base_url);
    let request = match c.dialect {
        Dialect::V6_0 => client.get(&url).query(&[("access_token", token)]),
        Dialect::V6_2 | Dialect::V6_4 => client.post(&url).json(&json!({ "token": token })),
    };
    let resp = request.send().await.map_err(|e| e.to_string())?;
    let status = resp.status();
    let body: Value = resp.json().await.map_err(|e| e.to_string())?;
    match body.get("token").and_then(Value::as_str) {
        Some(jwt) if status.is_success() => Ok(jwt.to_string()),
        _ => Err(format!(
            "Unable to refresh login token (status code {}): {}",
            status.as_u16(),
            body.get("message")
                .and_then(Value::as_str)
                .unwrap_or_default()
        )),
    }
}

/// One connection attempt; returns when the socket ends, a restart is requested, or on error.
async fn connect_once(
    client: &reqwest::Client,
    c: &OperatorConfig,
    status: &watch::Sender<OperatorStatus>,
    restart: &Notify,
) -> Result<(), String> {
    let token = (c.token)()?;
    let jwt = exchange(client, c, token.trim()).await?;
    let ws_base = c
        .base_url
        .replacen("https://", "wss://", 1)
        .replacen("http://", "ws://", 1);
    let mut request = format!(
        "{ws_base}/api/agent/listener/heartbeat/backend/{}",
        c.backend
    )
    .into_client_request()
    .map_err(|e| e.to_string())?;
    let (name, value) = match c.dialect {
        Dialect::V6_0 => ("x-osmo-auth", jwt),
        Dialect::V6_2 | Dialect::V6_4 => ("authorization", format!("Bearer {jwt}")),
    };
    request.headers_mut().insert(
        name,
        HeaderValue::from_str(&value).map_err(|e| e.to_string())?,
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(request)
        .await
        .map_err(|e| e.to_string())?;
    let init = json!({"type": "init", "body": {"k8s_uid": c.k8s_uid, "k8s_namespace": c.k8s_namespace,
        "version": c.version, "node_condition_prefix": "osmo.nvidia.com/"}});
    ws.send(Message::Text(init.to_string().into()))
        .await
        .map_err(|e| e.to_string())?;
    status.send_replace(OperatorStatus::Connected);
    let mut tick = tokio::time::interval(c.heartbeat_interval.max(Duration::from_millis(10)));
    loop {
        tokio::select! {
            _ = tick.tick() => {
                let hb = json!({"type": "heartbeat", "body": {"time": timestamps::iso(timestamps::now())}});
                ws.send(Message::Text(hb.to_string().into())).await.map_err(|e| e.to_string())?;
            }
            msg = ws.next() => match msg {
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e.to_string()),
                None => return Err("connection closed by the service".into()),
            },
            () = restart.notified() => {
                let _ = ws.close(None).await;
                return Ok(());
            }
        }
    }
}

async fn run(c: OperatorConfig, status: watch::Sender<OperatorStatus>, restart: Arc<Notify>) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap_or_default();
    loop {
        match connect_once(&client, &c, &status, &restart).await {
            Ok(()) => status.send_replace(OperatorStatus::Starting),
            Err(e) => {
                tracing::debug!(backend = %c.backend, "operator: {e}");
                status.send_replace(OperatorStatus::Failed(format!(
                    "Connection failed with error: {e}"
                )));
                tokio::select! {
                    () = tokio::time::sleep(c.retry_interval) => {}
                    () = restart.notified() => {}
                }
                continue;
            }
        };
    }
}
