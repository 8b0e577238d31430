//! The Dashboard: every backend of every signed-in service (`osmo-admin-health`'s poller, kept in
//! [`health_watch`]), a backend's [`detail`] (fields, pools, config history, uptime, cluster side),
//! "why is it offline?" ([`diagnosis`]) and per-backend notifications.

pub mod detail;
pub mod diagnosis;
pub mod health_watch;

use std::hash::{Hash, Hasher};

use chrono::{DateTime, SecondsFormat, Utc};
use osmo_admin_core::{BackendLink, BackendName, BackendRef, ErrorCode, ServiceId};
use osmo_admin_health::{BackendRow, SessionSnapshot};
use osmo_admin_osmo_client::OsmoError;
use osmo_admin_sessions::{SessionStatus, SessionView};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::IpcError;
use crate::AppCore;
use health_watch::HealthWatch;

/// Connects the poller to the events and to the sessions (at start).
pub(crate) fn start(core: &AppCore) {
    core.health.connect(core.clone());
    resync(core);
}

/// Makes the poller follow the signed-in sessions (in the async runtime, where its tasks live).
pub(crate) fn resync(core: &AppCore) {
    let core_ = core.clone();
    core.spawn(async move {
        core_.health.sync(&core_.sessions);
    });
}

pub(crate) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn non_empty(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.to_owned())
}

/// One backend row of the table.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackendRowDto {
    pub session: ServiceId,
    pub name: BackendName,
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
    /// What the service stored for this backend that the app did not expect (shown as stored).
    pub warnings: Vec<String>,
}

/// One session's totals and freshness.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SessionHealthDto {
    pub session: ServiceId,
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
    pub session: ServiceId,
    pub reason: String,
}

/// The tags of the rows the page already has for one session (from an earlier
/// [`SessionRowsDto`]).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KnownRows {
    pub session: ServiceId,
    pub tag: String,
    /// The heartbeats' tag.
    pub beats: String,
}

/// One session's rows, in the service's order. Heartbeats move at every poll while the rest of a
/// row seldom does, so they have a tag of their own: a poll that only moved heartbeats sends the
/// heartbeats alone.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SessionRowsDto {
    pub session: ServiceId,
    /// Changes whenever a row does, its last heartbeat left aside.
    pub tag: String,
    /// Changes whenever a row's last heartbeat does.
    pub beats: String,
    /// `None` when the reader already has the rows of this tag (it named it in `known`): most
    /// polls change nothing but heartbeats, and 1,000 rows need not cross to the page for that.
    pub rows: Option<Vec<BackendRowDto>>,
    /// Every row's last heartbeat, in the rows' order, when the rows are left out and the reader
    /// named other heartbeats than these; `None` otherwise.
    pub heartbeats: Option<Vec<Option<String>>>,
}

/// Everything the Dashboard table shows.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DashboardView {
    pub sessions: Vec<SessionHealthDto>,
    /// Services added but not signed in (so not polled), with the reason.
    pub not_polled: Vec<NotPolledDto>,
    /// The rows of every session of `sessions`, in the same order.
    pub session_rows: Vec<SessionRowsDto>,
    pub refresh_secs: u32,
    /// Why the uptime history is unavailable, if it is.
    pub history_error: Option<String>,
    /// Why the uptime history shown is not the one in its file (a corrupt file moved aside, a
    /// file of a newer version left unread), if so.
    pub history_notice: Option<String>,
    pub now: String,
}

impl DashboardView {
    /// Every row this view carries (those of sessions sent without rows left out).
    pub fn rows(&self) -> impl Iterator<Item = &BackendRowDto> {
        self.session_rows
            .iter()
            .filter_map(|s| s.rows.as_deref())
            .flatten()
    }
}

/// The user's choices that colour the rows: muted notifications and links.
pub(crate) struct Prefs {
    muted: Vec<BackendRef>,
    links: Vec<BackendLink>,
}

impl Prefs {
    pub(crate) fn of(core: &AppCore) -> Self {
        Prefs {
            muted: core.settings.get().muted_notifications,
            links: core.links.all(),
        }
    }

    pub(crate) fn notify(&self, backend: &BackendRef) -> bool {
        !self.muted.contains(backend)
    }

    pub(crate) fn link(&self, backend: &BackendRef) -> Option<&BackendLink> {
        self.links.iter().find(|l| l.is_for(backend))
    }
}

fn row_dto(row: &BackendRow, prefs: &Prefs) -> BackendRowDto {
    let backend = BackendRef::new(row.session.as_str(), row.name.as_str());
    BackendRowDto {
        session: backend.service.clone(),
        name: backend.backend.clone(),
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
        notify: prefs.notify(&backend),
        linked: prefs.link(&backend).is_some(),
        warnings: row.warnings.iter().map(ToString::to_string).collect(),
    }
}

