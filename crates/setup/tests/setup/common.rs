//! A test's world: a simulator (no backend yet) with an admin session, the shared cluster, a
//! helm sandbox, a folder for progress and values, and a simulated operator that follows the
//! listener Deployment the helm stand-in creates.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use k8s_openapi::api::core::v1::{Namespace, Secret as KubeSecret};
use kube::Api;
use osmo_admin_kube::{ConnectOptions, FileOrigin, KubeconfigSet, ResolvedContext, SourceFile};
use osmo_admin_operator_sim::{ClusterOperator, ClusterOperatorConfig, SecretRef};
use osmo_admin_osmo_client::{CancellationToken, ClientConfig, Connection, ServiceSpec, Session};
use osmo_admin_secrets::Secret;
use osmo_admin_setup::steps::operator::listener_name;
use osmo_admin_setup::{LogLine, Setup, SetupPlan, Stream};
use osmo_admin_test_cluster::{HelmSandbox, TestCluster};
use osmo_sim::{Dialect, OperatorConfig, SeedToken, SimConfig, SimHandle, Simulator};

pub const BACKEND: &str = "gpu";

pub async fn cluster() -> &'static TestCluster {
    TestCluster::shared().await
}

pub struct World {
    pub sim: SimHandle,
    pub session: Arc<Session>,
    pub client: kube::Client,
    pub helm: HelmSandbox,
    pub dir: tempfile::TempDir,
    pub prefix: String,
    pub operator: Option<ClusterOperator>,
    /// The shared cluster's admin kubeconfig.
    pub kubeconfig: PathBuf,
}

pub fn fast_config() -> ClientConfig {
    ClientConfig {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(5),
        get_retries: 0,
        retry_backoff: Duration::from_millis(10),
        refresh_margin: Duration::from_secs(1),
    }
}

async fn sign_in(sim: &SimHandle) -> Session {
    let spec = ServiceSpec {
        name: "sim".into(),
        url: sim.base_url(),
        custom_ca_pem: None,
    };
    let cancel = CancellationToken::new();
    let conn = Connection::open(spec, fast_config(), &cancel)
        .await
        .unwrap();
    let token = Secret::new(sim.seeded_token("admin").unwrap());
    conn.sign_in_with_access_token(token, &cancel)
        .await
        .unwrap()
}

/// A world for namespaces `<prefix>-op`/`<prefix>-wf` and helm release `<prefix>`.
pub async fn world(dialect: Dialect, prefix: &str) -> World {
    let config = SimConfig::new(dialect).require_auth(true);
    let config = match dialect {
        Dialect::V6_0 => config.token(SeedToken::service("admin", &["osmo-admin"])),
        _ => config
            .user("admin", &["osmo-admin"])
            .token(SeedToken::for_user("admin", "admin", &["osmo-admin"])),
    };
    let sim = Simulator::start(config).await.unwrap();
    let session = Arc::new(sign_in(&sim).await);
    let client = cluster().await.client().await.unwrap();
    World {
        sim,
        session,
        client,
        helm: HelmSandbox::new().unwrap(),
        dir: tempfile::tempdir().unwrap(),
        prefix: prefix.into(),
        operator: None,
        kubeconfig: cluster_kubeconfig().await,
    }
}

impl World {
    pub fn operator_ns(&self) -> String {
        format!("{}-op", self.prefix)
    }

    pub fn release(&self) -> String {
        self.prefix.clone()
    }

    /// The guide's plan with this world's names, the sandbox's helm and short waits.
    pub fn plan(&self) -> SetupPlan {
        let mut plan = SetupPlan::new(BACKEND, &self.sim.base_url(), "6.0.0");
        plan.operator_namespace = self.operator_ns();
        plan.workflow_namespace = format!("{}-wf", self.prefix);
        plan.helm.release = self.release();
        plan.helm.helm_path = self.helm.helm_path();
        plan.helm.kubeconfig = Some(self.kubeconfig.clone());
        plan.helm.env = self
            .helm
            .envs()
            .into_iter()
            .map(|(k, v)| (k, v.to_string_lossy().into_owned()))
            .collect();
        plan.helm.timeout = Duration::from_secs(60);
        plan.online_timeout = Duration::from_secs(20);
        plan.poll_interval = Duration::from_millis(200);
        plan.call_timeout = Duration::from_secs(10);
        plan
    }

