//! Starting the sandbox, and what it looks like right now.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{Days, NaiveDate, NaiveDateTime, Utc};
use k8s_openapi::api::apps::v1::Deployment;
use kube::api::PostParams;
use kube::Api;
use osmo_admin_core::{BackendLink, BackendRef};
use osmo_admin_operator_sim::{
    listener_deployment, worker_deployment, ClusterOperator, ClusterOperatorConfig, SecretRef,
};
use osmo_admin_setup::ChartInstaller;
use osmo_admin_test_cluster::TestCluster;
use osmo_sim::{
    Dialect, OperatorConfig, OperatorHandle, SeedBackend, SeedPool, SeedToken, SimConfig,
    SimHandle, Simulator, TokenSource,
};

use crate::chart_installer::SandboxHelm;
use crate::chart_watch::{self, ChartWatch};
use crate::kubelet::{self, Kubelet};
use crate::world::{service_account, BackendPlan, OperatorKind, BACKENDS, POOLS, V64_SUFFIX};

#[derive(Debug, Clone)]
pub struct SandboxOptions {
    /// Start the local Kubernetes API server when its binaries are present.
    pub with_cluster: bool,
    /// How often simulated operators heartbeat (the real one: 20 s).
    pub heartbeat_interval: Duration,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        Self {
            with_cluster: true,
            heartbeat_interval: Duration::from_secs(20),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("the simulated OSMO {version} service could not start: {reason}")]
    Simulator {
        version: &'static str,
        reason: String,
    },
}

/// A running sandbox; dropping it stops everything it started.
pub struct Sandbox {
    /// Runs simulated operators for backends installed in the cluster with helm.
    _chart_watch: Option<ChartWatch>,
    /// Marks the cluster's pods running (it has no kubelet).
    _kubelet: Option<Kubelet>,
    services: Vec<Service>,
    cluster: Option<SandboxCluster>,
    cluster_note: Option<String>,
}

/// The local cluster and the kubeconfig the app is given for it.
struct SandboxCluster {
    cluster: TestCluster,
    /// Context, cluster and user all named [`SANDBOX_CONTEXT`].
    kubeconfig: PathBuf,
    /// helm, simulated on this cluster (setup's step 3 in the sandbox).
    helm: Arc<SandboxHelm>,
}

/// The sandbox cluster's context name in the kubeconfig it writes.
pub const SANDBOX_CONTEXT: &str = "osmo-sandbox";

