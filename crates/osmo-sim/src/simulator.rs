//! Starting and driving a simulator from Rust: [`Simulator::start`] and [`SimHandle`] (URLs,
//! seeding after start, direct state access for tests, fault control, shutdown on drop or
//! [`SimHandle::shutdown`]).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use chrono::{NaiveDate, NaiveDateTime};
use rand::RngCore;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::backends::{self, backend_json};
use crate::config::SimConfig;
use crate::dialect::Dialect;
use crate::errors::SimError;
use crate::faults::{FaultConfig, FaultState, FaultStats};
use crate::jwt::{self, JwtClaims};
use crate::seed::{
    add_backend, add_token, apply_seed, pool_record, rejected, SeedBackend, SeedPool, SeedToken,
};
use crate::state::{Shared, SimState};
use crate::{keep_alive, routes, server, timestamps, users};

/// A token created while seeding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeededToken {
    /// Owner (6.0 service tokens: the token name).
    pub user: String,
    /// Token name.
    pub name: String,
    /// The secret value, as the creating POST would have returned it.
    pub value: String,
}

/// A backend as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct BackendState {
    /// Name.
    pub name: String,
    /// Cluster UID.
    pub k8s_uid: String,
    /// Operator version.
    pub version: String,
    /// Last heartbeat (naive UTC).
    pub last_heartbeat: NaiveDateTime,
    /// Creation time (naive UTC).
    pub created_date: NaiveDateTime,
    /// Online now (heartbeat within 2 minutes).
    pub online: bool,
    /// The JSON `GET /api/configs/backend/{name}` would return.
    pub json: Value,
}

/// A token as stored (the value itself is never kept).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenState {
    /// Owner.
    pub user_name: String,
    /// Name.
    pub token_name: String,
    /// Expiry date (expired when ≤ today UTC).
    pub expires_at: NaiveDate,
    /// Roles.
    pub roles: Vec<String>,
    /// `SERVICE` or `USER` (6.0 meaning; 6.2+ tokens are `USER`).
    pub access_type: String,
    /// Description.
    pub description: String,
    /// SHA-256 of the value: tells a token created again under the same name from the first
    /// (whose value then works no more).
    pub value_sha256: [u8; 32],
}

/// Entry point.
pub struct Simulator;

impl Simulator {
    /// Seeds the state, binds the listener and starts serving.
    pub async fn start(config: SimConfig) -> Result<SimHandle, SimError> {
        let mut db = SimState::new();
        let seeded = apply_seed(config.dialect, &mut db, &config.seed)?;
        let mut key = vec![0u8; 32];
        rand::rng().fill_bytes(&mut key);
        let (closing, _) = tokio::sync::watch::channel(false);
        let shared = Arc::new(Shared {
            dialect: config.dialect,
            require_auth: config.require_auth,
            jwt_key: key,
            jwt_lifetime: config.jwt_lifetime,
            state: Mutex::new(db),
            faults: Mutex::new(FaultState::default()),
            closing,
        });
        let listener = TcpListener::bind(config.bind)
            .await
            .map_err(|source| SimError::Bind {
                addr: config.bind.to_string(),
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| SimError::Bind {
            addr: config.bind.to_string(),
            source,
        })?;
        let (tx, rx) = oneshot::channel();
        let task = tokio::spawn(server::serve(listener, routes::app(shared.clone()), rx));
        let operators = tokio::spawn(keep_alive::run(shared.clone(), config.keep_alive_period));
        Ok(SimHandle {
            addr,
            shared,
            seeded,
            stop: Some(tx),
            task: Some(task),
            operators,
        })
    }
}

/// A running simulator. Dropping it stops the server.
pub struct SimHandle {
    addr: SocketAddr,
    shared: Arc<Shared>,
    seeded: Vec<SeededToken>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    operators: JoinHandle<()>,
}

impl std::fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimHandle")
            .field("addr", &self.addr)
            .field("dialect", &self.shared.dialect)
            .finish()
    }
}

impl SimHandle {
    /// Listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `ws://127.0.0.1:PORT` (same server; append `/api/agent/listener/heartbeat/backend/NAME`).
    pub fn ws_url(&self) -> String {
        format!("ws://{}", self.addr)
    }

    /// The simulated dialect.
    pub fn dialect(&self) -> Dialect {
        self.shared.dialect
    }

    /// Tokens created from the seed (including the 6.2+ `default-admin-token`).
    pub fn seeded_tokens(&self) -> &[SeededToken] {
        &self.seeded
    }

