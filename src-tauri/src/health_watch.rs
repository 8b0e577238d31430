//! The running dashboard poller, kept in `AppState`: one `osmo-admin-health` [`Poller`] over the
//! signed-in sessions, the uptime [`History`] in `data_dir/health.sqlite`, and a sink that tells
//! the UI (`health-updated` after every poll, `backend-status-changed` for each flip whose
//! notifications are on).
//!
//! The poller is created on first use inside the async runtime (the mock runtime of the IPC tests
//! never runs `setup`), and its sessions follow `Sessions::signed_in()` on every [`HealthWatch::sync`].

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use osmo_admin_core::settings::SettingsStore;
use osmo_admin_health::{
    HealthSink, HealthUpdate, History, Poller, PollerConfig, SessionSnapshot, SessionSource,
    SharedHistory,
};
use osmo_admin_osmo_client::Session;
use osmo_admin_sessions::Sessions;
use serde::Serialize;
use ts_rs::TS;

use crate::state::lock;

/// Sent after every poll of a session; the UI re-reads `dashboard_snapshot`.
pub const HEALTH_UPDATED: &str = "health-updated";
/// Sent when a backend whose notifications are on goes offline or comes back.
pub const BACKEND_STATUS_CHANGED: &str = "backend-status-changed";

/// The payload of `health-updated`.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HealthUpdated {
    pub session: String,
    pub stale: bool,
}

/// The payload of `backend-status-changed`: what the in-app notification says.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackendStatusChanged {
    pub session: String,
    pub backend: String,
    pub online: bool,
    pub message: String,
}

/// How the sink reaches the UI: set once the app handle exists.
pub type Emit = Box<dyn Fn(&'static str, serde_json::Value) + Send + Sync>;

pub struct HealthWatch {
    poller: Mutex<Option<Poller>>,
    /// The session objects being polled, by name (a new sign-in replaces the source).
    polled: Mutex<BTreeMap<String, Arc<Session>>>,
    history: Option<SharedHistory>,
    history_error: Option<String>,
    emit: Arc<OnceLock<Emit>>,
    settings: Arc<SettingsStore>,
    interval: Mutex<Duration>,
}

impl HealthWatch {
    /// Opens the history at `path` (a corrupt file is moved aside by the library); polling
    /// starts on the first [`HealthWatch::sync`].
    pub fn open(path: &Path, settings: Arc<SettingsStore>) -> Self {
        let (history, history_error) = match History::open(path) {
            Ok(h) => {
                if let Some(r) = h.recovery() {
                    tracing::warn!(notice = %r.notice(), "uptime history recovered");
                }
                (Some(Arc::new(Mutex::new(h))), None)
            }
            Err(e) => {
                tracing::warn!(error = %e, "uptime history unavailable");
                (None, Some(e.to_string()))
            }
        };
        let secs = settings.get().dashboard_refresh_secs;
        Self {
            poller: Mutex::new(None),
            polled: Mutex::new(BTreeMap::new()),
            history,
            history_error,
            emit: Arc::new(OnceLock::new()),
            settings,
            interval: Mutex::new(Duration::from_secs(u64::from(secs.max(1)))),
        }
    }

    /// Where events go (once; later calls are ignored).
    pub fn set_emit(&self, emit: Emit) {
        let _ = self.emit.set(emit);
    }

    pub fn history(&self) -> Option<&SharedHistory> {
        self.history.as_ref()
    }

    /// Why the history could not be opened, if it could not.
    pub fn history_error(&self) -> Option<&str> {
        self.history_error.as_deref()
    }

    /// Polls exactly the signed-in sessions: adds new ones, replaces re-signed ones, removes
    /// gone ones. Must run inside the Tokio runtime.
    pub fn sync(&self, sessions: &Sessions) {
        let signed_in = sessions.signed_in();
        let mut guard = lock(&self.poller);
        let poller = guard.get_or_insert_with(|| self.new_poller());
        let mut polled = lock(&self.polled);
        let keep: Vec<&String> = signed_in.iter().map(|(n, _)| n).collect();
        let gone: Vec<String> = polled
            .keys()
            .filter(|n| !keep.contains(n))
            .cloned()
            .collect();
        for name in gone {
            poller.remove_session(&name);
            polled.remove(&name);
        }
        for (name, session) in signed_in {
            let same = polled.get(&name).is_some_and(|s| Arc::ptr_eq(s, &session));
            if !same {
                poller.add_session(Arc::new(SessionSource::named(
                    name.clone(),
                    session.clone(),
                )));
                polled.insert(name, session);
            }
        }
    }

    fn new_poller(&self) -> Poller {
        let config = PollerConfig {
            interval: *lock(&self.interval),
            ..PollerConfig::default()
        };
        let sink = Arc::new(Sink {
            emit: self.emit.clone(),
            settings: self.settings.clone(),
        });
        let poller = Poller::new(config, sink);
        match &self.history {
            Some(h) => poller.with_history(h.clone()),
            None => poller,
        }
    }

    /// Applies a new refresh interval to every session.
    pub fn set_interval_secs(&self, secs: u32) {
        let interval = Duration::from_secs(u64::from(secs.max(1)));
        *lock(&self.interval) = interval;
        if let Some(p) = lock(&self.poller).as_mut() {
            p.set_interval(interval);
        }
    }

    /// Polls every session now.
    pub fn poll_now(&self) {
        if let Some(p) = lock(&self.poller).as_ref() {
            for s in p.sessions() {
                p.poll_now(&s);
            }
        }
    }

    pub fn snapshots(&self) -> Vec<SessionSnapshot> {
        lock(&self.poller)
            .as_ref()
            .map(Poller::snapshots)
            .unwrap_or_default()
    }

    pub fn interval(&self) -> Duration {
        *lock(&self.interval)
    }
}

struct Sink {
    emit: Arc<OnceLock<Emit>>,
    settings: Arc<SettingsStore>,
}

impl HealthSink for Sink {
    fn update(&self, update: HealthUpdate) {
        let Some(emit) = self.emit.get() else {
            return;
        };
        if !update.changes.is_empty() {
            let muted = self.settings.get().muted_notifications;
            for change in &update.changes {
                if muted
                    .iter()
                    .any(|m| m.session == change.session && m.backend == change.backend)
                {
                    continue;
                }
                let message = if change.online {
                    format!(
                        "Backend {} ({}) is back online",
                        change.backend, change.session
                    )
                } else {
                    format!(
                        "Backend {} ({}) went offline",
                        change.backend, change.session
                    )
                };
                tracing::info!(session = %change.session, backend = %change.backend, online = change.online, "backend status changed");
                let payload = BackendStatusChanged {
                    session: change.session.clone(),
                    backend: change.backend.clone(),
                    online: change.online,
                    message,
                };
                emit(
                    BACKEND_STATUS_CHANGED,
                    serde_json::to_value(payload).unwrap_or_default(),
                );
            }
        }
        let payload = HealthUpdated {
            session: update.snapshot.session.clone(),
            stale: update.snapshot.stale,
        };
        emit(
            HEALTH_UPDATED,
            serde_json::to_value(payload).unwrap_or_default(),
        );
    }
}
