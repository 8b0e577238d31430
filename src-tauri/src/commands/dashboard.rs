//! The Dashboard: every backend of every signed-in session (`osmo-admin-health`'s poller, kept in
//! `AppState.health`), a backend's detail (fields, pools, config history, uptime, cluster side),
//! "why is it offline?" (`osmo-admin-diagnostics`) and per-backend notifications.

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use osmo_admin_core::settings::BackendLinkSetting;
use osmo_admin_core::ErrorCode;
use osmo_admin_diagnostics::{
    diagnose, inspect, ClusterSide, ClusterTarget, DiagnoseInput, Diagnosis, DiagnosticsError,
    Limits, Verdict,
};
use osmo_admin_health::{
    backend_changes, backend_fields, BackendRow, HealthError, PoolList, SessionSnapshot, DAY,
    POOLS_PATH, WEEK,
};
use osmo_admin_kube::{client_for, ConnectOptions};
use osmo_admin_osmo_client::{CancellationToken, HistoryQuery, OsmoError};
use osmo_admin_sessions::{SessionStatus, SessionView};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use ts_rs::TS;

use crate::commands::contexts::{exec_path, BackendLinkDto};
use crate::error::IpcError;
use crate::health_watch::HealthWatch;
use crate::state::{lock, AppState};

/// Connects the poller to the UI's events and to the sessions (called from `setup`).
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let emitter = app.clone();
    state.health.set_emit(Box::new(move |event, payload| {
        if event == crate::health_watch::BACKEND_STATUS_CHANGED {
            notify_desktop(&emitter, &payload);
        }
        if let Err(err) = emitter.emit(event, payload) {
            tracing::warn!(%err, event, "could not send a dashboard event");
        }
    }));
    resync(app);
}

/// A desktop notification for a backend that went offline or came back (the in-app notice is
/// shown too).
fn notify_desktop<R: Runtime>(app: &AppHandle<R>, payload: &serde_json::Value) {
    if let Some(message) = payload.get("message").and_then(serde_json::Value::as_str) {
        crate::desktop_notification::show(app, message);
    }
}

/// Makes the poller follow the signed-in sessions (in the async runtime, where its tasks live).
pub fn resync<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        state.health.sync(&state.sessions);
    });
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn non_empty(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.to_owned())
}

/// One backend row of the table.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackendRowDto {
    pub session: String,
    pub name: String,
    /// The server's own flag (a heartbeat within 2 minutes).
    pub online: bool,
    pub last_heartbeat: Option<String>,
    pub offline_since: Option<String>,
    pub version: String,
    pub k8s_namespace: String,
    pub scheduler_type: String,
    pub scheduler_name: String,
    pub pools: Vec<String>,
    pub dashboard_url: Option<String>,
    pub grafana_url: Option<String>,
    /// Offline/back notifications are on for this backend.
    pub notify: bool,
    /// A kubeconfig context is linked to this backend.
    pub linked: bool,
}

/// One session's totals and freshness.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SessionHealthDto {
    pub session: String,
    pub online: u32,
    pub offline: u32,
    pub total: u32,
    /// When the rows were last fetched; `None` before the first success.
    pub updated_at: Option<String>,
    /// The last poll failed: the rows are from `updatedAt`.
    pub stale: bool,
    pub error: Option<String>,
    pub error_code: Option<ErrorCode>,
    pub consecutive_failures: u32,
    /// Polls finished so far.
    pub polls: u32,
}

/// A service on Connections whose backends are not polled, and why.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NotPolledDto {
    pub session: String,
    pub reason: String,
}

/// Everything the Dashboard table shows.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DashboardView {
    pub sessions: Vec<SessionHealthDto>,
    /// Services added but not signed in (so not polled), with the reason.
    pub not_polled: Vec<NotPolledDto>,
    pub rows: Vec<BackendRowDto>,
    pub refresh_secs: u32,
    /// Why the uptime history is unavailable, if it is.
    pub history_error: Option<String>,
    pub now: String,
}

struct Prefs {
    muted: Vec<(String, String)>,
    links: Vec<BackendLinkSetting>,
}