struct Service {
    name: String,
    sim: SimHandle,
    /// Backends whose operator runs in the cluster, with the namespace of its Secret.
    in_cluster: Vec<(&'static str, String)>,
    /// Simulated operators by backend name; they run until the sandbox is dropped.
    operators: Vec<(&'static str, Operator)>,
    operator_where: String,
}

enum Operator {
    InCluster(ClusterOperator),
    InMemory(OperatorHandle),
}

impl Operator {
    /// The operator's state in words: connected, or why not.
    fn describe(&self) -> String {
        use osmo_admin_operator_sim::ClusterOperatorStatus as Cluster;
        use osmo_sim::OperatorStatus as Status;
        let status = match self {
            Operator::InMemory(handle) => handle.status(),
            Operator::InCluster(op) => match op.status() {
                Cluster::Running(status) => status,
                Cluster::NoDeployment => return "not running: its Deployment is gone".into(),
                Cluster::ClusterUnreachable(err) => return format!("cluster unreachable: {err}"),
            },
        };
        match status {
            Status::Starting => "starting".into(),
            Status::Connected => "connected, heartbeating".into(),
            Status::Failed(reason) => format!("failing: {reason}"),
        }
    }
}

impl Sandbox {
    pub async fn start(options: SandboxOptions) -> Result<Sandbox, SandboxError> {
        let (cluster, cluster_note) = if options.with_cluster {
            start_cluster().await
        } else {
            (None, Some("the local cluster was not asked for".to_owned()))
        };
        let client = match &cluster {
            Some(cluster) => cluster.cluster.client().await.ok(),
            None => None,
        };
        let mut services = Vec::new();
        let kubelet = client.clone().map(kubelet::start);
        for (dialect, name, suffix) in [
            (Dialect::V6_0, "sandbox-6.0", ""),
            (Dialect::V6_4, "sandbox-6.4", V64_SUFFIX),
        ] {
            let cluster = cluster.as_ref().map(|c| &c.cluster).zip(client.clone());
            services.push(start_service(dialect, name, suffix, cluster, &options).await?);
        }
        let targets = services
            .iter()
            .map(|s| chart_watch::Target {
                base_url: s.sim.base_url(),
                dialect: s.sim.dialect(),
            })
            .collect();
        let chart_watch =
            client.map(|c| chart_watch::start(c, targets, options.heartbeat_interval));
        tracing::info!(cluster = cluster.is_some(), "sandbox started");
        Ok(Sandbox {
            _chart_watch: chart_watch,
            _kubelet: kubelet,
            services,
            cluster,
            cluster_note,
        })
    }

    pub fn snapshot(&self) -> SandboxSnapshot {
        let cluster = match (&self.cluster, &self.cluster_note) {
            (Some(cluster), _) => ClusterSnapshot::Running {
                server: cluster.cluster.server_url().to_owned(),
                kubeconfig: cluster.kubeconfig.clone(),
                context: SANDBOX_CONTEXT.to_owned(),
            },
            (None, note) => ClusterSnapshot::Absent {
                reason: note.clone().unwrap_or_default(),
            },
        };
        let links = self
            .services
            .iter()
            .flat_map(|service| {
                service
                    .in_cluster
                    .iter()
                    .filter_map(|(backend, namespace)| {
                        let backend = BackendRef::new(service.name.as_str(), *backend);
                        BackendLink::new(backend, SANDBOX_CONTEXT, Some(namespace)).ok()
                    })
            })
            .collect();
        SandboxSnapshot {
            services: self.services.iter().map(Service::snapshot).collect(),
            cluster,
            links,
        }
    }

    /// The sandbox's chart installer when `context` of `kubeconfig` is the context it lends (its
    /// cluster runs): helm simulated on its own cluster, for setup's step 3.
    pub fn chart_installer(
        &self,
        context: &str,
        kubeconfig: &Path,
    ) -> Option<Arc<dyn ChartInstaller>> {
        let helm = &self.cluster.as_ref()?.helm;
        let installer: Arc<dyn ChartInstaller> = helm.clone();
        helm.serves(context, kubeconfig).then_some(installer)
    }

    /// The simulator handles, for tests and for faults injected from the UI later.
    pub fn simulators(&self) -> impl Iterator<Item = (&str, &SimHandle)> {
        self.services.iter().map(|s| (s.name.as_str(), &s.sim))
    }
}

async fn start_cluster() -> (Option<SandboxCluster>, Option<String>) {
    if let Err(err) = osmo_admin_test_cluster::kube_bin_dir() {
        return (None, Some(err.to_string()));
    }
    let started = TestCluster::start().await.and_then(|cluster| {
        let kubeconfig = cluster.write_named_kubeconfig(SANDBOX_CONTEXT)?;
        let helm = Arc::new(SandboxHelm::new(
            &kubeconfig,
            &cluster.run_dir().join("helm"),
        ));
        Ok(SandboxCluster {
            cluster,
            kubeconfig,
            helm,
        })
    });
    match started {
        Ok(cluster) => (Some(cluster), None),
        Err(err) => {
            tracing::warn!(%err, "sandbox cluster did not start");
            (
                None,
                Some(format!(
                    "the local Kubernetes API server did not start: {err}"
                )),
            )
        }
    }
}

async fn start_service(
    dialect: Dialect,
    name: &str,
    suffix: &str,
    cluster: Option<(&TestCluster, kube::Client)>,
    options: &SandboxOptions,
) -> Result<Service, SandboxError> {
    let version = if dialect == Dialect::V6_0 {
        "6.0"
    } else {
        "6.4"
    };
    let failed = |reason: String| SandboxError::Simulator { version, reason };
    let hours_ago = |h: i64| (Utc::now() - chrono::Duration::hours(h)).naive_utc();
    let workflows = |plan: &BackendPlan| format!("{}{suffix}", plan.workflow_namespace);

    let mut config = SimConfig::new(dialect);
    for plan in BACKENDS {
        if dialect != Dialect::V6_0 {
            config = config.user(service_account(plan.name), &["osmo-backend"]);
        }
        let mut seeded = match plan.operator {
            OperatorKind::KeptAlive => SeedBackend::new(plan.name).keep_alive(),
            // Its operator never connected since its token expired, hours ago.
            OperatorKind::None => SeedBackend::new(plan.name).last_heartbeat(hours_ago(3)),
            OperatorKind::Simulated if plan.token_expired() => {
                SeedBackend::new(plan.name).last_heartbeat(hours_ago(3))
            }
            // Registered by its operator's `init` once it connects.
            OperatorKind::Simulated => continue,
        };
        seeded.k8s_namespace = Some(workflows(&plan));
        config = config.backend(seeded);
    }
    for (pool, backend) in POOLS {
        config = config.pool(SeedPool {
            name: pool.to_owned(),
            backend: backend.to_owned(),
            description: format!("Sandbox pool on {backend}"),
            enable_maintenance: false,
        });
    }
    let sim = Simulator::start(config)
        .await
        .map_err(|err| failed(err.to_string()))?;

    let mut operators = Vec::new();
    let mut in_cluster = Vec::new();
    let mut placed = Vec::new();
    for plan in BACKENDS {
        let token = create_token(
            &sim,
            dialect,
            plan.name,
            plan.token,
            plan.token_expires_in_days,
        )
        .map_err(failed)?;
        if plan.operator != OperatorKind::Simulated {
            continue;
        }
        let unused: TokenSource = Arc::new(|| Err("replaced".into()));
        let mut operator = OperatorConfig::new(sim.base_url(), dialect, plan.name, unused);
        operator.heartbeat_interval = options.heartbeat_interval;
        operator.k8s_namespace = workflows(&plan);
        match &cluster {
            Some((cluster, client)) => {
                let owner = match dialect {
                    Dialect::V6_0 => plan.token.to_owned(),
                    _ => service_account(plan.name),
                };
                let install = Install {
                    operator_namespace: format!("{}{suffix}", plan.operator_namespace),
                    workflow_namespace: workflows(&plan),
                    token: &token,
                    holder: TokenName {
                        owner: &owner,
                        name: plan.token,
                    },
                };
                match install_operator(cluster, client, install).await {
                    Ok(secret) => {
                        in_cluster.push((plan.name, secret.namespace.clone()));
                        placed.push(format!(
                            "{}: operator in the local cluster, token from secret {secret}",
                            plan.name
                        ));
                        let config = ClusterOperatorConfig {
                            secret,
                            ..ClusterOperatorConfig::new(client.clone(), operator)
                        };
                        operators.push((
                            plan.name,
                            Operator::InCluster(ClusterOperator::start(config)),
                        ));
                    }
                    Err(err) => placed.push(format!(
                        "{}: operator could not be placed in the cluster: {err}",
                        plan.name
                    )),
                }
            }
            // Without a cluster an expired token could never be rotated: no operator at all.
            None if plan.token_expired() => {}
            None => {
                let source: TokenSource = Arc::new(move || Ok(token.clone()));
                operator.token = source;
                operators.push((
                    plan.name,
                    Operator::InMemory(OperatorHandle::start(operator)),
                ));
                placed.push(format!(
                    "{}: simulated operator (token held in memory)",
                    plan.name
                ));
            }
        }
    }
    let operator_where = if placed.is_empty() {
        "no simulated operator".to_owned()
    } else {
        placed.join("; ")
    };
    Ok(Service {
        name: name.to_owned(),
        sim,
        in_cluster,
        operators,
        operator_where,
    })
}

/// Creates a backend's token (6.0: service token; 6.2+: a token of its service-account user),
/// then moves its expiry into the past when the plan says it has expired.
fn create_token(
    sim: &SimHandle,
    dialect: Dialect,
    backend: &str,
    name: &str,
    expires_in_days: i64,
) -> Result<String, String> {
    let today = Utc::now().date_naive();
    let future = today + Days::new(expires_in_days.unsigned_abs().max(1));
    let seed = match dialect {
        Dialect::V6_0 => SeedToken::service(name, &["osmo-backend"]),
        _ => SeedToken::for_user(service_account(backend), name, &["osmo-backend"]),
    }
    .expires_at(future);
    let value = sim.create_token(seed).map_err(|err| err.to_string())?;
    if expires_in_days < 0 {
        let past = today - Days::new(expires_in_days.unsigned_abs());
        let owner = sim
            .tokens()
            .into_iter()
            .find(|t| t.token_name == name)
            .map(|t| t.user_name)
            .ok_or_else(|| format!("token {name} vanished"))?;
        sim.set_token_expires_at(&owner, name, past);
    }
    Ok(value)
}

/// Which OSMO token a Secret holds, as the app's rotation records it on the Secrets it writes
/// (`osmo-admin-tokens`' annotations), so rotating a sandbox backend's token knows the old one.
struct TokenName<'a> {
    owner: &'a str,
    name: &'a str,
}

/// Where and with which token to install a backend's operator.
struct Install<'a> {
    operator_namespace: String,
    workflow_namespace: String,
    token: &'a str,
    holder: TokenName<'a>,
}