    pub async fn setup(&self, plan: SetupPlan) -> Setup {
        self.setup_as(plan, &self.kubeconfig).await
    }

    /// A setup whose context is the current context of `kubeconfig`.
    pub async fn setup_as(&self, plan: SetupPlan, kubeconfig: &std::path::Path) -> Setup {
        Setup::new(
            self.session.clone(),
            context(kubeconfig),
            quick(),
            plan,
            self.dir.path().into(),
        )
        .await
        .unwrap()
    }

    /// Starts the simulated operator following this world's listener Deployment and Secret.
    pub fn start_operator(&mut self) {
        let unused: osmo_sim::TokenSource = Arc::new(|| Err("replaced".into()));
        let mut operator =
            OperatorConfig::new(self.sim.base_url(), self.sim.dialect(), BACKEND, unused);
        operator.heartbeat_interval = Duration::from_millis(200);
        operator.retry_interval = Duration::from_millis(200);
        let config = ClusterOperatorConfig {
            secret: SecretRef {
                namespace: self.operator_ns(),
                ..SecretRef::default()
            },
            deployment: listener_name(&self.release()),
            poll_interval: Duration::from_millis(100),
            ..ClusterOperatorConfig::new(self.client.clone(), operator)
        };
        self.operator = Some(ClusterOperator::start(config));
    }

    pub async fn namespace_exists(&self, name: &str) -> bool {
        let api: Api<Namespace> = Api::all(self.client.clone());
        api.get_opt(name).await.unwrap().is_some()
    }

    pub async fn secret(&self) -> Option<KubeSecret> {
        let api: Api<KubeSecret> = Api::namespaced(self.client.clone(), &self.operator_ns());
        api.get_opt("osmo-operator-token").await.unwrap()
    }

    pub async fn secret_token(&self) -> String {
        let s = self.secret().await.unwrap();
        String::from_utf8(s.data.unwrap()["token"].0.clone()).unwrap()
    }
}

pub async fn cluster_kubeconfig() -> PathBuf {
    cluster().await.kubeconfig_path().to_path_buf()
}

pub fn quick() -> ConnectOptions {
    ConnectOptions {
        connect_timeout: Duration::from_secs(5),
        request_timeout: Duration::from_secs(10),
        ..ConnectOptions::default()
    }
}

pub fn context(kubeconfig: &std::path::Path) -> ResolvedContext {
    let set = KubeconfigSet::load(vec![SourceFile {
        path: kubeconfig.to_path_buf(),
        origin: FileOrigin::Extra,
    }]);
    let name = set.current_context().unwrap().0.to_owned();
    set.resolve(&name).unwrap()
}

/// A log collector.
#[derive(Clone, Default)]
pub struct Log(pub Arc<Mutex<Vec<LogLine>>>);

impl Log {
    pub fn sink(&self) -> impl Fn(LogLine) + Send + Sync + 'static {
        let lines = self.0.clone();
        move |line| lines.lock().unwrap().push(line)
    }

    pub fn lines(&self) -> Vec<LogLine> {
        self.0.lock().unwrap().clone()
    }

    pub fn text(&self) -> String {
        self.lines()
            .iter()
            .map(|l| format!("{:?} {}\n", l.stream, l.text))
            .collect()
    }

    pub fn helm_runs(&self) -> usize {
        self.lines()
            .iter()
            .filter(|l| l.stream == Stream::Command && l.text.starts_with("helm "))
            .count()
    }
}
