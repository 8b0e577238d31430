//! Initial contents of a simulator: backends (as if their operator had connected), pools, users
//! (6.2+), access tokens, and the 6.2+ default admin; deserializable from the binary's `--seed`
//! JSON file, and applied to a fresh state with the service's validation.

use std::collections::BTreeMap;

use base64::Engine as _;
use chrono::{Duration as ChronoDuration, NaiveDate, NaiveDateTime};
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::backends::{self, Connect};
use crate::dialect::Dialect;
use crate::errors::{ApiError, SimError};
use crate::simulator::SeededToken;
use crate::state::{PoolRecord, SimState, TokenKind, TokenRecord};
use crate::tokens::{self, NewToken};
use crate::{history, pool_model, timestamps, users};

/// A backend that has connected (created through the listener `init` path, so it gets a
/// "Create backend" history revision).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedBackend {
    /// Backend name.
    pub name: String,
    /// Cluster UID (default `fake-uid-<name>`).
    #[serde(default)]
    pub k8s_uid: Option<String>,
    /// Workflow namespace (default `osmo-workflows`).
    #[serde(default)]
    pub k8s_namespace: Option<String>,
    /// Operator version (default: the service version).
    #[serde(default)]
    pub version: Option<String>,
    /// Node condition prefix (default `osmo.nvidia.com/`).
    #[serde(default)]
    pub node_condition_prefix: Option<String>,
    /// Last heartbeat, naive UTC (default: now, i.e. online).
    #[serde(default)]
    pub last_heartbeat: Option<NaiveDateTime>,
    /// Keep it online with a simulated operator heartbeat (see `SimConfig::keep_alive_period`).
    #[serde(default)]
    pub keep_alive: bool,
}

impl SeedBackend {
    /// A backend with defaults, online now.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            k8s_uid: None,
            k8s_namespace: None,
            version: None,
            node_condition_prefix: None,
            last_heartbeat: None,
            keep_alive: false,
        }
    }

    /// Keeps the backend online with a simulated operator heartbeat.
    pub fn keep_alive(mut self) -> Self {
        self.keep_alive = true;
        self
    }

    /// Sets the last heartbeat (an old time makes the backend offline).
    pub fn last_heartbeat(mut self, t: NaiveDateTime) -> Self {
        self.last_heartbeat = Some(t);
        self
    }

    /// Sets the cluster UID.
    pub fn k8s_uid(mut self, uid: impl Into<String>) -> Self {
        self.k8s_uid = Some(uid.into());
        self
    }
}

/// A pool bound to a backend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedPool {
    /// Pool name.
    pub name: String,
    /// Backend the pool runs on.
    pub backend: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Maintenance mode (status MAINTENANCE).
    #[serde(default)]
    pub enable_maintenance: bool,
}

/// A config-history revision the simulated service already had (BACKEND or POOL), e.g. from
/// sessions before a capture. It holds the data of its config type at seeding time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedRevision {
    /// `BACKEND` or `POOL`.
    pub config_type: String,
    /// Revision number: above every revision of that type so far (gaps are revisions the
    /// simulator does not hold; they are never listed).
    pub revision: u64,
    /// Config name (`""` for whole-type writes).
    pub name: String,
    /// Who wrote it.
    pub username: String,
    /// Description.
    pub description: String,
    /// Tags (`None` is the service's `null`).
    #[serde(default)]
    pub tags: Option<Vec<String>>,
}

impl SeedRevision {
    /// A revision without tags (`null`).
    pub fn new(
        config_type: impl Into<String>,
        revision: u64,
        name: impl Into<String>,
        username: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        Self {
            config_type: config_type.into(),
            revision,
            name: name.into(),
            username: username.into(),
            description: description.into(),
            tags: None,
        }
    }

    /// Sets the tags.
    pub fn tags(mut self, tags: &[&str]) -> Self {
        self.tags = Some(tags.iter().map(|t| t.to_string()).collect());
        self
    }
}

/// A 6.2+ user with roles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedUser {
    /// User id.
    pub id: String,
    /// Roles (must be built-in roles).
    #[serde(default)]
    pub roles: Vec<String>,
}