/// Does what the guide's steps 2 and 3 would: both namespaces, the token Secret (naming the token
/// it holds), and the chart's listener and worker Deployments.
async fn install_operator(
    cluster: &TestCluster,
    client: &kube::Client,
    install: Install<'_>,
) -> Result<SecretRef, String> {
    let namespace = install.operator_namespace.as_str();
    let secret = SecretRef {
        namespace: namespace.to_owned(),
        ..SecretRef::default()
    };
    for ns in [namespace, install.workflow_namespace.as_str()] {
        cluster
            .create_namespace(ns)
            .await
            .map_err(|e| e.to_string())?;
    }
    cluster
        .create_secret(namespace, &secret.name, &[(&secret.key, install.token)])
        .await
        .map_err(|e| e.to_string())?;
    let annotations = serde_json::json!({"metadata": {"annotations": {
        "osmo-backend-admin/token-owner": install.holder.owner,
        "osmo-backend-admin/token-name": install.holder.name,
    }}});
    Api::<k8s_openapi::api::core::v1::Secret>::namespaced(client.clone(), namespace)
        .patch(
            &secret.name,
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(&annotations),
        )
        .await
        .map_err(|e| e.to_string())?;
    // Pods asked for before the namespace's default ServiceAccount exists are refused (a
    // warning event the diagnosis would report).
    kubelet::wait_for_default_account(client, namespace).await;
    let deployments = Api::<Deployment>::namespaced(client.clone(), namespace);
    for deployment in [
        listener_deployment(&secret, "sandbox/backend-listener"),
        worker_deployment(&secret, "sandbox/backend-worker"),
    ] {
        deployments
            .create(&PostParams::default(), &deployment)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(secret)
}

impl Service {
    fn snapshot(&self) -> ServiceSnapshot {
        let backends = BACKENDS
            .iter()
            .map(|plan| {
                let state = self.sim.backend(plan.name);
                let running = self.operators.iter().find(|(name, _)| *name == plan.name);
                BackendSnapshot {
                    name: plan.name.to_owned(),
                    online: state.as_ref().is_some_and(|b| b.online),
                    last_heartbeat: state.map(|b| b.last_heartbeat),
                    // What runs, not what was planned (an operator the cluster could not take,
                    // or an expired one without a cluster, is none).
                    operator: match (plan.operator, running) {
                        (OperatorKind::KeptAlive, _) => OperatorKind::KeptAlive,
                        (_, Some(_)) => OperatorKind::Simulated,
                        (_, None) => OperatorKind::None,
                    },
                    operator_status: running.map(|(_, op)| op.describe()),
                }
            })
            .collect();
        let tokens = self
            .sim
            .tokens()
            .into_iter()
            .map(|t| TokenSnapshot {
                owner: t.user_name,
                name: t.token_name,
                expires_at: t.expires_at,
                roles: t.roles,
            })
            .collect();
        ServiceSnapshot {
            name: self.name.clone(),
            version: self.sim.dialect().version_string(),
            url: self.sim.base_url(),
            operator_where: self.operator_where.clone(),
            backends,
            tokens,
        }
    }
}

#[derive(Debug, Clone)]
pub struct SandboxSnapshot {
    pub services: Vec<ServiceSnapshot>,
    pub cluster: ClusterSnapshot,
    /// The backends whose operator runs in the sandbox cluster, linked to its context for the run
    /// (the service is the sandbox service's name, which is also its session's).
    pub links: Vec<BackendLink>,
}

#[derive(Debug, Clone)]
pub struct ServiceSnapshot {
    pub name: String,
    /// What `/api/version` reports.
    pub version: String,
    pub url: String,
    /// Where the simulated operator runs, in words.
    pub operator_where: String,
    pub backends: Vec<BackendSnapshot>,
    pub tokens: Vec<TokenSnapshot>,
}

#[derive(Debug, Clone)]
pub struct BackendSnapshot {
    pub name: String,
    pub online: bool,
    /// `None` until its operator has connected once.
    pub last_heartbeat: Option<NaiveDateTime>,
    /// What keeps it alive in this run (not only what was planned: an operator the cluster
    /// could not take, or one with an expired token without a cluster, is `None`).
    pub operator: OperatorKind,
    /// For a simulated operator: connected, or why not.
    pub operator_status: Option<String>,
}

#[derive(Debug, Clone)]
pub struct TokenSnapshot {
    pub owner: String,
    pub name: String,
    pub expires_at: NaiveDate,
    pub roles: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum ClusterSnapshot {
    Running {
        server: String,
        /// The kubeconfig for the app, its only context named `context`.
        kubeconfig: PathBuf,
        context: String,
    },
    Absent {
        reason: String,
    },
}
