//! Pools: `GET /api/configs/pool[/{name}]` (admin view, `verbose`, `backend` filter) and
//! `GET /api/pool` (user view). Pool bodies follow the captured service's default pool per
//! dialect (`data/pool-*.json`); `status` and `last_heartbeat` come from the pool's backend.

use std::sync::{Arc, OnceLock};

use axum::extract::{Path, RawQuery, State};
use chrono::NaiveDateTime;
use serde_json::{json, Map, Value};

use crate::backends::is_online;
use crate::dialect::Dialect;
use crate::errors::{ok_json, ApiError, ApiResult};
use crate::params::QueryParams;
use crate::state::{PoolRecord, Shared, SimState};
use crate::timestamps::{self, iso};

/// Which pool representation to render.
#[derive(Clone, Copy)]
pub(crate) enum PoolView {
    Config,
    Verbose,
    User,
}

impl PoolView {
    fn key(self) -> &'static str {
        match self {
            Self::Config => "config",
            Self::Verbose => "verbose",
            Self::User => "user",
        }
    }
}

fn templates(dialect: Dialect) -> &'static Value {
    static V60: OnceLock<Value> = OnceLock::new();
    static V62: OnceLock<Value> = OnceLock::new();
    static V64: OnceLock<Value> = OnceLock::new();
    match dialect {
        Dialect::V6_0 => V60.get_or_init(|| {
            serde_json::from_str(include_str!("../data/pool-6.0.json")).unwrap_or(Value::Null)
        }),
        // `config` as captured from 6.2.10 (osmo-6.2.10.json `pool_list`); `verbose` and `user`
        // were not captured at 6.2.x and are 6.4's.
        Dialect::V6_2 => V62.get_or_init(|| {
            serde_json::from_str(include_str!("../data/pool-6.2.json")).unwrap_or(Value::Null)
        }),
        Dialect::V6_4 => V64.get_or_init(|| {
            serde_json::from_str(include_str!("../data/pool-6.4.json")).unwrap_or(Value::Null)
        }),
    }
}

/// Roles list of `GET /api/configs/role` (the captured 6.0 defaults).
pub(crate) fn roles_json() -> &'static Value {
    static ROLES: OnceLock<Value> = OnceLock::new();
    ROLES.get_or_init(|| {
        serde_json::from_str(include_str!("../data/roles-6.0.json")).unwrap_or(Value::Null)
    })
}

pub(crate) fn pool_json(
    dialect: Dialect,
    view: PoolView,
    pool: &PoolRecord,
    db: &SimState,
    now: NaiveDateTime,
) -> Value {
    let mut v = templates(dialect)
        .get(view.key())
        .cloned()
        .unwrap_or_else(|| json!({}));
    let backend = db.backends.get(&pool.backend);
    let status = if pool.enable_maintenance {
        "MAINTENANCE"
    } else if backend.is_some_and(|b| is_online(b, now)) {
        "ONLINE"
    } else {
        "OFFLINE"
    };
    if let Value::Object(m) = &mut v {
        m.insert("name".into(), json!(pool.name));
        m.insert("description".into(), json!(pool.description));
        m.insert("backend".into(), json!(pool.backend));
        m.insert("enable_maintenance".into(), json!(pool.enable_maintenance));
        m.insert("status".into(), json!(status));
        if m.contains_key("last_heartbeat") {
            let hb = match (view, backend) {
                (PoolView::Verbose, Some(b)) => json!(iso(b.last_heartbeat)),
                _ => Value::Null,
            };
            m.insert("last_heartbeat".into(), hb);
        }
    }
    v
}

fn render(shared: &Shared, view: PoolView, backend: Option<&str>) -> Value {
    let now = timestamps::now();
    let db = shared.db();
    let mut pools = Map::new();
    for p in db
        .pools
        .iter()
        .filter(|p| backend.is_none_or(|b| p.backend == b))
    {
        pools.insert(p.name.clone(), pool_json(shared.dialect, view, p, &db, now));
    }
    json!({ "pools": pools })
}

/// `GET /api/configs/pool?verbose&backend`.
pub(crate) async fn config_list(
    State(shared): State<Arc<Shared>>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let q = QueryParams::parse(q.as_deref());
    let view = if q.bool(shared.dialect, "verbose")?.unwrap_or(false) {
        PoolView::Verbose
    } else {
        PoolView::Config
    };
    Ok(ok_json(render(&shared, view, q.get("backend"))))
}

/// `GET /api/configs/pool/{name}?verbose`.
pub(crate) async fn config_get(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let q = QueryParams::parse(q.as_deref());
    let view = if q.bool(shared.dialect, "verbose")?.unwrap_or(false) {
        PoolView::Verbose
    } else {
        PoolView::Config
    };
    let db = shared.db();
    let pool = db
        .pools
        .iter()
        .find(|p| p.name == name)
        .ok_or_else(|| ApiError::user(format!("Pool {name} does not exist")))?;
    Ok(ok_json(pool_json(
        shared.dialect,
        view,
        pool,
        &db,
        timestamps::now(),
    )))
}

/// `GET /api/pool`: the user view.
pub(crate) async fn user_list(State(shared): State<Arc<Shared>>) -> ApiResult {
    Ok(ok_json(render(&shared, PoolView::User, None)))
}

/// `GET /api/configs/role`.
pub(crate) async fn roles() -> ApiResult {
    Ok(ok_json(roles_json().clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_parses() {
        for d in [Dialect::V6_0, Dialect::V6_2, Dialect::V6_4] {
            for k in ["config", "verbose", "user"] {
                assert!(
                    templates(d).get(k).is_some_and(Value::is_object),
                    "{d:?} {k}"
                );
            }
        }
        assert!(roles_json().is_array());
    }
}
