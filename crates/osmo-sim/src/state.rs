//! The simulated service's database: tokens, users, backends, pools and config history, plus the
//! per-simulator settings (dialect, auth mode, JWT key) shared by every request handler.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::{Map, Value};

use crate::dialect::Dialect;
use crate::faults::FaultState;

/// Roles that exist in a fresh OSMO database.
pub(crate) const BUILTIN_ROLES: [&str; 5] = [
    "osmo-admin",
    "osmo-backend",
    "osmo-ctrl",
    "osmo-default",
    "osmo-user",
];

/// The caller's user name when dev mode gets no `x-osmo-user` header.
pub(crate) const DEV_USER: &str = "testuser";

/// 6.0 distinguishes service from personal tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Service,
    User,
}

impl TokenKind {
    pub(crate) fn access_type(self) -> &'static str {
        match self {
            Self::Service => "SERVICE",
            Self::User => "USER",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct TokenRecord {
    pub user_name: String,
    pub token_name: String,
    /// SHA-256 of the token value; the value itself is never stored.
    pub hash: [u8; 32],
    pub expires_at: NaiveDate,
    pub description: String,
    pub kind: TokenKind,
    pub roles: Vec<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

impl TokenRecord {
    /// Expired when `expires_at` is today or earlier (UTC), like the service.
    pub(crate) fn is_expired(&self, today: NaiveDate) -> bool {
        self.expires_at <= today
    }
}

#[derive(Clone, Debug)]
pub(crate) struct RoleGrant {
    pub role_name: String,
    pub assigned_by: String,
    pub assigned_at: NaiveDateTime,
}

#[derive(Clone, Debug)]
pub(crate) struct UserRecord {
    pub id: String,
    pub created_at: NaiveDateTime,
    pub created_by: String,
    pub roles: Vec<RoleGrant>,
}

#[derive(Clone, Debug)]
pub(crate) struct SchedulerSettings {
    pub scheduler_type: String,
    pub scheduler_name: String,
    pub coscheduling: bool,
    pub scheduler_timeout: i64,
}

impl SchedulerSettings {
    pub(crate) fn defaults(dialect: Dialect) -> Self {
        match dialect {
            Dialect::V6_0 => Self {
                scheduler_type: "default".into(),
                scheduler_name: "default-scheduler".into(),
                coscheduling: false,
                scheduler_timeout: 30,
            },
            Dialect::V6_2 | Dialect::V6_4 => Self {
                scheduler_type: "kai".into(),
                scheduler_name: "kai-scheduler".into(),
                coscheduling: false,
                scheduler_timeout: 30,
            },
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct BackendRecord {
    pub name: String,
    pub description: String,
    pub version: String,
    pub k8s_uid: String,
    pub k8s_namespace: String,
    pub dashboard_url: String,
    pub grafana_url: String,
    pub tests: Vec<String>,
    pub scheduler: SchedulerSettings,
    pub node_condition_rules: Value,
    pub node_condition_prefix: String,
    pub last_heartbeat: NaiveDateTime,
    pub created_date: NaiveDateTime,
    pub router_address: String,
}

#[derive(Clone, Debug)]
pub(crate) struct HistoryEntry {
    pub config_type: String,
    pub name: String,
    pub revision: u64,
    pub username: String,
    pub created_at: NaiveDateTime,
    pub description: String,
    pub tags: Option<Vec<String>>,
    pub data: Value,
    /// Who soft-deleted this revision (`DELETE /api/configs/history/{type}/revision/{n}`).
    pub deleted_by: Option<String>,
}

#[derive(Clone, Debug)]
pub(crate) struct PoolRecord {
    pub name: String,
    /// The editable `Pool` fields as stored (see `pool_model`).
    pub config: Map<String, Value>,
}

impl PoolRecord {
    pub(crate) fn backend(&self) -> &str {
        self.config
            .get("backend")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    pub(crate) fn enable_maintenance(&self) -> bool {
        self.config
            .get("enable_maintenance")
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }
}

/// Everything the simulated database holds.
#[derive(Debug)]
pub(crate) struct SimState {
    pub tokens: Vec<TokenRecord>,
    pub users: Vec<UserRecord>,
    pub backends: BTreeMap<String, BackendRecord>,
    pub history: Vec<HistoryEntry>,
    /// Per config type, revisions the service had used before the simulator's first (seeded)
    /// entry; the next revision is above both these and every stored one.
    pub revisions_used: BTreeMap<String, u64>,
    /// Pools by name.
    pub pools: BTreeMap<String, PoolRecord>,
    /// Backends whose heartbeat a simulated operator keeps fresh.
    pub keep_alive: BTreeSet<String>,
}

impl SimState {
    pub(crate) fn new() -> Self {
        Self {
            tokens: Vec::new(),
            users: Vec::new(),
            backends: BTreeMap::new(),
            history: Vec::new(),
            revisions_used: BTreeMap::new(),
            pools: BTreeMap::new(),
            keep_alive: BTreeSet::new(),
        }
    }

    pub(crate) fn user(&self, id: &str) -> Option<&UserRecord> {
        self.users.iter().find(|u| u.id == id)
    }

    pub(crate) fn user_role_names(&self, id: &str) -> Vec<String> {
        self.user(id)
            .map(|u| u.roles.iter().map(|r| r.role_name.clone()).collect())
            .unwrap_or_default()
    }
}

/// Settings and state shared by all handlers of one simulator.
#[derive(Debug)]
pub(crate) struct Shared {
    pub dialect: Dialect,
    pub require_auth: bool,
    pub jwt_key: Vec<u8>,
    pub jwt_lifetime: Duration,
    pub state: Mutex<SimState>,
    pub faults: Mutex<FaultState>,
    /// Flipped to `true` when the simulator shuts down (ends WebSocket sessions).
    pub closing: tokio::sync::watch::Sender<bool>,
}

impl Shared {
    pub(crate) fn db(&self) -> MutexGuard<'_, SimState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn faults(&self) -> MutexGuard<'_, FaultState> {
        self.faults.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
