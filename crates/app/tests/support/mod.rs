//! What the core's test binaries share: an [`AppCore`] opened on a folder with a memory keyring,
//! its events collected by a [`Recorder`], signing in to osmo-sim, the shared test cluster's
//! kubeconfig, running a setup step, and waiting for a condition. Each binary uses a part.
#![allow(dead_code)]

use std::future::Future;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use osmo_admin_app::setup::{RunSetupStepDto, SetupPlanDto, SetupStepDto};
use osmo_admin_app::{AppCore, AppEvent, CoreConfig, EventSink, KubeEnv};
use osmo_admin_core::{AppPaths, BackendRef, ServiceId};
use osmo_admin_osmo_client::{CliLoginEnv, ClientConfig};
use osmo_admin_secrets::MemoryStore;
use osmo_admin_sessions::SessionsConfig;
use osmo_admin_test_cluster::TestCluster;
use serde_json::Value;

/// Every event and desktop notification the core sent, in order.
#[derive(Default)]
pub struct Recorder {
    events: Mutex<Vec<AppEvent>>,
    desktop: Mutex<Vec<String>>,
}

impl EventSink for Recorder {
    fn emit(&self, event: &AppEvent) {
        self.events.lock().unwrap().push(event.clone());
    }

    fn notify_desktop(&self, message: &str) {
        self.desktop.lock().unwrap().push(message.to_owned());
    }
}

impl Recorder {
    /// The payloads of the events called `name`, as the UI receives them.
    pub fn payloads(&self, name: &str) -> Vec<Value> {
        self.events
            .lock()
            .unwrap()
            .iter()
            .filter(|e| e.name() == name)
            .map(AppEvent::payload)
            .collect()
    }

    pub fn desktop(&self) -> Vec<String> {
        self.desktop.lock().unwrap().clone()
    }
}

/// A started core on a temporary folder, with its recorded events.
pub struct TestCore {
    pub core: AppCore,
    pub events: Arc<Recorder>,
    pub dir: tempfile::TempDir,
}

impl TestCore {
    /// No kubeconfig: `KUBECONFIG` unset and the home folder `dir/home` (empty).
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let kube_env = KubeEnv {
            kubeconfig: None,
            home: Some(dir.path().join("home")),
        };
        Self::start_with(dir, kube_env).await
    }

    /// With the shared test cluster's kubeconfig.
    pub async fn start_on(cluster: &TestCluster) -> Self {
        Self::start_with(tempfile::tempdir().unwrap(), cluster_env(cluster)).await
    }

    /// Opens the core on `dir` (a second core on the same folder is the app started again).
    pub async fn start_with(dir: tempfile::TempDir, kube_env: KubeEnv) -> Self {
        let (core, events) = open(dir.path(), kube_env).await;
        Self { core, events, dir }
    }
}

pub fn cluster_env(cluster: &TestCluster) -> KubeEnv {
    KubeEnv {
        kubeconfig: Some(cluster.kubeconfig_path().as_os_str().to_owned()),
        home: None,
    }
}

/// Opens and starts a core on `dir`, its events going to a new [`Recorder`].
pub async fn open(dir: &Path, kube_env: KubeEnv) -> (AppCore, Arc<Recorder>) {
    let config = CoreConfig {
        paths: AppPaths::under(dir),
        kube_env,
        secrets: Arc::new(MemoryStore::new()),
        sessions: SessionsConfig {
            client: ClientConfig {
                connect_timeout: Duration::from_secs(2),
                request_timeout: Duration::from_secs(5),
                ..ClientConfig::default()
            },
            keyring_timeout: Duration::from_secs(2),
            cli_env: CliLoginEnv {
                osmo_config_file_dir: Some(dir.join("osmo-cli")),
                xdg_config_home: None,
                home: None,
            },
        },
    };
    let core = AppCore::open(config, None);
    let events = Arc::new(Recorder::default());
    core.connect(events.clone());
    core.start(false).await;
    (core, events)
}

/// Adds the service at `url` as `name` and signs in to it in development mode as `ana`.
pub async fn sign_in(core: &AppCore, name: &str, url: &str) -> ServiceId {
    let id = add_service(core, name, url).await;
    osmo_admin_app::sessions::sign_in_development(core, id.clone(), "ana".into(), None)
        .await
        .unwrap();
    id
}

pub async fn add_service(core: &AppCore, name: &str, url: &str) -> ServiceId {
    osmo_admin_app::sessions::add_service(core, name.into(), url.into(), None, None)
        .await
        .unwrap()
}

/// The name of the first kubeconfig context the core sees.
pub fn first_context(core: &AppCore) -> String {
    osmo_admin_app::contexts::list(core).contexts[0]
        .name
        .clone()
}

/// Runs setup's `step` of `plan` on `context` and waits for the `setup-step-finished` payload of
/// this run (an earlier run of the same step does not count).
pub async fn run_setup_step(
    core: &AppCore,
    events: &Recorder,
    service: &ServiceId,
    context: &str,
    plan: &SetupPlanDto,
    step: SetupStepDto,
) -> Value {
    let before = events.payloads("setup-step-finished").len();
    let started = osmo_admin_app::setup::run_step(
        core,
        plan.clone(),
        service.clone(),
        context.into(),
        step,
        None,
    )
    .await
    .unwrap();
    assert!(
        matches!(started, RunSetupStepDto::Started { .. }),
        "{started:?}"
    );
    let backend =
        serde_json::to_value(BackendRef::new(service.clone(), plan.backend_name.as_str())).unwrap();
    let step = serde_json::to_value(step).unwrap();
    eventually("the setup step to finish", 120, || async {
        events.payloads("setup-step-finished")[before..]
            .iter()
            .find(|f| f["backend"] == backend && f["step"] == step)
            .cloned()
    })
    .await
}

/// Asks `probe` every 100 ms until it answers `Some`, for at most `secs` seconds.
pub async fn eventually<T, F, Fut>(what: &str, secs: u64, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(found) = probe().await {
            return found;
        }
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
