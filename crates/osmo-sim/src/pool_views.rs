//! The shapes a stored pool is answered in, per dialect, as captured: the editable form
//! (`GET /api/configs/pool` at 6.4, POOL history data), 6.0/6.2's list (pydantic v1 turns the
//! editable form into the verbose model, so the verbose-only fields appear with their defaults),
//! a single pool (timeouts filled with the workflow defaults), the verbose form (parsed
//! templates and the backend's heartbeat), the minimal form of `GET /api/pool` and the
//! `GET /api/pool_quota` entries. `status` comes from the pool's backend.

use chrono::NaiveDateTime;
use serde_json::{json, Map, Value};

use crate::backends::is_online;
use crate::dialect::Dialect;
use crate::pool_model::PLATFORM_FIELDS;
use crate::pool_templates::{for_accounting, resolve};
use crate::state::{PoolRecord, SimState};
use crate::timestamps::iso;

/// The workflow config's default for empty pool timeouts (`Pool.fetch_from_db`).
const DEFAULT_TIMEOUT: &str = "60d";
const TIMEOUTS: [&str; 4] = [
    "default_exec_timeout",
    "default_queue_timeout",
    "max_exec_timeout",
    "max_queue_timeout",
];

/// `MAINTENANCE`, else `ONLINE` while the backend's heartbeat is fresh, else `OFFLINE`.
pub(crate) fn status(pool: &PoolRecord, db: &SimState, now: NaiveDateTime) -> &'static str {
    if pool.enable_maintenance() {
        "MAINTENANCE"
    } else if db
        .backends
        .get(pool.backend())
        .is_some_and(|b| is_online(b, now))
    {
        "ONLINE"
    } else {
        "OFFLINE"
    }
}

/// The editable form (`PoolEditable`) with `name` and `status`.
pub(crate) fn editable(pool: &PoolRecord, db: &SimState, now: NaiveDateTime) -> Map<String, Value> {
    let mut m = pool.config.clone();
    m.insert("name".into(), json!(pool.name));
    m.insert("status".into(), json!(status(pool, db, now)));
    m
}

/// `GET /api/configs/pool/{name}`: the editable form with empty timeouts filled in.
pub(crate) fn single(pool: &PoolRecord, db: &SimState, now: NaiveDateTime) -> Map<String, Value> {
    let mut m = editable(pool, db, now);
    fill_timeouts(&mut m);
    m
}

fn fill_timeouts(m: &mut Map<String, Value>) {
    for t in TIMEOUTS {
        if m.get(t).and_then(Value::as_str).is_none_or(str::is_empty) {
            m.insert(t.into(), json!(DEFAULT_TIMEOUT));
        }
    }
}

fn platforms_mut(
    m: &mut Map<String, Value>,
) -> impl Iterator<Item = (&String, &mut Map<String, Value>)> {
    m.get_mut("platforms")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|p| p.iter_mut())
        .filter_map(|(name, v)| v.as_object_mut().map(|o| (name, o)))
}

/// An entry of `GET /api/configs/pool` (non-verbose).
pub(crate) fn list_entry(
    dialect: Dialect,
    pool: &PoolRecord,
    db: &SimState,
    now: NaiveDateTime,
) -> Map<String, Value> {
    let mut m = editable(pool, db, now);
    if dialect == Dialect::V6_4 {
        return m;
    }
    m.insert("parsed_resource_validations".into(), json!([]));
    m.insert("parsed_pod_template".into(), json!({}));
    if dialect == Dialect::V6_2 {
        m.insert("parsed_group_templates".into(), json!([]));
    }
    m.insert("last_heartbeat".into(), Value::Null);
    for (_, p) in platforms_mut(&mut m) {
        for (k, v) in [
            ("default_mounts", json!([])),
            ("tolerations", json!([])),
            ("labels", json!({})),
            ("parsed_resource_validations", json!([])),
            ("parsed_pod_template", json!({})),
        ] {
            p.insert(k.into(), v);
        }
    }
    m
}

