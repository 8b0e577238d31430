//! The Tauri shell of OSMO Backend Admin: the only code that depends on `tauri`.
//!
//! It wires the library crates to the webview: resolves the platform folders, starts logging,
//! holds [`state::AppState`], and exposes thin [`commands`]. Logic lives in `crates/`.

pub mod bindings;
pub mod commands;
pub mod desktop_notification;
pub mod error;
pub mod health_watch;
pub mod operations;
pub mod rotations;
pub mod setup_runs;
pub mod state;
pub mod token_watch;

use std::sync::Arc;

use osmo_admin_core::AppPaths;
use osmo_admin_secrets::{KeyringStore, SecretStore};
use osmo_admin_sessions::SessionsConfig;
use tauri::{Builder, Manager, Runtime};

/// How the app was asked to start.
#[derive(Clone, Default)]
pub struct LaunchOptions {
    /// Overrides the platform folders (tests use a temporary folder).
    pub paths: Option<AppPaths>,
    /// Start the sandbox right away (`--sandbox` on the command line).
    pub sandbox: bool,
    /// Overrides `KUBECONFIG` and the home folder for kubeconfig discovery (tests use fixtures).
    pub kube_env: Option<state::KubeEnv>,
    /// Where session secrets are kept instead of the OS keyring (tests use a memory store).
    pub secrets: Option<Arc<dyn SecretStore>>,
    /// Overrides timeouts and where the OSMO CLI's login is looked for (tests).
    pub sessions_config: Option<SessionsConfig>,
}

impl LaunchOptions {
    /// From the command line: `--sandbox` starts the sandbox.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Self {
        Self {
            paths: None,
            sandbox: args.into_iter().any(|arg| arg == "--sandbox"),
            ..Self::default()
        }
    }
}

/// Starts the app with the real runtime.
pub fn run() {
    app_builder(
        Builder::default(),
        LaunchOptions::from_args(std::env::args()),
    )
    .run(context())
    .unwrap_or_else(|err| {
        eprintln!("OSMO Backend Admin could not start: {err}");
        std::process::exit(1);
    });
}

/// The compiled-in configuration, capabilities and (with `custom-protocol`) the built UI.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// Everything but the runtime and the context, so tests can build the same app on the mock
/// runtime. Without `options.paths` the platform folders are resolved once the app is set up,
/// as each OS expects.
pub fn app_builder<R: Runtime>(builder: Builder<R>, options: LaunchOptions) -> Builder<R> {
    let builder = builder.invoke_handler(tauri::generate_handler![
        commands::about::about,
        commands::settings::get_settings,
        commands::settings::update_settings,
        commands::settings::dismiss_settings_notice,
        commands::sandbox::sandbox_status,
        commands::sandbox::start_sandbox,
        commands::sandbox::stop_sandbox,
        commands::contexts::list_contexts,
        commands::contexts::test_context,
        commands::contexts::add_kubeconfig_file,
        commands::contexts::remove_kubeconfig_file,
        commands::contexts::link_backend,
        commands::contexts::unlink_backend,
        commands::contexts::set_current_context,
        commands::sessions::list_sessions,
        commands::sessions::add_service,
        commands::sessions::sign_in_with_token,
        commands::sessions::sign_in_development,
        commands::sessions::start_device_code,
        commands::sessions::cancel_device_code,
        commands::sessions::sign_out,
        commands::sessions::retry_service,
        commands::sessions::import_cli_login,
        commands::sessions::cancel_operation,
        commands::browser::open_in_browser,
        commands::scheduler::load_scheduler,
        commands::scheduler::preview_scheduler,
        commands::scheduler::save_scheduler,
        commands::dashboard::dashboard_snapshot,
        commands::dashboard::refresh_dashboard,
        commands::dashboard::backend_detail,
        commands::dashboard::diagnose_backend,
        commands::dashboard::set_backend_notifications,
        commands::tokens::list_tokens,
        commands::tokens::create_token,
        commands::tokens::delete_token,
        commands::tokens::tokens_needing_rotation,
        commands::tokens::start_rotation,
        commands::tokens::list_rotations,
        commands::tokens::rotation_status,
        commands::tokens::retry_rotation,
        commands::tokens::roll_back_rotation,
        commands::setup::setup_defaults,
        commands::setup::check_setup,
        commands::setup::run_setup_step,
        commands::setup::save_values_file,
        commands::setup::setup_progress,
    ]);
    let builder = builder
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init());
    // Known folders: the state exists before the event loop (the mock runtime never starts one).
    let resolve_paths = options.paths.is_none();
    let kube_env = options
        .kube_env
        .clone()
        .unwrap_or_else(state::KubeEnv::from_process);
    let secrets = options
        .secrets
        .clone()
        .unwrap_or_else(|| Arc::new(KeyringStore::for_current_build()));
    let sessions_config = options.sessions_config.clone().unwrap_or_default();
    let builder = match options.paths {
        Some(paths) => builder.manage(start(
            paths,
            kube_env.clone(),
            secrets.clone(),
            sessions_config.clone(),
        )),
        None => builder,
    };
    builder.setup(move |app| {
        if resolve_paths {
            let paths = platform_paths(app.handle())?;
            app.manage(start(paths, kube_env, secrets, sessions_config));
        }
        commands::contexts::watch_kubeconfigs(app.handle());
        commands::sessions::start(app.handle());
        commands::dashboard::start(app.handle());
        commands::tokens::start(app.handle());
        token_watch::start(app.handle());
        if options.sandbox {
            let app = app.handle().clone();
            tauri::async_runtime::spawn(async move { commands::sandbox::start(&app).await });
        }
        Ok(())
    })
}

/// Starts logging and loads the state kept for the app's lifetime.
fn start(
    paths: AppPaths,
    kube_env: state::KubeEnv,
    secrets: Arc<dyn SecretStore>,
    sessions_config: SessionsConfig,
) -> state::AppState {
    let log_guard = match osmo_admin_core::logging::init(&paths.log_dir) {
        Ok(guard) => Some(guard),
        Err(err) => {
            eprintln!("logging is off: {err}");
            None
        }
    };
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        "OSMO Backend Admin starting"
    );
    state::AppState::open(paths, kube_env, secrets, sessions_config, log_guard)
}

fn platform_paths<R: Runtime>(app: &tauri::AppHandle<R>) -> tauri::Result<AppPaths> {
    let resolver = app.path();
    Ok(AppPaths {
        config_dir: resolver.app_config_dir()?,
        data_dir: resolver.app_data_dir()?,
        log_dir: resolver.app_log_dir()?,
    })
}