/// An access token. At 6.0 with `user: None` it is a service token (its user is its name);
/// otherwise a token of `user`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedToken {
    /// Token name.
    pub name: String,
    /// Owner (6.0: `None` = service token; 6.2+: required).
    #[serde(default)]
    pub user: Option<String>,
    /// Expiry date (default today + 31 days, the CLI default).
    #[serde(default)]
    pub expires_at: Option<NaiveDate>,
    /// Roles (6.0 personal tokens always get `osmo-user`; 6.2+ empty = inherit the user's).
    #[serde(default)]
    pub roles: Vec<String>,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Fixed token value (default: random, readable from [`crate::SimHandle::seeded_tokens`]).
    #[serde(default)]
    pub value: Option<String>,
}

impl SeedToken {
    /// A 6.0 service token with roles.
    pub fn service(name: impl Into<String>, roles: &[&str]) -> Self {
        Self {
            name: name.into(),
            user: None,
            expires_at: None,
            roles: roles.iter().map(|r| r.to_string()).collect(),
            description: String::new(),
            value: None,
        }
    }

    /// A token of `user` with roles.
    pub fn for_user(user: impl Into<String>, name: impl Into<String>, roles: &[&str]) -> Self {
        Self {
            user: Some(user.into()),
            ..Self::service(name, roles)
        }
    }

    /// Sets the expiry date.
    pub fn expires_at(mut self, date: NaiveDate) -> Self {
        self.expires_at = Some(date);
        self
    }
}

fn default_true() -> bool {
    true
}

/// Everything a simulator starts with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// Create pool `default` on backend `default`, as every real service does (default true).
    #[serde(default = "default_true")]
    pub default_pool: bool,
    /// 6.2+: create this admin user (role `osmo-admin`) and its `default-admin-token`, as
    /// `--default_admin_username` does.
    #[serde(default)]
    pub default_admin: Option<String>,
    /// Backends, connected in this order.
    #[serde(default)]
    pub backends: Vec<SeedBackend>,
    /// Extra pools.
    #[serde(default)]
    pub pools: Vec<SeedPool>,
    /// Users (6.2+).
    #[serde(default)]
    pub users: Vec<SeedUser>,
    /// Tokens.
    #[serde(default)]
    pub tokens: Vec<SeedToken>,
    /// Config-history revisions the service already had, applied after backends and pools.
    #[serde(default)]
    pub history: Vec<SeedRevision>,
    /// Per config type, the last revision number already used (by history the simulator does
    /// not hold); the next write of that type gets a higher one.
    #[serde(default)]
    pub revisions_used: BTreeMap<String, u64>,
}

impl Default for Seed {
    fn default() -> Self {
        Self {
            default_pool: true,
            default_admin: None,
            backends: vec![],
            pools: vec![],
            users: vec![],
            tokens: vec![],
            history: vec![],
            revisions_used: BTreeMap::new(),
        }
    }
}

pub(crate) fn rejected(e: ApiError) -> SimError {
    SimError::Rejected(match e {
        ApiError::User(m)
        | ApiError::Usage(m)
        | ApiError::Internal(m)
        | ApiError::Middleware(m) => m,
        other => format!("{other:?}"),
    })
}

/// A seeded pool: the default pool's settings with this name, backend, description and
/// maintenance flag.
pub(crate) fn pool_record(dialect: Dialect, p: &SeedPool) -> PoolRecord {
    let mut config = pool_model::default_pool(dialect);
    config.insert("backend".into(), p.backend.clone().into());
    config.insert("description".into(), p.description.clone().into());
    config.insert("enable_maintenance".into(), p.enable_maintenance.into());
    PoolRecord {
        name: p.name.clone(),
        config,
    }
}

