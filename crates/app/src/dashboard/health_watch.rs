//! The running dashboard poller: one `osmo-admin-health` [`Poller`] over the signed-in sessions,
//! the uptime [`History`] in `data_dir/health.sqlite`, and a sink that tells the UI
//! ([`AppEvent::HealthUpdated`] after the polls that end together, [`AppEvent::BackendStatusChanged`] and a desktop
//! notification for each flip whose notifications are on, as `osmo-admin-health`'s `decide` says).
//!
//! The poller is created on first use inside the async runtime, and its sessions follow
//! `Sessions::signed_in()` on every [`HealthWatch::sync`].

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use osmo_admin_core::settings::SettingsStore;
use osmo_admin_core::{BackendName, BackendRef, ServiceId};
use osmo_admin_health::{
    decide, HealthSink, HealthUpdate, History, Poller, PollerConfig, SessionSnapshot,
    SessionSource, SharedHistory,
};
use osmo_admin_osmo_client::Session;
use osmo_admin_sessions::Sessions;
use serde::Serialize;
use ts_rs::TS;

use crate::events::AppEvent;
use crate::{lock, AppCore, WeakCore};

/// The payload of `health-updated`: the sessions polled since the last one. Polls that end
/// within [`GATHER_POLLS`] of each other are announced together (fifty services polled on the same
/// cadence make one event, not fifty).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HealthUpdated {
    pub sessions: Vec<PolledSession>,
}

/// One polled session: whether its rows are stale (its poll failed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PolledSession {
    pub session: ServiceId,
    pub stale: bool,
}

/// How long the end of a poll waits for others to end before it is announced.
pub const GATHER_POLLS: Duration = Duration::from_millis(150);

/// The payload of `backend-status-changed`: what the in-app notification says.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackendStatusChanged {
    pub session: ServiceId,
    pub backend: BackendName,
    pub online: bool,
    pub message: String,
}

pub struct HealthWatch {
    poller: Mutex<Option<Poller>>,
    /// The session objects being polled, by name (a new sign-in replaces the source).
    polled: Mutex<BTreeMap<ServiceId, Arc<Session>>>,
    history: Option<SharedHistory>,
    history_error: Option<String>,
    history_notice: Option<String>,
    core: Arc<OnceLock<WeakCore>>,
    interval: Mutex<Duration>,
}

impl HealthWatch {
    /// Opens the history at `path` (a corrupt file is moved aside by the library); polling
    /// starts on the first [`HealthWatch::sync`].
    pub fn open(path: &Path, settings: Arc<SettingsStore>) -> Self {
        let (history, history_error, history_notice) = match History::open(path) {
            Ok(h) => {
                let notice = h.recovery().map(|r| r.notice());
                if let Some(notice) = &notice {
                    tracing::warn!(%notice, "uptime history not read from its file");
                }
                (Some(Arc::new(Mutex::new(h))), None, notice)
            }
            Err(e) => {
                tracing::warn!(error = %e, "uptime history unavailable");
                (None, Some(e.to_string()), None)
            }
        };
        let secs = settings.get().dashboard_refresh_secs;
        Self {
            poller: Mutex::new(None),
            polled: Mutex::new(BTreeMap::new()),
            history,
            history_error,
            history_notice,
            core: Arc::new(OnceLock::new()),
            interval: Mutex::new(Duration::from_secs(u64::from(secs.max(1)))),
        }
    }

    /// Where events go (once; later calls are ignored).
    pub(crate) fn connect(&self, core: AppCore) {
        let _ = self.core.set(core.downgrade());
    }

    pub fn history(&self) -> Option<&SharedHistory> {
        self.history.as_ref()
    }

    /// Why the history could not be opened, if it could not.
    pub fn history_error(&self) -> Option<&str> {
        self.history_error.as_deref()
    }

    /// Why the uptime history in use is not the one in its file (a corrupt file moved aside, a
    /// newer one left unread), in words for the user.
    pub fn history_notice(&self) -> Option<&str> {
        self.history_notice.as_deref()
    }

    /// Polls exactly the signed-in sessions: adds new ones, replaces re-signed ones, removes
    /// gone ones. Must run inside the Tokio runtime.
    pub fn sync(&self, sessions: &Sessions) {
        let signed_in = sessions.signed_in();
        let mut guard = lock(&self.poller);
        let poller = guard.get_or_insert_with(|| self.new_poller());
        let mut polled = lock(&self.polled);
        let keep: Vec<&ServiceId> = signed_in.iter().map(|(n, _)| n).collect();
        let gone: Vec<ServiceId> = polled
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
                    name.to_string(),
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
            core: self.core.clone(),
            polled: Arc::new(Mutex::new(Vec::new())),
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
    core: Arc<OnceLock<WeakCore>>,
    /// The sessions polled and not announced yet (an announcement is due while not empty).
    polled: Arc<Mutex<Vec<PolledSession>>>,
}

impl Sink {
    /// Announces `polled` with the others that end within [`GATHER_POLLS`] (at once outside a
    /// Tokio runtime, which the poller never is).
    fn announce(&self, core: &AppCore, polled: PolledSession) {
        let due = {
            let mut pending = lock(&self.polled);
            let due = pending.is_empty();
            pending.retain(|s| s.session != polled.session);
            pending.push(polled);
            due
        };
        if !due {
            return;
        }
        let pending = self.polled.clone();
        let emit = move |core: &AppCore| {
            let sessions = std::mem::take(&mut *lock(&pending));
            if !sessions.is_empty() {
                core.events
                    .emit(AppEvent::HealthUpdated(HealthUpdated { sessions }));
            }
        };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                let weak = core.downgrade();
                runtime.spawn(async move {
                    tokio::time::sleep(GATHER_POLLS).await;
                    if let Some(core) = weak.upgrade() {
                        emit(&core);
                    }
                });
            }
            Err(_) => emit(core),
        }
    }
}

impl HealthSink for Sink {
    fn update(&self, update: HealthUpdate) {
        let Some(core) = self.core.get().and_then(WeakCore::upgrade) else {
            return;
        };
        // Most polls change no backend's status: the settings are read only when one did.
        let settings = (!update.changes.is_empty()).then(|| core.settings.get());
        let muted = |session: &str, backend: &str| {
            settings
                .as_ref()
                .is_some_and(|s| !s.notifications_on(&BackendRef::new(session, backend)))
        };
        for notification in decide(&update.changes, muted) {
            let message = notification.message();
            tracing::info!(session = %notification.session, backend = %notification.backend, online = notification.online(), "backend status changed");
            core.events.notify_desktop(&message);
            core.events
                .emit(AppEvent::BackendStatusChanged(BackendStatusChanged {
                    session: ServiceId::new(notification.session.as_str()),
                    backend: BackendName::new(notification.backend.as_str()),
                    online: notification.online(),
                    message,
                }));
        }
        self.announce(
            &core,
            PolledSession {
                session: ServiceId::new(update.snapshot.session.as_str()),
                stale: update.snapshot.stale,
            },
        );
    }
}