pub(crate) fn count(n: impl TryInto<u32>) -> u32 {
    n.try_into().unwrap_or(u32::MAX)
}

fn session_dto(s: &SessionSnapshot) -> SessionHealthDto {
    SessionHealthDto {
        session: ServiceId::new(s.session.as_str()),
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

/// Every backend of every signed-in service as last polled; the rows of a session whose tag is
/// in `known` are left out when they are still the same.
pub async fn snapshot(core: &AppCore, known: &[KnownRows]) -> Result<DashboardView, IpcError> {
    core.health.sync(&core.sessions);
    let services = core.sessions.list().await;
    Ok(view(&core.health, &Prefs::of(core), &services, known))
}

/// The rows of one session, tagged by their content (with the user's choices that colour them):
/// their heartbeats apart from the rest. The tags are worked out from the rows as polled; the
/// rows and heartbeats the page is sent are built only when it does not have them already.
fn session_rows(s: &SessionSnapshot, prefs: &Prefs, known: &[KnownRows]) -> SessionRowsDto {
    let session = ServiceId::new(s.session.as_str());
    let tag = tag_of(
        &s.rows
            .iter()
            .map(|r| ShownRow { row: r, prefs })
            .collect::<Vec<_>>(),
    );
    let beats = tag_of(&s.rows.iter().map(|r| r.last_heartbeat).collect::<Vec<_>>());
    let known = known.iter().find(|k| k.session == session);
    let rows_known = known.is_some_and(|k| k.tag == tag);
    let beats_known = known.is_some_and(|k| k.beats == beats);
    let (rows, heartbeats) = match (rows_known, beats_known) {
        (true, true) => (None, None),
        (true, false) => (
            None,
            Some(
                s.rows
                    .iter()
                    .map(|r| r.last_heartbeat.map(rfc3339))
                    .collect(),
            ),
        ),
        (false, _) => (
            Some(s.rows.iter().map(|r| row_dto(r, prefs)).collect()),
            None,
        ),
    };
    SessionRowsDto {
        session,
        tag,
        beats,
        rows,
        heartbeats,
    }
}

/// What a row shows besides its heartbeat (what [`row_dto`] makes of it), hashed as it is.
struct ShownRow<'a> {
    row: &'a BackendRow,
    prefs: &'a Prefs,
}

impl Hash for ShownRow<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let BackendRow {
            session,
            name,
            online,
            last_heartbeat: _,
            offline_since,
            version,
            k8s_namespace,
            scheduler_type,
            scheduler_name,
            pools,
            dashboard_url,
            grafana_url,
            warnings,
        } = self.row;
        (session, name, online, offline_since, version, k8s_namespace).hash(state);
        (
            scheduler_type,
            scheduler_name,
            pools,
            dashboard_url,
            grafana_url,
        )
            .hash(state);
        let backend = BackendRef::new(session.as_str(), name.as_str());
        let notify = self.prefs.notify(&backend);
        let linked = self.prefs.link(&backend).is_some();
        (notify, linked).hash(state);
        warnings.len().hash(state);
        for warning in warnings {
            warning.to_string().hash(state);
        }
    }
}

/// A fixed-key hash of what the page shows: equal values give the same tag in this run.
fn tag_of(value: &impl Hash) -> String {
    let mut hasher = std::hash::DefaultHasher::new();
    value.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
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

fn view(
    health: &HealthWatch,
    prefs: &Prefs,
    services: &[SessionView],
    known: &[KnownRows],
) -> DashboardView {
    let snapshots = health.snapshots();
    DashboardView {
        not_polled: services
            .iter()
            .filter(|s| !snapshots.iter().any(|p| p.session == s.name))
            .filter_map(|s| {
                not_polled_reason(&s.status).map(|reason| NotPolledDto {
                    session: ServiceId::new(s.name.as_str()),
                    reason,
                })
            })
            .collect(),
        sessions: snapshots.iter().map(session_dto).collect(),
        session_rows: snapshots
            .iter()
            .map(|s| session_rows(s, prefs, known))
            .collect(),
        refresh_secs: count(health.interval().as_secs()),
        history_error: health.history_error().map(str::to_owned),
        history_notice: health.history_notice().map(str::to_owned),
        now: rfc3339(Utc::now()),
    }
}

/// Polls every session now; `health-updated` follows as the polls end.
pub fn refresh(core: &AppCore) {
    core.health.sync(&core.sessions);
    core.health.poll_now();
}

/// Switches a backend's offline/back notifications (kept in the settings file).
pub fn set_notifications(core: &AppCore, backend: &BackendRef, on: bool) -> Result<bool, IpcError> {
    core.settings.change(|s| {
        s.set_notifications(backend, on);
        Ok::<_, IpcError>(())
    })?;
    Ok(on)
}

impl From<OsmoError> for IpcError {
    fn from(err: OsmoError) -> Self {
        Self::new(err.code(), err.to_string())
    }
}