pub(crate) fn add_backend(
    dialect: Dialect,
    db: &mut SimState,
    b: &SeedBackend,
) -> Result<(), SimError> {
    let uid = b
        .k8s_uid
        .clone()
        .unwrap_or_else(|| format!("fake-uid-{}", b.name));
    let c = Connect {
        name: &b.name,
        k8s_uid: &uid,
        k8s_namespace: b.k8s_namespace.as_deref().unwrap_or("osmo-workflows"),
        version: &b
            .version
            .clone()
            .unwrap_or_else(|| dialect.version_string()),
        node_condition_prefix: b
            .node_condition_prefix
            .as_deref()
            .unwrap_or("osmo.nvidia.com/"),
    };
    backends::connect(dialect, db, &c).map_err(SimError::Rejected)?;
    if let (Some(t), Some(rec)) = (b.last_heartbeat, db.backends.get_mut(&b.name)) {
        rec.last_heartbeat = t;
    }
    if b.keep_alive {
        db.keep_alive.insert(b.name.clone());
    }
    Ok(())
}

pub(crate) fn add_token(
    dialect: Dialect,
    db: &mut SimState,
    t: &SeedToken,
    created_by: &str,
) -> Result<SeededToken, SimError> {
    let (user, kind, roles) = match (dialect, &t.user) {
        (Dialect::V6_0, None) => (t.name.clone(), TokenKind::Service, t.roles.clone()),
        (Dialect::V6_0, Some(u)) => (u.clone(), TokenKind::User, vec!["osmo-user".to_string()]),
        (Dialect::V6_2 | Dialect::V6_4, Some(u)) => (u.clone(), TokenKind::User, t.roles.clone()),
        (Dialect::V6_2 | Dialect::V6_4, None) => {
            return Err(SimError::Rejected(format!(
                "token {} needs a user at 6.2+",
                t.name
            )))
        }
    };
    let expires = t
        .expires_at
        .unwrap_or_else(|| timestamps::today() + ChronoDuration::days(31));
    let value = tokens::create_token(
        dialect,
        db,
        NewToken {
            user: user.clone(),
            name: t.name.clone(),
            expires_at: expires.format("%Y-%m-%d").to_string(),
            description: t.description.clone(),
            kind,
            roles,
            created_by: created_by.into(),
            value: t.value.clone(),
        },
    )
    .map_err(rejected)?;
    Ok(SeededToken {
        user,
        name: t.name.clone(),
        value,
    })
}

fn random_token_value() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

pub(crate) fn apply_seed(
    dialect: Dialect,
    db: &mut SimState,
    seed: &Seed,
) -> Result<Vec<SeededToken>, SimError> {
    history::record_initial(db);
    let mut seeded = Vec::new();
    if seed.default_pool {
        let config = pool_model::default_pool(dialect);
        db.pools.insert(
            "default".into(),
            PoolRecord {
                name: "default".into(),
                config,
            },
        );
    }
    if let (false, Some(admin)) = (dialect.is_v6_0(), &seed.default_admin) {
        users::create_user(db, admin, &["osmo-admin".to_string()], admin, "System")
            .map_err(rejected)?;
        let value = random_token_value();
        db.tokens.push(TokenRecord {
            user_name: admin.clone(),
            token_name: "default-admin-token".into(),
            hash: tokens::hash_token(&value),
            expires_at: timestamps::today() + ChronoDuration::days(3650),
            description: "Default admin access_token created during service initialization".into(),
            kind: TokenKind::User,
            roles: vec!["osmo-admin".into()],
            created_by: admin.clone(),
            created_at: timestamps::now(),
        });
        seeded.push(SeededToken {
            user: admin.clone(),
            name: "default-admin-token".into(),
            value,
        });
    }
    for b in &seed.backends {
        add_backend(dialect, db, b)?;
    }
    for p in &seed.pools {
        db.pools.insert(p.name.clone(), pool_record(dialect, p));
    }
    for r in &seed.history {
        history::add_seeded(dialect, db, r)?;
    }
    for (config_type, last) in &seed.revisions_used {
        history::mark_used(db, config_type, *last);
    }
    for u in &seed.users {
        if dialect == Dialect::V6_0 {
            return Err(SimError::Rejected("users exist only at 6.2+".into()));
        }
        users::create_user(db, &u.id, &u.roles, "admin", "admin").map_err(rejected)?;
    }
    for t in &seed.tokens {
        seeded.push(add_token(dialect, db, t, "admin")?);
    }
    Ok(seeded)
}
