use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use osmo_admin_core::settings::SettingsStore;
use osmo_admin_core::ServiceId;
use osmo_admin_osmo_client::{CancellationToken, CliLoginEnv, ClientConfig};
use osmo_admin_secrets::{MemoryStore, Secret};
use osmo_admin_sessions::{SessionStatus, SessionView, Sessions, SessionsConfig};
use osmo_sim::{Dialect, SeedBackend, SeedToken, SimConfig, SimHandle, Simulator};

pub const DIALECTS: [Dialect; 3] = [Dialect::V6_0, Dialect::V6_2, Dialect::V6_4];

/// A settings folder, a keyring and the CLI's config folder that outlive one `Sessions` (so a
/// test can "restart the app").
pub struct World {
    pub dir: tempfile::TempDir,
    pub keyring: Arc<MemoryStore>,
}

impl World {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            keyring: Arc::new(MemoryStore::new()),
        }
    }

    pub fn settings_file(&self) -> PathBuf {
        self.dir.path().join("settings.json")
    }

    pub fn cli_dir(&self) -> PathBuf {
        self.dir.path().join("osmo-cli")
    }

    /// A fresh `Sessions`, as the app builds it on start.
    pub fn start(&self) -> Arc<Sessions> {
        let settings = Arc::new(SettingsStore::open(&self.settings_file()));
        let config = SessionsConfig {
            client: ClientConfig {
                connect_timeout: Duration::from_secs(2),
                request_timeout: Duration::from_secs(3),
                get_retries: 1,
                retry_backoff: Duration::from_millis(10),
                refresh_margin: Duration::from_secs(1),
            },
            keyring_timeout: Duration::from_secs(2),
            cli_env: CliLoginEnv {
                osmo_config_file_dir: Some(self.cli_dir()),
                xdg_config_home: None,
                home: None,
            },
        };
        Arc::new(Sessions::new(settings, self.keyring.clone(), config))
    }

    pub fn settings_text(&self) -> String {
        std::fs::read_to_string(self.settings_file()).unwrap_or_default()
    }

    /// The keyring key the settings file records for the service named `name`.
    pub fn keyring_key(&self, name: &str) -> String {
        let settings = SettingsStore::open(&self.settings_file()).get();
        let service = settings.services.iter().find(|s| s.name == name);
        service
            .unwrap_or_else(|| panic!("{name} is not stored"))
            .id
            .clone()
    }
}

/// An auth-requiring simulator with an admin token `admin-token` (6.4: of user `svc-admin`).
pub async fn auth_sim(dialect: Dialect) -> SimHandle {
    let config = SimConfig::new(dialect)
        .require_auth(true)
        .backend(SeedBackend::new("gpu-east"));
    let config = match dialect {
        Dialect::V6_0 => config.token(SeedToken::service("admin-token", &["osmo-admin"])),
        _ => config
            .user("svc-admin", &["osmo-admin"])
            .token(SeedToken::for_user(
                "svc-admin",
                "admin-token",
                &["osmo-admin"],
            )),
    };
    Simulator::start(config).await.unwrap()
}

pub fn admin_user(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::V6_0 => "admin-token",
        _ => "svc-admin",
    }
}

pub fn admin_token(sim: &SimHandle) -> Secret {
    Secret::new(sim.seeded_token("admin-token").unwrap())
}

pub fn never() -> CancellationToken {
    CancellationToken::new()
}

pub async fn only(sessions: &Sessions) -> SessionView {
    let mut list = sessions.list().await;
    assert_eq!(list.len(), 1, "{list:?}");
    list.remove(0)
}

pub fn signed_in_user(view: &SessionView) -> &str {
    match &view.status {
        SessionStatus::SignedIn { user, .. } => user,
        other => panic!("not signed in: {other:?}"),
    }
}

/// Adds the simulator as the service "prod"; returns its id.
pub async fn add_prod(sessions: &Sessions, sim: &SimHandle) -> ServiceId {
    sessions
        .add_service("prod", &sim.base_url(), None, &never())
        .await
        .unwrap()
}

/// Signs the service in with the simulator's admin token.
pub async fn sign_in_as_admin(sessions: &Sessions, id: &ServiceId, sim: &SimHandle) {
    sessions
        .sign_in_with_access_token(id, admin_token(sim), &never())
        .await
        .unwrap();
}
