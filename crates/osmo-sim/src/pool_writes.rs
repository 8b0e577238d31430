//! Writing pools, with the service's order of effects (so some 500s still change the pool and
//! write history, as captured): `PUT /api/configs/pool {configs: {name: Pool}}` (no backend
//! check), `PUT /api/configs/pool/{name} {configs: Pool}` and `PATCH /api/configs/pool/{name}
//! {configs_dict}` (stored and recorded, then the backend is looked up: 500 if it is unknown),
//! `DELETE /api/configs/pool/{name}` (deleted and recorded, then a 500 if the deleted pool's
//! backend is gone; unknown pools answer 200).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Extension;
use serde_json::{json, Map, Value};

use crate::auth::Caller;
use crate::dialect::Dialect;
use crate::errors::{ok_json, ApiError, ApiResult};
use crate::history::record_pools;
use crate::merge_patch;
use crate::params;
use crate::pool_model::{config_name_valid, parse_pool};
use crate::pool_templates::resolve;
use crate::pool_views::verbose;
use crate::pydantic::{error_text, loc, missing, type_error, Expected};
use crate::state::{PoolRecord, Shared, SimState};
use crate::timestamps;

fn check_name(kind: &str, name: &str) -> Result<(), ApiError> {
    if config_name_valid(name) {
        return Ok(());
    }
    Err(ApiError::user(format!(
        "{kind} name \"{name}\" is not valid! Name can only be alphanumeric and contain dash or underscore."
    )))
}

fn check_platform_names(platforms: Option<&Value>) -> Result<(), ApiError> {
    for name in platforms
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|m| m.keys())
    {
        check_name("Platform", name)?;
    }
    Ok(())
}

fn backend_exists(db: &SimState, name: &str) -> Result<(), ApiError> {
    if db.backends.contains_key(name) {
        Ok(())
    } else {
        Err(ApiError::Internal(format!("Backend {name} is not found.")))
    }
}

/// `Pool.insert_into_db`: resolves the template names (refusing unknown ones), checks the
/// backend of a pool with topology keys, then stores the pool.
fn insert(db: &mut SimState, name: &str, config: Map<String, Value>) -> Result<(), ApiError> {
    resolve(&config)?;
    let has_topology = config
        .get("topology_keys")
        .and_then(Value::as_array)
        .is_some_and(|k| !k.is_empty());
    if has_topology {
        let backend = config
            .get("backend")
            .and_then(Value::as_str)
            .unwrap_or_default();
        backend_exists(db, backend)?;
    }
    db.pools.insert(
        name.to_string(),
        PoolRecord {
            name: name.to_string(),
            config,
        },
    );
    Ok(())
}

/// Stores validated pools the way `PUT /api/configs/pool` does (names checked first; a refused
/// pool stops the loop, the ones before it stay). Records no history.
pub(crate) fn put_pools(
    db: &mut SimState,
    pools: Vec<(String, Map<String, Value>)>,
) -> Result<(), ApiError> {
    for (name, config) in &pools {
        check_name("Pool", name)?;
        check_platform_names(config.get("platforms"))?;
    }
    for (name, config) in pools {
        insert(db, &name, config)?;
    }
    Ok(())
}

/// A required body field, or the 422 for its absence.
fn required<'a>(
    dialect: Dialect,
    map: &'a Map<String, Value>,
    field: &str,
    errors: &mut Vec<Value>,
) -> Option<&'a Value> {
    let v = map.get(field);
    if v.is_none() {
        errors.push(missing(
            dialect,
            &[json!("body"), json!(field)],
            &Value::Object(map.clone()),
        ));
    }
    v
}