impl Prefs {
    fn of(state: &AppState) -> Self {
        let s = state.settings.get();
        Prefs {
            muted: s
                .muted_notifications
                .into_iter()
                .map(|m| (m.session, m.backend))
                .collect(),
            links: state.backend_links(),
        }
    }

    fn notify(&self, session: &str, backend: &str) -> bool {
        !self.muted.iter().any(|(s, b)| s == session && b == backend)
    }

    fn link(&self, session: &str, backend: &str) -> Option<&BackendLinkSetting> {
        self.links
            .iter()
            .find(|l| l.session == session && l.backend == backend)
    }
}

fn row_dto(row: &BackendRow, prefs: &Prefs) -> BackendRowDto {
    BackendRowDto {
        session: row.session.clone(),
        name: row.name.clone(),
        online: row.online,
        last_heartbeat: row.last_heartbeat.map(rfc3339),
        offline_since: row.offline_since.map(rfc3339),
        version: row.version.clone(),
        k8s_namespace: row.k8s_namespace.clone(),
        scheduler_type: row.scheduler_type.clone(),
        scheduler_name: row.scheduler_name.clone(),
        pools: row.pools.clone(),
        dashboard_url: non_empty(&row.dashboard_url),
        grafana_url: non_empty(&row.grafana_url),
        notify: prefs.notify(&row.session, &row.name),
        linked: prefs.link(&row.session, &row.name).is_some(),
    }
}

fn count(n: impl TryInto<u32>) -> u32 {
    n.try_into().unwrap_or(u32::MAX)
}

fn session_dto(s: &SessionSnapshot) -> SessionHealthDto {
    SessionHealthDto {
        session: s.session.clone(),
        online: count(s.totals.online),
        offline: count(s.totals.offline),
        total: count(s.totals.total),
        updated_at: s.updated_at.map(rfc3339),
        stale: s.stale,
        error: s.error.as_ref().map(|e| e.message.clone()),
        error_code: s.error.as_ref().map(|e| e.code),
        consecutive_failures: s.consecutive_failures,
        polls: count(s.polls),
    }
}

#[tauri::command]
pub async fn dashboard_snapshot(state: State<'_, AppState>) -> Result<DashboardView, IpcError> {
    state.health.sync(&state.sessions);
    let services = state.sessions.list().await;
    Ok(view(&state.health, &Prefs::of(&state), &services))
}

fn not_polled_reason(status: &SessionStatus) -> Option<String> {
    Some(match status {
        SessionStatus::SignedIn { .. } => return None,
        SessionStatus::Connecting => "Connecting…".to_owned(),
        SessionStatus::Unreachable { message, .. } => message.clone(),
        SessionStatus::SignedOut => "Not signed in: sign in on Connections.".to_owned(),
        SessionStatus::SignInAgain { reason } => format!("Sign in again on Connections: {reason}"),
        SessionStatus::KeyringUnavailable { message } => message.clone(),
    })
}

fn view(health: &HealthWatch, prefs: &Prefs, services: &[SessionView]) -> DashboardView {
    let snapshots = health.snapshots();
    DashboardView {
        not_polled: services
            .iter()
            .filter(|s| !snapshots.iter().any(|p| p.session == s.name))
            .filter_map(|s| {
                not_polled_reason(&s.status).map(|reason| NotPolledDto {
                    session: s.name.clone(),
                    reason,
                })
            })
            .collect(),
        sessions: snapshots.iter().map(session_dto).collect(),
        rows: snapshots
            .iter()
            .flat_map(|s| s.rows.iter().map(|r| row_dto(r, prefs)))
            .collect(),
        refresh_secs: count(health.interval().as_secs()),
        history_error: health.history_error().map(str::to_owned),
        now: rfc3339(Utc::now()),
    }
}

/// Polls every session now; the answer is the snapshot before the new polls end (the
/// `health-updated` event follows each).
#[tauri::command]
pub async fn refresh_dashboard(state: State<'_, AppState>) -> Result<DashboardView, IpcError> {
    state.health.sync(&state.sessions);
    state.health.poll_now();
    let services = state.sessions.list().await;
    Ok(view(&state.health, &Prefs::of(&state), &services))
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldDto {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, TS)]
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

/// A recorded status change.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StatusPointDto {
    pub online: bool,
    pub at: String,
}

