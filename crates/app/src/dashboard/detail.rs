//! A backend's detail: its fields, pools, config history, uptime (over the time the app watched
//! it only) and, when a context is linked, what its cluster shows (`osmo-admin-diagnostics`'
//! `inspect`).

use chrono::{DateTime, Duration, Utc};
use osmo_admin_core::{BackendLink, BackendName, BackendRef, ServiceId};
use osmo_admin_diagnostics::{inspect, ClusterSide, DiagnosticsError, Limits};
use osmo_admin_health::{
    backend_changes, backend_fields, observed, pools_by_backend, uptime_ratio, watch_gap,
    HealthError, DAY, WEEK,
};
use osmo_admin_osmo_client::{CancellationToken, HistoryQuery};
use serde::Serialize;
use ts_rs::TS;

use super::health_watch::HealthWatch;
use super::{count, non_empty, rfc3339, Prefs};
use crate::error::IpcError;
use crate::{clusters, lock, AppCore};

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldDto {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldChangeDto {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A config-history revision that changed this backend.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConfigChangeDto {
    pub revision: u32,
    pub username: String,
    pub created_at: Option<String>,
    pub description: String,
    /// The backend the revision was about (may be another one that changed this one too).
    pub about: String,
    pub changes: Vec<FieldChangeDto>,
}

/// A piece of the uptime timeline.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UptimeSegmentDto {
    pub from: String,
    pub to: String,
    /// `None`: unknown (the app was not watching: not running, or not polling the service).
    pub online: Option<bool>,
}

/// What the app has seen of a backend's status: since when it has watched, the share of the
/// watched time online, and a timeline with the unwatched time as unknown.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UptimeDto {
    /// When the app first watched it within the 7 days kept; `None`: not yet.
    pub observed_since: Option<String>,
    /// How long it has watched it within the 7 days kept (pauses left out), in seconds.
    pub observed_secs: u32,
    /// Fraction 0..1 of the watched part of the last 24 hours online; `None` when none of it was
    /// watched.
    pub last_day: Option<f64>,
    /// The same over the 7 days kept.
    pub last_week: Option<f64>,
    /// The timeline's start: 1 hour, 24 hours or 7 days ago, the shortest that shows all the
    /// watched time.
    pub since: String,
    /// From `since` to `now`, oldest first.
    pub segments: Vec<UptimeSegmentDto>,
    pub now: String,
    pub error: Option<String>,
}

/// Whether a namespace exists; `error` when it could not be read.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceDto {
    pub name: String,
    pub present: Option<bool>,
    pub error: Option<String>,
}

/// The token Secret, never its value.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SecretDto {
    pub namespace: String,
    pub name: String,
    pub key: String,
    pub present: bool,
    pub key_present: bool,
    pub non_empty: bool,
    pub last_changed: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PodsDto {
    pub total: u32,
    pub running: u32,
    pub ready: u32,
    pub unscheduled: u32,
    pub restarts: i32,
    pub last_termination_reason: Option<String>,
    pub waiting_reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentDto {
    pub name: String,
    pub role: Option<String>,
    pub desired_replicas: i32,
    pub ready_replicas: i32,
    pub restarted_at: Option<String>,
    pub pods: Option<PodsDto>,
    pub pods_error: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EventDto {
    #[serde(rename = "type")]
    pub type_: String,
    pub reason: String,
    pub message: String,
    pub object: String,
    pub count: i32,
    pub last_time: Option<String>,
}

/// What the linked cluster shows; each part carries its own error.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ClusterSideDto {
    pub operator_namespace: NamespaceDto,
    pub workflow_namespace: NamespaceDto,
    pub token_secret: Option<SecretDto>,
    pub token_secret_error: Option<String>,
    pub deployments: Vec<DeploymentDto>,
    pub missing_deployments: Vec<String>,
    pub deployments_error: Option<String>,
    pub events: Vec<EventDto>,
    pub events_error: Option<String>,
}

/// Everything the backend detail shows.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackendDetailDto {
    pub session: ServiceId,
    pub backend: BackendName,
    pub online: bool,
    pub fields: Vec<FieldDto>,
    pub pools: Vec<String>,
    pub pools_error: Option<String>,
    pub config_history: Vec<ConfigChangeDto>,
    pub config_history_error: Option<String>,
    pub uptime: UptimeDto,
    pub link: Option<BackendLink>,
    pub cluster: Option<ClusterSideDto>,
    /// Why the linked cluster could not be looked at (e.g. the context is gone).
    pub cluster_error: Option<String>,
    pub dashboard_url: Option<String>,
    pub grafana_url: Option<String>,
    pub notify: bool,
}

