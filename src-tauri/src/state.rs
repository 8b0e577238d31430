//! What the running app holds, shared by all commands through `tauri::State<AppState>`.

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use osmo_admin_core::logging::LogGuard;
use osmo_admin_core::settings::{BackendLinkSetting, SettingsStore};
use osmo_admin_core::AppPaths;
use osmo_admin_kube::{discover, KubeconfigSet, KubeconfigWatcher, SourceFile};
use osmo_admin_sandbox::SandboxSlot;
use osmo_admin_secrets::SecretStore;
use osmo_admin_sessions::{Sessions, SessionsConfig};

use crate::health_watch::HealthWatch;
use crate::operations::Operations;
use crate::rotations::Rotations;
use crate::setup_runs::SetupRuns;

pub struct AppState {
    pub paths: AppPaths,
    pub settings: Arc<SettingsStore>,
    /// The OSMO services and their sessions (the list is kept in the settings, secrets in `secrets`).
    pub sessions: Arc<Sessions>,
    /// The dashboard's poller and uptime history.
    pub health: HealthWatch,
    /// Commands the UI may cancel while they run.
    pub operations: Operations,
    /// Token rotations of this run and interrupted ones found in `data_dir/rotations`.
    pub rotations: Arc<Rotations>,
    /// The Setup screen's connected setups and running steps, by backend name.
    pub setup_runs: Arc<SetupRuns>,
    /// The simulated world offered when no OSMO service is configured.
    pub sandbox: SandboxSlot,
    /// What the running sandbox lends for the run: its cluster's kubeconfig and backend links.
    pub sandbox_loan: Mutex<SandboxLoan>,
    /// Where kubeconfig files are looked for (`KUBECONFIG` and the home folder).
    pub kube_env: KubeEnv,
    /// The user's kubeconfig files as last read (with last good contents of broken ones).
    pub kubeconfigs: Mutex<KubeconfigSet>,
    /// The login shell's PATH for exec credential plugins, asked for once on the first test.
    pub exec_path: Mutex<Option<OsString>>,
    /// Watches the kubeconfig files; replaced when the list of files changes.
    pub kube_watcher: Mutex<Option<KubeconfigWatcher>>,
    /// Keeps the log writer running for the app's lifetime; `None` when logging could not start.
    _log_guard: Option<LogGuard>,
}

/// The sandbox cluster as the app sees it while the sandbox runs; never written to the settings.
#[derive(Debug, Clone, Default)]
pub struct SandboxLoan {
    /// Read after the user's kubeconfig files (its one context is `osmo-sandbox`).
    pub kubeconfig: Option<PathBuf>,
    /// The sandbox backends whose operator runs in that cluster.
    pub links: Vec<BackendLinkSetting>,
}

/// The environment kubeconfig discovery reads, taken once at start (tests pass their own).
#[derive(Debug, Clone, Default)]
pub struct KubeEnv {
    /// The value of `KUBECONFIG`.
    pub kubeconfig: Option<OsString>,
    /// The user's home folder (for `~/.kube/config` and `~/` in typed paths).
    pub home: Option<PathBuf>,
}

impl KubeEnv {
    /// `KUBECONFIG` and the home folder of this process.
    pub fn from_process() -> Self {
        Self {
            kubeconfig: std::env::var_os("KUBECONFIG"),
            home: std::env::home_dir(),
        }
    }
}

impl AppState {
    pub fn open(
        paths: AppPaths,
        kube_env: KubeEnv,
        secrets: Arc<dyn SecretStore>,
        sessions_config: SessionsConfig,
        log_guard: Option<LogGuard>,
    ) -> Self {
        let settings = Arc::new(SettingsStore::open(&paths.settings_file()));
        if let Some(notice) = settings.notice() {
            tracing::warn!(%notice, "starting with default settings");
        }
        let kubeconfigs = KubeconfigSet::load(kube_sources(&kube_env, &settings, None));
        let sessions = Arc::new(Sessions::new(settings.clone(), secrets, sessions_config));
        let health = HealthWatch::open(&paths.data_dir.join("health.sqlite"), settings.clone());
        let rotations = Rotations::new(paths.data_dir.join("rotations"));
        Self {
            paths,
            settings,
            sessions,
            health,
            operations: Operations::default(),
            rotations,
            setup_runs: Arc::new(SetupRuns::default()),
            sandbox: SandboxSlot::default(),
            sandbox_loan: Mutex::new(SandboxLoan::default()),
            kube_env,
            kubeconfigs: Mutex::new(kubeconfigs),
            exec_path: Mutex::new(None),
            kube_watcher: Mutex::new(None),
            _log_guard: log_guard,
        }
    }

    /// The kubeconfig set, re-read from disk (files from the environment, then the settings' extra files).
    pub fn reload_kubeconfigs(&self) -> MutexGuard<'_, KubeconfigSet> {
        let mut set = lock(&self.kubeconfigs);
        set.reload_sources(self.kube_sources());
        set
    }

    /// The backend links: the saved ones, then the sandbox's for backends not linked by the user.
    pub fn backend_links(&self) -> Vec<BackendLinkSetting> {
        let mut links = self.settings.get().backend_links;
        for lent in lock(&self.sandbox_loan).links.iter() {
            let linked = links
                .iter()
                .any(|l| l.session == lent.session && l.backend == lent.backend);
            if !linked {
                links.push(lent.clone());
            }
        }
        links
    }

    /// The saved link of one backend, or the sandbox's.
    pub fn backend_link(&self, session: &str, backend: &str) -> Option<BackendLinkSetting> {
        self.backend_links()
            .into_iter()
            .find(|l| l.session == session && l.backend == backend)
    }

    fn kube_sources(&self) -> Vec<SourceFile> {
        let lent = lock(&self.sandbox_loan).kubeconfig.clone();
        kube_sources(&self.kube_env, &self.settings, lent)
    }
}

impl AppState {
    /// The kubeconfig files read now, in merge order.
    pub fn kubeconfig_paths(&self) -> Vec<PathBuf> {
        self.kube_sources()
            .into_iter()
            .map(|source| source.path)
            .collect()
    }
}

fn kube_sources(
    env: &KubeEnv,
    settings: &SettingsStore,
    sandbox: Option<PathBuf>,
) -> Vec<SourceFile> {
    let mut extra = settings.get().extra_kubeconfigs;
    extra.extend(sandbox.filter(|p| !extra.contains(p)));
    discover(env.kubeconfig.as_deref(), env.home.as_deref(), &extra)
}

/// A poisoned lock only means another command panicked; the data is still whole.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
