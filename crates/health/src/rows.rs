//! One row per backend per session (what the Dashboard shows) and per-session totals.
//!
//! Rows are built from the backends endpoint (osmo-api.md §3) and the pools endpoint (§5: each pool
//! names its `backend`). `online` is the server's own flag (a heartbeat within the last 2
//! minutes), never recomputed here. `offline_since` is filled in by the poller from the observed
//! history (see [`crate::poller`]).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use osmo_admin_osmo_client::{Backend, BackendWarning, Pool};
use serde::{Deserialize, Serialize};

/// A backend of one session, as the Dashboard shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackendRow {
    /// The session (service connection) name.
    pub session: String,
    /// The backend name.
    pub name: String,
    /// The server's own `online` flag.
    pub online: bool,
    /// The operator's last heartbeat, UTC.
    pub last_heartbeat: Option<DateTime<Utc>>,
    /// Since when the backend is offline (from the observed history); `None` while online.
    pub offline_since: Option<DateTime<Utc>>,
    /// The operator's version.
    pub version: String,
    /// The Kubernetes namespace the operator runs workflows in.
    pub k8s_namespace: String,
    pub scheduler_type: String,
    pub scheduler_name: String,
    /// The pools whose `backend` is this backend, sorted.
    pub pools: Vec<String>,
    /// The backend's dashboard page (empty when the service has none).
    #[serde(default)]
    pub dashboard_url: String,
    /// The backend's Grafana page (empty when the service has none).
    #[serde(default)]
    pub grafana_url: String,
    /// What was odd in the stored backend (a negative timeout, a value of the wrong type, an
    /// unknown scheduler type, a missing field), each with the stored value; the row shows the
    /// rest as stored.
    #[serde(default)]
    pub warnings: Vec<BackendWarning>,
}

impl BackendRow {
    /// A row from the service's backend JSON and the pools that use it.
    pub fn from_backend(session: &str, b: &Backend, pools: Vec<String>) -> Self {
        BackendRow {
            session: session.to_owned(),
            name: b.name.clone(),
            online: b.online,
            last_heartbeat: b.last_heartbeat.map(|t| t.and_utc()),
            offline_since: None,
            version: b.version.clone(),
            k8s_namespace: b.k8s_namespace.clone(),
            scheduler_type: b.scheduler_settings.scheduler_type.clone(),
            scheduler_name: b.scheduler_settings.scheduler_name.clone(),
            pools,
            dashboard_url: b.dashboard_url.clone(),
            grafana_url: b.grafana_url.clone(),
            warnings: b.warnings.clone(),
        }
    }
}

/// Online / offline / total backends of one session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionTotals {
    pub online: usize,
    pub offline: usize,
    pub total: usize,
}

impl SessionTotals {
    pub fn of(rows: &[BackendRow]) -> Self {
        let online = rows.iter().filter(|r| r.online).count();
        SessionTotals {
            online,
            offline: rows.len() - online,
            total: rows.len(),
        }
    }
}

/// Backend name → names of the pools that run on it (sorted).
pub fn pools_by_backend(pools: &[Pool]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for pool in pools {
        out.entry(pool.backend.clone())
            .or_default()
            .push(pool.name.clone());
    }
    for v in out.values_mut() {
        v.sort();
        v.dedup();
    }
    out
}

/// Rows for a session's backends, sorted by name.
pub fn rows_for_session(session: &str, backends: &[Backend], pools: &[Pool]) -> Vec<BackendRow> {
    let by_backend = pools_by_backend(pools);
    let mut rows: Vec<BackendRow> = backends
        .iter()
        .map(|b| {
            let p = by_backend.get(&b.name).cloned().unwrap_or_default();
            BackendRow::from_backend(session, b, p)
        })
        .collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    rows
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn an_odd_backend_is_a_row_with_warnings_beside_the_others() {
        let stored = serde_json::json!([
            {"name": "gpu", "scheduler_settings": {"scheduler_type": "kai", "scheduler_name": "kai-scheduler", "scheduler_timeout": -1}, "online": "yes"},
            {"name": "cpu", "scheduler_settings": {"scheduler_type": "kai", "scheduler_name": "kai-scheduler", "scheduler_timeout": 30}, "online": true}
        ]);
        let backends: Vec<Backend> = stored
            .as_array()
            .unwrap()
            .iter()
            .map(Backend::from_stored)
            .collect();
        let rows = rows_for_session("s1", &backends, &[]);
        let odd: Vec<&str> = rows[1].warnings.iter().map(|w| w.field.as_str()).collect();
        assert!(odd.contains(&"online"), "{odd:?}");
        assert!(
            odd.contains(&"scheduler_settings.scheduler_timeout"),
            "{odd:?}"
        );
        assert!(!rows[1].online);
        assert!(rows[0].online);
        assert!(
            rows[0].warnings.iter().all(|w| w.stored.is_none()),
            "only missing fields on cpu: {:?}",
            rows[0].warnings
        );
    }

    #[test]
    fn rows_join_pools_and_count_totals() {
        let backends: Vec<Backend> = serde_json::from_str(
            r#"[{"name": "gpu", "version": "6.2.1", "k8s_namespace": "wf", "online": false,
                 "last_heartbeat": "2026-11-28T17:14:01.265106",
                 "scheduler_settings": {"scheduler_type": "kai", "scheduler_name": "kai-scheduler"}},
                {"name": "cpu", "online": true, "last_heartbeat": null}]"#,
        )
        .unwrap();
        let pool = |name: &str, backend: &str| Pool {
            name: name.into(),
            description: String::new(),
            status: String::new(),
            backend: backend.into(),
        };
        let pools = vec![pool("b", "gpu"), pool("a", "gpu"), pool("c", "other")];
        let rows = rows_for_session("s1", &backends, &pools);
        assert_eq!(rows[0].name, "cpu");
        assert!(rows[0].pools.is_empty());
        assert_eq!(rows[1].name, "gpu");
        assert_eq!(rows[1].pools, vec!["a", "b"]);
        assert_eq!(rows[1].scheduler_type, "kai");
        assert_eq!(rows[1].scheduler_name, "kai-scheduler");
        assert_eq!(rows[1].k8s_namespace, "wf");
        assert_eq!(rows[1].version, "6.2.1");
        assert_eq!(
            rows[1].last_heartbeat.unwrap().to_rfc3339(),
            "2026-11-28T17:14:01.265106+00:00"
        );
        assert_eq!(
            SessionTotals::of(&rows),
            SessionTotals {
                online: 1,
                offline: 1,
                total: 2
            }
        );
    }
}