/// `PUT /api/configs/pool {"configs": {name: Pool}, "description"?, "tags"?}`.
pub(crate) async fn put_all(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> ApiResult {
    let d = shared.dialect;
    let map = params::required_object(d, &body)?;
    let mut errors = Vec::new();
    let mut pools = Vec::new();
    match required(d, &map, "configs", &mut errors) {
        Some(Value::Object(configs)) => {
            for (name, p) in configs {
                let loc = [json!("body"), json!("configs"), json!(name.as_str())];
                if let Some(config) = parse_pool(d, p, &loc, &mut errors) {
                    pools.push((name.clone(), config));
                }
            }
        }
        Some(other) => errors.push(type_error(
            d,
            &loc(&["body", "configs"]),
            Expected::Dict,
            other,
        )),
        None => {}
    }
    let (description, tags) = params::description_and_tags(d, &map, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let mut db = shared.db();
    put_pools(&mut db, pools)?;
    let description = description.unwrap_or_else(|| "Set all pool configurations".into());
    record_pools(&mut db, "", &caller.user, description, tags);
    Ok(ok_json(Value::Null))
}

/// `PUT /api/configs/pool/{name} {"configs": Pool, "description"?, "tags"?}`.
pub(crate) async fn put_one(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
    body: Bytes,
) -> ApiResult {
    let d = shared.dialect;
    let map = params::required_object(d, &body)?;
    let mut errors = Vec::new();
    let config = required(d, &map, "configs", &mut errors)
        .and_then(|p| parse_pool(d, p, &loc(&["body", "configs"]), &mut errors));
    let (description, tags) = params::description_and_tags(d, &map, &mut errors);
    let (Some(config), true) = (config, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    check_name("Pool", &name)?;
    check_platform_names(config.get("platforms"))?;
    let backend = config
        .get("backend")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let mut db = shared.db();
    insert(&mut db, &name, config)?;
    let description = description.unwrap_or_else(|| format!("Put complete pool {name}"));
    record_pools(&mut db, &name, &caller.user, description, tags);
    backend_exists(&db, &backend)?;
    Ok(ok_json(Value::Null))
}

/// `PATCH /api/configs/pool/{name} {"configs_dict", "description"?, "tags"?}`: the patch is
/// merged into the pool as fetched (timeouts filled in, status and heartbeat of the old backend,
/// which the answer keeps), validated like a `Pool` (a 500 with pydantic's text if it fails) and
/// stored whole.
pub(crate) async fn patch(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
    body: Bytes,
) -> ApiResult {
    let d = shared.dialect;
    let map = params::required_object(d, &body)?;
    let mut errors = Vec::new();
    let patch = match required(d, &map, "configs_dict", &mut errors) {
        Some(Value::Object(p)) => Some(p.clone()),
        Some(other) => {
            errors.push(type_error(
                d,
                &loc(&["body", "configs_dict"]),
                Expected::Dict,
                other,
            ));
            None
        }
        None => None,
    };
    let (description, tags) = params::description_and_tags(d, &map, &mut errors);
    let (Some(patch), true) = (patch, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    check_platform_names(patch.get("platforms"))?;
    let now = timestamps::now();
    let mut db = shared.db();
    let current = db
        .pools
        .get(&name)
        .map(|p| verbose(d, p, &db, now, true))
        .ok_or_else(|| ApiError::user(format!("Pool {name} not found")))?;
    let merged = merge_patch::merge(&current, &patch);
    let mut errors = Vec::new();
    let Some(config) = parse_pool(d, &Value::Object(merged.clone()), &[], &mut errors) else {
        return Err(ApiError::Internal(error_text(d, "Pool", &errors)));
    };
    let backend = config
        .get("backend")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    insert(&mut db, &name, config)?;
    let description = description.unwrap_or_else(|| format!("Patch pool {name}"));
    record_pools(&mut db, &name, &caller.user, description, tags);
    backend_exists(&db, &backend)?;
    let mut answer = db
        .pools
        .get(&name)
        .map(|p| verbose(d, p, &db, now, false))
        .unwrap_or_default();
    for key in ["name", "status", "last_heartbeat"] {
        if let Some(v) = merged.get(key) {
            answer.insert(key.into(), v.clone());
        }
    }
    Ok(ok_json(Value::Object(answer)))
}

/// `DELETE /api/configs/pool/{name} {"description"?, "tags"?}` (the body is required).
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
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let mut db = shared.db();
    let removed = db.pools.remove(&name);
    let description = description.unwrap_or_else(|| format!("Delete pool {name}"));
    record_pools(&mut db, &name, &caller.user, description, tags);
    match removed {
        Some(pool) => backend_exists(&db, pool.backend()).map(|()| ok_json(Value::Null)),
        None => Ok(ok_json(Value::Null)),
    }
}