fn part_error<T>(part: &Result<T, DiagnosticsError>) -> Option<String> {
    part.as_ref().err().map(DiagnosticsError::short)
}

fn cluster_dto(c: ClusterSide) -> ClusterSideDto {
    let ns = |n: &osmo_admin_diagnostics::NamespaceStatus| NamespaceDto {
        name: n.name.clone(),
        present: n.present.as_ref().ok().copied(),
        error: part_error(&n.present),
    };
    let (deployments, missing_deployments) = match &c.deployments {
        Ok(d) => (
            d.found
                .iter()
                .map(|d| DeploymentDto {
                    name: d.name.clone(),
                    role: d.role.map(|r| r.default_name().to_owned()),
                    desired_replicas: d.desired_replicas,
                    ready_replicas: d.ready_replicas,
                    restarted_at: d.restarted_at.clone(),
                    pods: d.pods.as_ref().ok().map(|p| PodsDto {
                        total: count(p.total),
                        running: count(p.running),
                        ready: count(p.ready),
                        unscheduled: count(p.unscheduled),
                        restarts: p.restarts,
                        last_termination_reason: p.last_termination_reason.clone(),
                        waiting_reasons: p.waiting_reasons.clone(),
                    }),
                    pods_error: part_error(&d.pods),
                })
                .collect(),
            d.missing
                .iter()
                .map(|r| r.default_name().to_owned())
                .collect(),
        ),
        Err(_) => (Vec::new(), Vec::new()),
    };
    ClusterSideDto {
        operator_namespace: ns(&c.operator_namespace),
        workflow_namespace: ns(&c.workflow_namespace),
        token_secret: c.token_secret.as_ref().ok().map(|s| SecretDto {
            namespace: s.namespace.clone(),
            name: s.name.clone(),
            key: s.key.clone(),
            present: s.present,
            key_present: s.key_present,
            non_empty: s.non_empty,
            last_changed: s.last_changed.map(rfc3339),
        }),
        token_secret_error: part_error(&c.token_secret),
        deployments,
        missing_deployments,
        deployments_error: part_error(&c.deployments),
        events: c
            .events
            .as_ref()
            .map(|events| {
                events
                    .iter()
                    .map(|e| EventDto {
                        type_: e.type_.clone(),
                        reason: e.reason.clone(),
                        message: e.message.clone(),
                        object: e.object.clone(),
                        count: e.count,
                        last_time: e.last_time.map(rfc3339),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        events_error: part_error(&c.events),
    }
}

/// The timeline's length: the shortest of 1 hour, 24 hours and 7 days that shows everything
/// watched since `observed_since`.
fn timeline_window(observed_since: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Duration {
    let watched = observed_since.map(|t| now - t).unwrap_or_default();
    [Duration::hours(1), DAY]
        .into_iter()
        .find(|w| watched <= *w)
        .unwrap_or(WEEK)
}

fn uptime(health: &HealthWatch, session: &str, backend: &str) -> UptimeDto {
    let now = Utc::now();
    let mut dto = UptimeDto {
        observed_since: None,
        observed_secs: 0,
        last_day: None,
        last_week: None,
        since: rfc3339(now - Duration::hours(1)),
        segments: Vec::new(),
        now: rfc3339(now),
        error: None,
    };
    let Some(history) = health.history() else {
        dto.error = health.history_error().map(str::to_owned);
        return dto;
    };
    let ongoing = watch_gap(health.interval());
    let h = lock(history);
    let result = (|| -> Result<(), HealthError> {
        let now = h.now();
        let week = h.segments(session, backend, now - WEEK, ongoing)?;
        let first = week.iter().find(|s| s.online.is_some()).map(|s| s.from);
        let since = now - timeline_window(first, now);
        dto.observed_since = first.map(rfc3339);
        dto.observed_secs = count(observed(&week).num_seconds());
        dto.last_week = uptime_ratio(&week);
        dto.last_day = uptime_ratio(&h.segments(session, backend, now - DAY, ongoing)?);
        dto.since = rfc3339(since);
        dto.now = rfc3339(now);
        dto.segments = h
            .segments(session, backend, since, ongoing)?
            .into_iter()
            .map(|s| UptimeSegmentDto {
                from: rfc3339(s.from),
                to: rfc3339(s.to),
                online: s.online,
            })
            .collect();
        Ok(())
    })();
    if let Err(e) = result {
        dto.error = Some(e.to_string());
    }
    dto
}

/// Everything the detail shows; each part that fails says so on its own.
pub async fn backend_detail(
    core: &AppCore,
    backend_ref: BackendRef,
) -> Result<BackendDetailDto, IpcError> {
    let session = backend_ref.service.as_str();
    let backend = backend_ref.backend.as_str();
    let osmo = core.sessions.session(&backend_ref.service)?;
    let cancel = CancellationToken::new();
    let query = HistoryQuery {
        config_types: vec!["BACKEND".into()],
        limit: 200,
        descending: true,
        ..HistoryQuery::default()
    };
    let (found, pools, history) = tokio::join!(
        osmo.get_backend(backend, &cancel),
        osmo.list_pools(&cancel),
        osmo.config_history(&query, &cancel),
    );
    let found = found?;
    let prefs = Prefs::of(core);
    let link = prefs.link(&backend_ref).cloned();
    let (cluster, cluster_error) = match &link {
        None => (None, None),
        Some(l) => match clusters::target(core, l, &found.k8s_namespace).await {
            Ok(target) => (
                Some(cluster_dto(inspect(&target, &Limits::default()).await)),
                None,
            ),
            Err(e) => (None, Some(e.message)),
        },
    };
    let (pools, pools_error) = match pools {
        Ok(p) => (
            pools_by_backend(&p).remove(backend).unwrap_or_default(),
            None,
        ),
        Err(e) => (Vec::new(), Some(e.to_string())),
    };
    let (config_history, config_history_error) = match history {
        Ok(entries) => (
            backend_changes(&entries, backend)
                .into_iter()
                .map(|c| ConfigChangeDto {
                    revision: count(c.revision),
                    username: c.username,
                    created_at: c.created_at.map(rfc3339),
                    description: c.description,
                    about: c.about,
                    changes: c
                        .changes
                        .into_iter()
                        .map(|f| FieldChangeDto {
                            field: f.field,
                            before: f.before,
                            after: f.after,
                        })
                        .collect(),
                })
                .collect(),
            None,
        ),
        Err(e) => (Vec::new(), Some(e.to_string())),
    };
    Ok(BackendDetailDto {
        online: found.online,
        fields: backend_fields(&found)
            .into_iter()
            .map(|(name, value)| FieldDto { name, value })
            .collect(),
        pools,
        pools_error,
        config_history,
        config_history_error,
        uptime: uptime(&core.health, session, backend),
        link,
        cluster,
        cluster_error,
        dashboard_url: non_empty(&found.dashboard_url),
        grafana_url: non_empty(&found.grafana_url),
        notify: prefs.notify(&backend_ref),
        session: backend_ref.service.clone(),
        backend: backend_ref.backend.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timeline_is_as_long_as_needed_to_show_the_watched_time() {
        let now = Utc::now();
        let ago = |m: i64| Some(now - Duration::minutes(m));
        assert_eq!(timeline_window(None, now), Duration::hours(1));
        assert_eq!(timeline_window(ago(2), now), Duration::hours(1));
        assert_eq!(timeline_window(ago(61), now), DAY);
        assert_eq!(timeline_window(ago(24 * 60), now), DAY);
        assert_eq!(timeline_window(ago(3 * 24 * 60), now), WEEK);
    }
}
