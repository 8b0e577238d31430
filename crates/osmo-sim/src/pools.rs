//! Reading pools: `GET /api/configs/pool[/{name}]` (admin views, `verbose`, `backend` filter),
//! `GET /api/pool` (user view), `GET /api/pool_quota` (what `osmo pool list` shows) and
//! `GET /api/configs/role`. The shapes are in `pool_views`; writes are in `pool_writes`.

use std::sync::{Arc, OnceLock};

use axum::extract::{Path, RawQuery, State};
use serde_json::{json, Map, Value};

use crate::errors::{ok_json, ApiError, ApiResult};
use crate::params::QueryParams;
use crate::pool_views::{list_entry, minimal, quota, single, verbose, zero_usage};
use crate::state::Shared;
use crate::timestamps;

/// Roles list of `GET /api/configs/role` (the captured 6.0 defaults).
pub(crate) fn roles_json() -> &'static Value {
    static ROLES: OnceLock<Value> = OnceLock::new();
    ROLES.get_or_init(|| {
        serde_json::from_str(include_str!("../data/roles-6.0.json")).unwrap_or(Value::Null)
    })
}

/// `GET /api/configs/pool?verbose&backend`, pools by name.
pub(crate) async fn config_list(
    State(shared): State<Arc<Shared>>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let d = shared.dialect;
    let q = QueryParams::parse(q.as_deref());
    let verbose_view = q.bool(d, "verbose")?.unwrap_or(false);
    let backend = q.get("backend");
    let now = timestamps::now();
    let db = shared.db();
    let pools: Map<String, Value> = db
        .pools
        .values()
        .filter(|p| backend.is_none_or(|b| p.backend() == b))
        .map(|p| {
            let v = if verbose_view {
                verbose(d, p, &db, now, false)
            } else {
                list_entry(d, p, &db, now)
            };
            (p.name.clone(), Value::Object(v))
        })
        .collect();
    Ok(ok_json(json!({ "pools": pools })))
}

/// `GET /api/configs/pool/{name}?verbose`; unknown pools are a 400.
pub(crate) async fn config_get(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let q = QueryParams::parse(q.as_deref());
    let verbose_view = q.bool(shared.dialect, "verbose")?.unwrap_or(false);
    let now = timestamps::now();
    let db = shared.db();
    let pool = db
        .pools
        .get(&name)
        .ok_or_else(|| ApiError::user(format!("Pool {name} not found.")))?;
    let v = if verbose_view {
        verbose(shared.dialect, pool, &db, now, true)
    } else {
        single(pool, &db, now)
    };
    Ok(ok_json(Value::Object(v)))
}

/// `GET /api/pool`: the user view (`all_pools` and the like are accepted and ignored).
pub(crate) async fn user_list(State(shared): State<Arc<Shared>>) -> ApiResult {
    let now = timestamps::now();
    let db = shared.db();
    let pools: Map<String, Value> = db
        .pools
        .values()
        .map(|p| (p.name.clone(), Value::Object(minimal(p, &db, now))))
        .collect();
    Ok(ok_json(json!({ "pools": pools })))
}

/// `GET /api/pool_quota?pools&all_pools`: one node set per pool (the simulated backends have no
/// nodes, so every usage figure is 0); `pools` narrows the list.
pub(crate) async fn quota_list(
    State(shared): State<Arc<Shared>>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let q = QueryParams::parse(q.as_deref());
    let wanted = q.all("pools");
    let now = timestamps::now();
    let db = shared.db();
    let node_sets: Vec<Value> = db
        .pools
        .values()
        .filter(|p| wanted.is_empty() || wanted.contains(&p.name))
        .map(|p| json!({"pools": [quota(p, &db, now)]}))
        .collect();
    Ok(ok_json(
        json!({"node_sets": node_sets, "resource_sum": zero_usage()}),
    ))
}

/// `GET /api/configs/role`.
pub(crate) async fn roles() -> ApiResult {
    Ok(ok_json(roles_json().clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_roles_parse() {
        assert!(roles_json().is_array());
    }
}