    /// Value of a seeded token by name.
    pub fn seeded_token(&self, name: &str) -> Option<&str> {
        self.seeded
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.value.as_str())
    }

    /// Connects a backend now (as its operator's `init` would).
    pub fn add_backend(&self, b: SeedBackend) -> Result<(), SimError> {
        add_backend(self.shared.dialect, &mut self.shared.db(), &b)
    }

    /// Adds or replaces a pool.
    pub fn add_pool(&self, p: SeedPool) {
        let record = pool_record(self.shared.dialect, &p);
        self.shared.db().pools.insert(p.name, record);
    }

    /// 6.2+: creates a user with roles.
    pub fn create_user(&self, id: &str, roles: &[&str]) -> Result<(), SimError> {
        let roles: Vec<String> = roles.iter().map(|r| r.to_string()).collect();
        users::create_user(&mut self.shared.db(), id, &roles, "admin", "admin")
            .map(|_| ())
            .map_err(rejected)
    }

    /// Creates a token with the server's validation; returns its value.
    pub fn create_token(&self, token: SeedToken) -> Result<String, SimError> {
        add_token(self.shared.dialect, &mut self.shared.db(), &token, "admin").map(|t| t.value)
    }

    /// Forces a backend's last heartbeat; `false` if there is no such backend.
    pub fn set_last_heartbeat(&self, backend: &str, t: NaiveDateTime) -> bool {
        let mut db = self.shared.db();
        db.backends
            .get_mut(backend)
            .map(|b| b.last_heartbeat = t)
            .is_some()
    }

    /// Starts or stops the simulated operator heartbeat of a backend; `false` if there is no
    /// such backend.
    pub fn set_keep_alive(&self, backend: &str, on: bool) -> bool {
        let mut db = self.shared.db();
        if !db.backends.contains_key(backend) {
            return false;
        }
        if on {
            db.keep_alive.insert(backend.to_string());
        } else {
            db.keep_alive.remove(backend);
        }
        true
    }

    /// A backend's stored state.
    pub fn backend(&self, name: &str) -> Option<BackendState> {
        let now = timestamps::now();
        let db = self.shared.db();
        db.backends.get(name).map(|b| BackendState {
            name: b.name.clone(),
            k8s_uid: b.k8s_uid.clone(),
            version: b.version.clone(),
            last_heartbeat: b.last_heartbeat,
            created_date: b.created_date,
            online: backends::is_online(b, now),
            json: backend_json(self.shared.dialect, b, now),
        })
    }

    /// All tokens.
    pub fn tokens(&self) -> Vec<TokenState> {
        self.shared
            .db()
            .tokens
            .iter()
            .map(|t| TokenState {
                user_name: t.user_name.clone(),
                token_name: t.token_name.clone(),
                expires_at: t.expires_at,
                roles: t.roles.clone(),
                access_type: t.kind.access_type().into(),
                description: t.description.clone(),
                value_sha256: t.hash,
            })
            .collect()
    }

    /// Whether token `name` of `user` exists (6.0 service tokens: `user` = `name`).
    pub fn token_exists(&self, user: &str, name: &str) -> bool {
        self.shared
            .db()
            .tokens
            .iter()
            .any(|t| t.user_name == user && t.token_name == name)
    }

    /// Rewrites a token's expiry date (e.g. to today, which makes it expired); `false` if absent.
    pub fn set_token_expires_at(&self, user: &str, name: &str, date: NaiveDate) -> bool {
        let mut db = self.shared.db();
        let mut found = false;
        for t in db
            .tokens
            .iter_mut()
            .filter(|t| t.user_name == user && t.token_name == name)
        {
            t.expires_at = date;
            found = true;
        }
        found
    }

    /// Number of config-history revisions of a config type (e.g. `BACKEND`).
    pub fn history_revisions(&self, config_type: &str) -> usize {
        self.shared
            .db()
            .history
            .iter()
            .filter(|h| h.config_type == config_type)
            .count()
    }

    /// Issues a JWT directly (as the exchange would), valid for the configured lifetime.
    pub fn issue_jwt(&self, user: &str, roles: &[&str], token_name: Option<&str>) -> String {
        let now = chrono::Utc::now().timestamp();
        let lifetime = i64::try_from(self.shared.jwt_lifetime.as_secs()).unwrap_or(300);
        let claims = JwtClaims {
            iss: "osmo".into(),
            aud: "osmo".into(),
            iat: now,
            nbf: now,
            exp: now + lifetime,
            unique_name: user.into(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            osmo_token_name: token_name.map(str::to_string),
        };
        jwt::sign(&self.shared.jwt_key, &claims)
    }

    /// Decodes and verifies a JWT issued by this simulator (`None` if invalid or expired).
    pub fn verify_jwt(&self, token: &str) -> Option<JwtClaims> {
        jwt::verify(&self.shared.jwt_key, token, chrono::Utc::now().timestamp()).ok()
    }

    /// Replaces the fault configuration.
    pub fn set_faults(&self, config: FaultConfig) {
        self.shared.faults().config = config;
    }

    /// Removes all faults.
    pub fn clear_faults(&self) {
        self.shared.faults().config = FaultConfig::default();
    }

    /// Current fault configuration (burst counters count down as they fire).
    pub fn faults(&self) -> FaultConfig {
        self.shared.faults().config.clone()
    }

    /// Faults injected so far.
    pub fn fault_stats(&self) -> FaultStats {
        self.shared.faults().stats.clone()
    }

    fn signal_stop(&mut self) {
        self.shared.closing.send_replace(true);
        self.operators.abort();
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }

    /// Stops accepting, closes open connections and WebSockets, and waits for the server task.
    pub async fn shutdown(mut self) {
        self.signal_stop();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        self.signal_stop();
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