/// The verbose form (`Pool`): parsed templates and the backend's `last_heartbeat`.
/// `filled`: the single-pool route fills empty timeouts; the list does not.
pub(crate) fn verbose(
    dialect: Dialect,
    pool: &PoolRecord,
    db: &SimState,
    now: NaiveDateTime,
    filled: bool,
) -> Map<String, Value> {
    let mut m = editable(pool, db, now);
    if filled {
        fill_timeouts(&mut m);
    }
    let parsed = resolve(&pool.config).unwrap_or_default();
    let variables = pool
        .config
        .get("common_default_variables")
        .cloned()
        .unwrap_or(json!({}));
    m.insert(
        "parsed_resource_validations".into(),
        json!(parsed.resource_validations),
    );
    m.insert("parsed_pod_template".into(), parsed.pod_template.clone());
    if dialect == Dialect::V6_4 {
        m.insert(
            "parsed_pod_template_for_accounting".into(),
            for_accounting(&parsed.pod_template, &variables),
        );
    }
    if !dialect.is_v6_0() {
        m.insert("parsed_group_templates".into(), json!([]));
    }
    let heartbeat = db
        .backends
        .get(pool.backend())
        .map(|b| json!(iso(b.last_heartbeat)));
    m.insert("last_heartbeat".into(), heartbeat.unwrap_or(Value::Null));
    for (name, p) in platforms_mut(&mut m) {
        let part = parsed.platform(name);
        p.insert("default_mounts".into(), part.default_mounts());
        p.insert("tolerations".into(), part.tolerations());
        p.insert("labels".into(), part.labels());
        p.insert(
            "parsed_resource_validations".into(),
            json!(part.resource_validations),
        );
        p.insert("parsed_pod_template".into(), part.pod_template.clone());
        if dialect == Dialect::V6_4 {
            p.insert(
                "parsed_pod_template_for_accounting".into(),
                for_accounting(&part.pod_template, &variables),
            );
        }
    }
    m
}

/// `GET /api/pool` (`PoolMinimal`): the base fields and minimal platforms, timeouts as stored.
pub(crate) fn minimal(pool: &PoolRecord, db: &SimState, now: NaiveDateTime) -> Map<String, Value> {
    let mut m = editable(pool, db, now);
    for k in [
        "common_default_variables",
        "common_resource_validations",
        "common_pod_template",
        "common_group_templates",
    ] {
        m.remove(k);
    }
    let parsed = resolve(&pool.config).unwrap_or_default();
    for (name, p) in platforms_mut(&mut m) {
        p.retain(|k, _| PLATFORM_FIELDS[..4].contains(&k.as_str()));
        p.insert(
            "default_mounts".into(),
            parsed.platform(name).default_mounts(),
        );
    }
    m
}

/// A pool of `GET /api/pool_quota`: minimal, GPU quota defaults filled in, no usage.
pub(crate) fn quota(pool: &PoolRecord, db: &SimState, now: NaiveDateTime) -> Map<String, Value> {
    let mut m = minimal(pool, db, now);
    let mut gpu = json!({"guarantee": -1, "maximum": -1, "weight": 1});
    if let (Some(set), Some(g)) = (
        pool.config["resources"]["gpu"].as_object(),
        gpu.as_object_mut(),
    ) {
        g.extend(set.clone());
    }
    m.insert("resources".into(), json!({ "gpu": gpu }));
    m.insert("resource_usage".into(), zero_usage());
    m
}

/// `resource_usage` / `resource_sum` of a cluster without nodes.
pub(crate) fn zero_usage() -> Value {
    json!({"quota_used": "0", "quota_free": "0", "quota_limit": "0", "total_usage": "0", "total_capacity": "0", "total_free": "0"})
}

/// The data of a POOL history revision: `{"pools": {name: editable form}}`.
pub(crate) fn history_data(db: &SimState, now: NaiveDateTime) -> Value {
    let pools: Map<String, Value> = db
        .pools
        .values()
        .map(|p| (p.name.clone(), Value::Object(editable(p, db, now))))
        .collect();
    json!({ "pools": pools })
}
