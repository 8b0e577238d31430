//! What the running app holds, shared by all commands through `tauri::State<AppState>`.

use osmo_admin_core::logging::LogGuard;
use osmo_admin_core::settings::SettingsStore;
use osmo_admin_core::AppPaths;
use osmo_admin_sandbox::SandboxSlot;

pub struct AppState {
    pub paths: AppPaths,
    pub settings: SettingsStore,
    /// The simulated world offered when no OSMO service is configured.
    pub sandbox: SandboxSlot,
    /// Keeps the log writer running for the app's lifetime; `None` when logging could not start.
    _log_guard: Option<LogGuard>,
}

impl AppState {
    pub fn open(paths: AppPaths, log_guard: Option<LogGuard>) -> Self {
        let settings = SettingsStore::open(&paths.settings_file());
        if let Some(notice) = settings.notice() {
            tracing::warn!(%notice, "starting with default settings");
        }
        Self {
            paths,
            settings,
            sandbox: SandboxSlot::default(),
            _log_guard: log_guard,
        }
    }
}