/// The last 7 days of observed status, for the timeline bar.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UptimeDto {
    /// Fraction 0..1 of the last 24 hours online; `None` when nothing is known.
    pub last_day: Option<f64>,
    pub last_week: Option<f64>,
    /// The timeline's start (now − 7 days) and the state then, if known.
    pub since: String,
    pub state_at_since: Option<bool>,
    /// Changes after `since`, oldest first.
    pub changes: Vec<StatusPointDto>,
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
    pub session: String,
    pub backend: String,
    pub online: bool,
    pub fields: Vec<FieldDto>,
    pub pools: Vec<String>,
    pub pools_error: Option<String>,
    pub config_history: Vec<ConfigChangeDto>,
    pub config_history_error: Option<String>,
    pub uptime: UptimeDto,
    pub link: Option<BackendLinkDto>,
    pub cluster: Option<ClusterSideDto>,
    /// Why the linked cluster could not be looked at (e.g. the context is gone).
    pub cluster_error: Option<String>,
    pub dashboard_url: Option<String>,
    pub grafana_url: Option<String>,
    pub notify: bool,
}

fn link_dto(l: &BackendLinkSetting) -> BackendLinkDto {
    BackendLinkDto {
        session: l.session.clone(),
        backend: l.backend.clone(),
        context: l.context.clone(),
        operator_namespace: l.operator_namespace.clone(),
    }
}

