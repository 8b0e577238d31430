//! The application core of OSMO Backend Admin: the app's state, every use case the screens need,
//! the background work (dashboard polling, token watch, rotations, setup steps, the sandbox's
//! loan) and the typed events it sends. It knows nothing of Tauri: the shell (`src-tauri/`)
//! registers one command per use case and implements [`events::EventSink`] with Tauri's emitter.
//!
//! Modules mirror the UI's screens (`ui/src/features/<concept>/`): each holds its use cases as
//! functions over [`AppCore`] and the views they return (the IPC types, generated into TypeScript).

pub mod about;
pub mod backend_deletion;
pub mod browser;
pub mod clusters;
pub mod config_history;
pub mod contexts;
pub mod dashboard;
pub mod error;
pub mod events;
pub mod kubeconfigs;
pub mod links;
pub mod operations;
pub mod pools;
pub mod sandbox;
pub mod scheduler;
pub mod sessions;
pub mod settings;
pub mod setup;
pub mod tokens;

use std::future::Future;
use std::ops::Deref;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use osmo_admin_core::logging::LogGuard;
use osmo_admin_core::settings::SettingsStore;
use osmo_admin_core::AppPaths;
use osmo_admin_sandbox::SandboxSlot;
use osmo_admin_secrets::SecretStore;
use osmo_admin_sessions::{Sessions, SessionsConfig};

pub use error::IpcError;
pub use events::{AppEvent, EventSink};
pub use kubeconfigs::KubeEnv;
pub use operations::{OperationId, RequestId};

use crate::dashboard::health_watch::HealthWatch;
use crate::events::Events;
use crate::kubeconfigs::Kubeconfigs;
use crate::links::Links;
use crate::operations::Operations;
use crate::setup::runs::SetupRuns;
use crate::tokens::rotations::Rotations;

/// What the core needs to open: where its files are and what it talks to.
pub struct CoreConfig {
    pub paths: AppPaths,
    /// `KUBECONFIG` and the home folder (tests pass fixtures).
    pub kube_env: KubeEnv,
    /// Where session secrets are kept (the OS keyring; tests use a memory store).
    pub secrets: Arc<dyn SecretStore>,
    /// Timeouts and where the OSMO CLI's login is looked for.
    pub sessions: SessionsConfig,
}

/// The running app: cheap to clone, shared by every command and background task.
#[derive(Clone)]
pub struct AppCore(Arc<CoreState>);

pub struct CoreState {
    pub paths: AppPaths,
    pub settings: Arc<SettingsStore>,
    /// The OSMO services and their sessions (the list is kept in the settings, secrets in the keyring).
    pub sessions: Arc<Sessions>,
    /// The dashboard's poller and uptime history.
    pub health: HealthWatch,
    /// Work the UI may cancel while it runs.
    pub operations: Operations,
    /// Token rotations of this run and interrupted ones found in `data_dir/rotations`.
    pub rotations: Arc<Rotations>,
    /// The Setup screen's connected setups and running steps, by backend.
    pub setup_runs: Arc<SetupRuns>,
    /// The simulated world offered when no OSMO service is configured.
    pub sandbox: SandboxSlot,
    /// The services the sandbox registered for the run (removed when it stops).
    pub(crate) sandbox_services: Mutex<Vec<osmo_admin_core::ServiceId>>,
    /// The kubeconfig files, their watcher, the kube clients and the exec plugins' PATH.
    pub kube: Kubeconfigs,
    /// Backend links: the saved ones and those lent for the run.
    pub links: Links,
    pub events: Events,
    runtime: OnceLock<tokio::runtime::Handle>,
    /// Keeps the log writer running for the app's lifetime; `None` when logging could not start.
    _log_guard: Option<LogGuard>,
}

impl Deref for AppCore {
    type Target = CoreState;
    fn deref(&self) -> &CoreState {
        &self.0
    }
}

impl AppCore {
    /// Loads the settings, the kubeconfig files, the uptime history and the rotation journals'
    /// folder. Nothing runs until [`AppCore::start`].
    pub fn open(config: CoreConfig, log_guard: Option<LogGuard>) -> Self {
        let CoreConfig {
            paths,
            kube_env,
            secrets,
            sessions,
        } = config;
        let settings = Arc::new(SettingsStore::open(&paths.settings_file()));
        if let Some(notice) = settings.notice() {
            tracing::warn!(%notice, "starting with default settings");
        }
        let links = Links::new(settings.clone());
        let kube = Kubeconfigs::load(kube_env, settings.clone());
        let sessions = Arc::new(Sessions::new(settings.clone(), secrets, sessions));
        let health = HealthWatch::open(&paths.data_dir.join("health.sqlite"), settings.clone());
        let rotations = Rotations::new(paths.data_dir.join("rotations"));
        Self(Arc::new(CoreState {
            paths,
            settings,
            sessions,
            health,
            operations: Operations::default(),
            rotations,
            setup_runs: Arc::new(SetupRuns::default()),
            sandbox: SandboxSlot::default(),
            sandbox_services: Mutex::new(Vec::new()),
            kube,
            links,
            events: Events::default(),
            runtime: OnceLock::new(),
            _log_guard: log_guard,
        }))
    }

    /// Connects the events to `sink` (before anything can send one).
    pub fn connect(&self, sink: Arc<dyn EventSink>) {
        self.events.connect(sink);
    }

    /// Starts the background work: watching the kubeconfig files, resuming the stored sessions,
    /// polling the dashboard, finding interrupted rotations, the token watch, and the sandbox
    /// when asked. Runs inside the async runtime.
    pub async fn start(&self, with_sandbox: bool) {
        let _ = self.runtime.set(tokio::runtime::Handle::current());
        contexts::watch_kubeconfigs(self);
        sessions::start(self);
        dashboard::start(self);
        tokens::start(self);
        tokens::watch::start(self);
        if with_sandbox {
            sandbox::start(self).await;
        }
    }

    /// Runs `work` in the background on the core's runtime (the current one before `start`).
    pub fn spawn<F>(&self, work: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        match self.runtime.get() {
            Some(runtime) => {
                runtime.spawn(work);
            }
            None => {
                tokio::spawn(work);
            }
        }
    }
}

/// A poisoned lock only means another task panicked; the data is still whole.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// An [`AppCore`] that does not keep it alive (for callbacks stored inside the core).
#[derive(Clone)]
pub struct WeakCore(std::sync::Weak<CoreState>);

impl WeakCore {
    pub fn upgrade(&self) -> Option<AppCore> {
        self.0.upgrade().map(AppCore)
    }
}

impl AppCore {
    pub fn downgrade(&self) -> WeakCore {
        WeakCore(Arc::downgrade(&self.0))
    }
}
