//! IPC tests: the real command handlers, the real capability file and the real config, on Tauri's
//! mock runtime (no webview). Modules mirror `src-tauri/src/commands/`.
#![allow(clippy::unwrap_used)]

mod about;
mod bindings;
mod capability;
mod contexts;
mod dashboard;
mod rotation_two_services;
mod sandbox;
mod scheduler;
mod sessions;
mod settings;
mod setup;
mod tokens;
mod tokens_rotation;

use std::sync::Arc;

use osmo_admin_app::KubeEnv;
use osmo_admin_core::AppPaths;
use osmo_admin_osmo_client::{CliLoginEnv, ClientConfig};
use osmo_admin_secrets::MemoryStore;
use osmo_admin_sessions::SessionsConfig;
use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow};

/// The app on the mock runtime with its folders under a fresh temporary folder.
pub struct TestApp {
    pub dir: tempfile::TempDir,
    /// The keyring the app's sessions use.
    pub keyring: Arc<MemoryStore>,
    _app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

impl TestApp {
    pub fn start() -> Self {
        Self::start_in(tempfile::tempdir().unwrap())
    }

    /// Starts with `dir` as the root of the app's folders (so a test can put files there first).
    /// Kubeconfig discovery sees no `KUBECONFIG` and the home folder `dir/home`; the OSMO CLI's
    /// login is looked for in `dir/osmo-cli`; secrets go to a memory keyring.
    pub fn start_in(dir: tempfile::TempDir) -> Self {
        let kube_env = KubeEnv {
            kubeconfig: None,
            home: Some(dir.path().join("home")),
        };
        Self::start_with(dir, kube_env)
    }

    /// Starts with `dir` as the root of the app's folders and `kube_env` as `KUBECONFIG` and home.
    pub fn start_with(dir: tempfile::TempDir, kube_env: KubeEnv) -> Self {
        let keyring = Arc::new(MemoryStore::new());
        let sessions_config = SessionsConfig {
            client: ClientConfig {
                connect_timeout: std::time::Duration::from_secs(2),
                request_timeout: std::time::Duration::from_secs(5),
                ..ClientConfig::default()
            },
            keyring_timeout: std::time::Duration::from_secs(2),
            cli_env: CliLoginEnv {
                osmo_config_file_dir: Some(dir.path().join("osmo-cli")),
                xdg_config_home: None,
                home: None,
            },
        };
        let app = osmo_backend_admin::app_builder(
            mock_builder(),
            osmo_backend_admin::LaunchOptions {
                paths: Some(AppPaths::under(dir.path())),
                sandbox: false,
                kube_env: Some(kube_env),
                secrets: Some(keyring.clone()),
                sessions_config: Some(sessions_config),
            },
        )
        .build(osmo_backend_admin::context())
        .unwrap();
        let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        Self {
            dir,
            keyring,
            _app: app,
            window,
        }
    }

    pub fn paths(&self) -> AppPaths {
        AppPaths::under(self.dir.path())
    }

    /// Collects the payloads of every `event` the app emits from now on.
    pub fn listen(&self, event: &str) -> Arc<std::sync::Mutex<Vec<Value>>> {
        use tauri::Listener;
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = seen.clone();
        self._app.listen_any(event.to_owned(), move |e| {
            let payload = serde_json::from_str(e.payload()).unwrap_or(Value::Null);
            sink.lock().unwrap().push(payload);
        });
        seen
    }

    /// Invokes `cmd` as the main window's UI would; `Err` holds the rejection value.
    pub fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request).map(|body| body.deserialize::<Value>().unwrap())
    }
}
