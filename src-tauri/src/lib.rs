//! The Tauri shell of OSMO Backend Admin: the only code that depends on `tauri`.
//!
//! It opens the application core (`osmo-admin-app`) with the platform folders, registers one
//! command per use case ([`commands`]), delivers the core's events ([`events`]), keeps the webview
//! on the app's own page ([`navigation`]) and renders the TypeScript bindings ([`bindings`]). Logic lives in `crates/`.

pub mod bindings;
pub mod commands;
pub mod events;
pub mod navigation;

use std::sync::Arc;

use osmo_admin_app::{AppCore, CoreConfig, KubeEnv};
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
    pub kube_env: Option<KubeEnv>,
    /// Where session secrets are kept instead of the OS keyring (tests use a memory store).
    pub secrets: Option<Arc<dyn SecretStore>>,
    /// Overrides timeouts and where the OSMO CLI's login is looked for (tests).
    pub sessions_config: Option<SessionsConfig>,
}

impl LaunchOptions {
    /// From the command line: `--sandbox` starts the sandbox.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Self {
        Self {
            sandbox: args.into_iter().any(|arg| arg == "--sandbox"),
            ..Self::default()
        }
    }
}

/// Starts the app with the real runtime.
pub fn run() {
    #[cfg(target_os = "linux")]
    draw_on_the_cpu();
    #[cfg(target_os = "linux")]
    no_memory_footprint_polling();
    jit_without_dfg();
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

/// WebKitGTK draws pages with OpenGL by default. Where that OpenGL is a software one (no GPU, a
/// virtual machine, a remote desktop), every repaint runs through it, and its buffers are held
/// besides: on the benchmark's machine the dashboard of 1,000 backends cost WebKit more CPU per
/// refresh and more memory than drawn by Skia on the CPU (docs/performance.md). The app's screens
/// are forms and a table, which Skia draws on the CPU well. Whoever prefers the GPU sets
/// `WEBKIT_SKIA_ENABLE_CPU_RENDERING=0`. (Turning compositing off altogether saves more, but
/// WebKitGTK 2.50 then never answers WebDriver's screenshots, which the tests take.) Called first
/// thing in `main`, before any other thread.
#[cfg(target_os = "linux")]
fn draw_on_the_cpu() {
    default_env("WEBKIT_SKIA_ENABLE_CPU_RENDERING", "1");
}

/// WebKitGTK's web process measures its own memory every 30 s by reading `/proc/self/smaps`: 1.3
/// MB of text over its 1,700 mappings (most of them the libraries Mesa and WebKit load), about
/// 30 ms of CPU each time, to decide whether to shed caches (or to kill itself past a limit) under
/// memory pressure. The app shows one small page: on the benchmark's 1,000 backends that reading
/// was about 7 ms of every 10 s refresh (docs/performance.md). The kernel still reclaims memory
/// under pressure as for any program. Whoever wants WebKit's own handling back sets
/// `WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR=0`. Called first thing in `main`, before any other
/// thread.
#[cfg(target_os = "linux")]
fn no_memory_footprint_polling() {
    default_env("WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR", "1");
}

/// JavaScriptCore compiles hot code in up to four tiers; its third (DFG) and fourth (FTL) compile
/// on worker threads again and again while the dashboard refreshes, for code that runs a few
/// milliseconds every ten seconds. Without them the page's code runs in the interpreter and the
/// baseline JIT: on the benchmark's 1,000 backends a refresh cost WebKit about 25 ms less CPU and
/// the page 1 MiB less memory per 100 backends, with search, scroll and the first rows as quick
/// as before (docs/performance.md). Whoever wants them back sets `JSC_useDFGJIT=true`. Called
/// first thing in `main`, before any other thread; WebKit's processes inherit the variable.
fn jit_without_dfg() {
    default_env("JSC_useDFGJIT", "false");
}

/// Sets `name` to `value` unless the user set it: the app's WebKit settings above, each of which
/// the user can turn back by setting the variable. Only before any other thread starts.
fn default_env(name: &str, value: &str) {
    if std::env::var_os(name).is_none() {
        std::env::set_var(name, value);
    }
}

/// The compiled-in configuration, capabilities and (with `custom-protocol`) the built UI.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// Everything but the runtime and the context, so tests can build the same app on the mock
/// runtime. Without `options.paths` the platform folders are resolved once the app is set up,
/// as each OS expects.
pub fn app_builder<R: Runtime>(builder: Builder<R>, options: LaunchOptions) -> Builder<R> {
    let builder = builder
        .invoke_handler(commands::invoke_handler())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(navigation::guard());
    let kube_env = options.kube_env.unwrap_or_else(KubeEnv::from_process);
    let secrets = options
        .secrets
        .unwrap_or_else(|| Arc::new(KeyringStore::for_current_build()));
    let sessions = options.sessions_config.unwrap_or_default();
    let config = move |paths| CoreConfig {
        paths,
        kube_env: kube_env.clone(),
        secrets: secrets.clone(),
        sessions: sessions.clone(),
    };
    // Known folders: the core exists before the event loop (the mock runtime never starts one).
    let known = options.paths.map(|paths| open(config(paths)));
    let builder = match &known {
        Some(core) => builder.manage(core.clone()),
        None => builder,
    };
    let with_sandbox = options.sandbox;
    builder.setup(move |app| {
        let core = match known {
            Some(core) => core,
            None => {
                let core = open(config(platform_paths(app.handle())?));
                app.manage(core.clone());
                core
            }
        };
        events::connect(app.handle(), &core);
        let handle = app.handle().clone();
        tauri::async_runtime::spawn(async move {
            core.start(false).await;
            if with_sandbox {
                let view = osmo_admin_app::sandbox::start(&core).await;
                commands::sandbox::label_window(&handle, &view);
            }
        });
        Ok(())
    })
}

/// Starts logging and opens the core for the app's lifetime.
fn open(config: CoreConfig) -> AppCore {
    let log_guard = match osmo_admin_core::logging::init(&config.paths.log_dir) {
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
    AppCore::open(config, log_guard)
}

fn platform_paths<R: Runtime>(app: &tauri::AppHandle<R>) -> tauri::Result<AppPaths> {
    let resolver = app.path();
    Ok(AppPaths {
        config_dir: resolver.app_config_dir()?,
        data_dir: resolver.app_data_dir()?,
        log_dir: resolver.app_log_dir()?,
    })
}