/// A client for the linked context's cluster, as `test_context` connects.
pub(crate) async fn cluster_target(
    state: &AppState,
    link: &BackendLinkSetting,
    workflow_namespace: &str,
) -> Result<ClusterTarget, IpcError> {
    let resolved = state.reload_kubeconfigs().resolve(&link.context)?;
    let options = ConnectOptions {
        exec_path: Some(exec_path(state).await),
        ..ConnectOptions::default()
    };
    let client = client_for(&resolved, &options).await?;
    let mut target = ClusterTarget::new(client);
    target.operator_namespace = link.operator_namespace.clone();
    if !workflow_namespace.trim().is_empty() {
        target.workflow_namespace = workflow_namespace.to_owned();
    }
    Ok(target)
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

fn uptime(health: &HealthWatch, session: &str, backend: &str) -> UptimeDto {
    let now = Utc::now();
    let since = now - WEEK;
    let mut dto = UptimeDto {
        last_day: None,
        last_week: None,
        since: rfc3339(since),
        state_at_since: None,
        changes: Vec::new(),
        now: rfc3339(now),
        error: None,
    };
    let Some(history) = health.history() else {
        dto.error = health.history_error().map(str::to_owned);
        return dto;
    };
    let h = lock(history);
    let result = (|| -> Result<(), HealthError> {
        dto.last_day = h.uptime(session, backend, DAY)?;
        dto.last_week = h.uptime(session, backend, WEEK)?;
        dto.state_at_since = h.state_at(session, backend, since)?.map(|c| c.online);
        dto.changes = h
            .timeline(session, backend, since)?
            .into_iter()
            .map(|c| StatusPointDto {
                online: c.online,
                at: rfc3339(c.observed_at),
            })
            .collect();
        Ok(())
    })();
    if let Err(e) = result {
        dto.error = Some(e.to_string());
    }
    dto
}

#[tauri::command]
pub async fn backend_detail(
    state: State<'_, AppState>,
    session: String,
    backend: String,
) -> Result<BackendDetailDto, IpcError> {
    let osmo = state.sessions.session_named(&session)?;
    let cancel = CancellationToken::new();
    let query = HistoryQuery {
        config_types: vec!["BACKEND".into()],
        limit: 200,
        descending: true,
        ..HistoryQuery::default()
    };
    let (found, pools, history) = tokio::join!(
        osmo.get_backend(&backend, &cancel),
        osmo.get_json::<PoolList>(POOLS_PATH, &cancel),
        osmo.config_history(&query, &cancel),
    );
    let found = found?;
    let prefs = Prefs::of(&state);
    let link = prefs.link(&session, &backend).cloned();
    let (cluster, cluster_error) = match &link {
        None => (None, None),
        Some(l) => match cluster_target(&state, l, &found.k8s_namespace).await {
            Ok(target) => (
                Some(cluster_dto(inspect(&target, &Limits::default()).await)),
                None,
            ),
            Err(e) => (None, Some(e.message)),
        },
    };
    let (pools, pools_error) = match pools {
        Ok(p) => (p.by_backend().remove(&backend).unwrap_or_default(), None),
        Err(e) => (Vec::new(), Some(e.to_string())),
    };
    let (config_history, config_history_error) = match history {
        Ok(entries) => (
            backend_changes(&entries, &backend)
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
        uptime: uptime(&state.health, &session, &backend),
        link: link.as_ref().map(link_dto),
        cluster,
        cluster_error,
        dashboard_url: non_empty(&found.dashboard_url),
        grafana_url: non_empty(&found.grafana_url),
        notify: prefs.notify(&session, &backend),
        session,
        backend,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum VerdictDto {
    Pass,
    Fail,
    Warn,
    Skipped,
}

/// One check of "why is it offline?".
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CheckDto {
    pub kind: String,
    pub title: String,
    pub verdict: VerdictDto,
    pub finding: String,
    pub next_step: Option<String>,
}

/// The ordered checks and the one to fix first.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosisDto {
    pub session: String,
    pub backend: String,
    pub checks: Vec<CheckDto>,
    /// Index into `checks` of the failure to fix first.
    pub first_failure: Option<u32>,
    pub summary: String,
    /// A context is linked (otherwise the cluster checks are skipped).
    pub linked: bool,
    /// Why the linked cluster could not be used for the checks.
    pub cluster_error: Option<String>,
}

pub(crate) fn diagnosis_dto(
    session: String,
    d: Diagnosis,
    linked: bool,
    cluster_error: Option<String>,
) -> DiagnosisDto {
    DiagnosisDto {
        session,
        backend: d.backend,
        checks: d
            .checks
            .into_iter()
            .map(|c| CheckDto {
                kind: serde_json::to_value(c.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                title: c.title,
                verdict: match c.verdict {
                    Verdict::Pass => VerdictDto::Pass,
                    Verdict::Fail => VerdictDto::Fail,
                    Verdict::Warn => VerdictDto::Warn,
                    Verdict::Skipped => VerdictDto::Skipped,
                },
                finding: c.finding,
                next_step: c.next_step,
            })
            .collect(),
        first_failure: d.first_failure.map(count),
        summary: d.summary,
        linked,
        cluster_error,
    }
}

#[tauri::command]
pub async fn diagnose_backend(
    state: State<'_, AppState>,
    session: String,
    backend: String,
) -> Result<DiagnosisDto, IpcError> {
    let osmo = state.sessions.session_named(&session)?;
    let link = Prefs::of(&state).link(&session, &backend).cloned();
    let mut input =
        DiagnoseInput::new(osmo.clone(), backend.clone()).with_timeout(Duration::from_secs(10));
    let mut cluster_error = None;
    if let Some(l) = &link {
        let namespace = state
            .health
            .snapshots()
            .into_iter()
            .filter(|s| s.session == session)
            .flat_map(|s| s.rows)
            .find(|r| r.name == backend)
            .map(|r| r.k8s_namespace)
            .unwrap_or_default();
        match cluster_target(&state, l, &namespace).await {
            Ok(target) => input = input.with_cluster(target),
            Err(e) => cluster_error = Some(e.message),
        }
    }
    let diagnosis = diagnose(&input, &CancellationToken::new()).await;
    tracing::info!(%session, %backend, first_failure = ?diagnosis.first_failure, "backend diagnosed");
    Ok(diagnosis_dto(
        session,
        diagnosis,
        link.is_some(),
        cluster_error,
    ))
}

/// Switches a backend's offline/back notifications (kept in the settings file).
#[tauri::command]
pub fn set_backend_notifications(
    state: State<'_, AppState>,
    session: String,
    backend: String,
    on: bool,
) -> Result<bool, IpcError> {
    state.settings.change(|s| {
        s.set_notifications(&session, &backend, on);
        Ok::<_, IpcError>(())
    })?;
    Ok(on)
}

impl From<OsmoError> for IpcError {
    fn from(err: OsmoError) -> Self {
        Self::new(err.code(), err.to_string())
    }
}
