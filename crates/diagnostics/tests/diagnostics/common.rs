//! The world of a test: the shared cluster, a simulator with a signed-in session, the chart's
//! objects in a pair of namespaces, and a stand-in kubelet that marks pods running.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Pod, ServiceAccount};
use kube::api::{ListParams, Patch, PatchParams, PostParams};
use kube::Api;
use osmo_admin_diagnostics::{ClusterTarget, SecretRef, LISTENER_DEPLOYMENT, WORKER_DEPLOYMENT};
use osmo_admin_osmo_client::{CancellationToken, ClientConfig, Connection, ServiceSpec, Session};
use osmo_admin_secrets::Secret;
use osmo_admin_test_cluster::TestCluster;
use osmo_sim::{Dialect, SeedBackend, SeedToken, SimConfig, SimHandle, Simulator};
use serde_json::json;

pub const BACKEND: &str = "gpu";
pub const WAIT: Duration = Duration::from_secs(30);

pub async fn cluster() -> &'static TestCluster {
    TestCluster::shared().await
}

/// A simulator (auth required) with backend `gpu`, online or offline, an admin session on it,
/// and a fresh access token for the backend's service account.
pub struct World {
    pub sim: SimHandle,
    pub session: Arc<Session>,
    pub backend_token: String,
}

pub async fn world(dialect: Dialect, online: bool) -> World {
    let mut backend = SeedBackend::new(BACKEND);
    if !online {
        backend = backend.last_heartbeat(Utc::now().naive_utc() - chrono::Duration::hours(3));
    }
    let config = SimConfig::new(dialect).require_auth(true).backend(backend);
    let config = match dialect {
        Dialect::V6_0 => config.token(SeedToken::service("admin", &["osmo-admin"])),
        _ => config
            .user("admin", &["osmo-admin"])
            .user("backend-svc", &["osmo-backend"])
            .token(SeedToken::for_user("admin", "admin", &["osmo-admin"])),
    };
    let sim = Simulator::start(config).await.unwrap();
    let backend_token = sim
        .create_token(match dialect {
            Dialect::V6_0 => SeedToken::service("backend-token", &["osmo-backend"]),
            _ => SeedToken::for_user("backend-svc", "backend-token", &["osmo-backend"]),
        })
        .unwrap();
    let session = sign_in(&sim).await;
    World {
        sim,
        session: Arc::new(session),
        backend_token,
    }
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

/// A target for namespaces `<prefix>-op` and `<prefix>-wf` with the chart's default secret.
pub async fn target(prefix: &str) -> ClusterTarget {
    ClusterTarget {
        client: cluster().await.client().await.unwrap(),
        operator_namespace: format!("{prefix}-op"),
        workflow_namespace: format!("{prefix}-wf"),
        secret: SecretRef::default(),
    }
}

/// What to install in a test's namespaces.
pub struct Install<'a> {
    pub namespaces: bool,
    pub token: Option<&'a str>,
    pub deployments: &'a [&'a str],
}

/// Creates the namespaces, the token secret and the Deployments (as helm would).
pub async fn install(target: &ClusterTarget, what: Install<'_>) {
    let cluster = cluster().await;
    let ns = target.operator_namespace.as_str();
    if what.namespaces {
        cluster.create_namespace(ns).await.unwrap();
        cluster
            .create_namespace(&target.workflow_namespace)
            .await
            .unwrap();
        // Pods made before the namespace's default ServiceAccount exists are refused (a Warning event).
        let accounts: Api<ServiceAccount> = Api::namespaced(target.client.clone(), ns);
        wait_until("the default ServiceAccount", || async {
            accounts.get_opt("default").await.unwrap().is_some()
        })
        .await;
    }
    if let Some(token) = what.token {
        let (name, key) = (&target.secret.name, &target.secret.key);
        cluster
            .create_secret(ns, name, &[(key, token)])
            .await
            .unwrap();
    }
    let api: Api<Deployment> = Api::namespaced(target.client.clone(), ns);
    for name in what.deployments {
        api.create(
            &PostParams::default(),
            &deployment(ns, name, &target.secret),
        )
        .await
        .unwrap();
    }
}

/// The chart's listener or worker, as operator-sim shapes them.
fn deployment(ns: &str, name: &str, secret: &SecretRef) -> Deployment {
    let sim_secret = osmo_admin_operator_sim::SecretRef {
        namespace: ns.into(),
        name: secret.name.clone(),
        key: secret.key.clone(),
    };
    match name {
        LISTENER_DEPLOYMENT => {
            osmo_admin_operator_sim::listener_deployment(&sim_secret, "backend-listener:6.4.0")
        }
        WORKER_DEPLOYMENT => {
            osmo_admin_operator_sim::worker_deployment(&sim_secret, "backend-worker:6.4.0")
        }
        other => panic!("not a chart Deployment: {other}"),
    }
}

/// Polls `cond` every 200 ms; panics after [`WAIT`].
pub async fn wait_until<F, Fut>(what: &str, cond: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + WAIT;
    while !cond().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "waited {WAIT:?} for {what}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The pods of Deployment `name` once the controllers made them.
pub async fn pods_of(target: &ClusterTarget, name: &str) -> Vec<Pod> {
    let api: Api<Pod> = Api::namespaced(target.client.clone(), &target.operator_namespace);
    let params = ListParams::default().labels(&format!("app={name}"));
    wait_until("the Deployment's pods", || async {
        !api.list(&params).await.unwrap().items.is_empty()
    })
    .await;
    api.list(&params).await.unwrap().items
}

/// Plays kubelet: writes `container` (a container status) and readiness into each pod's status.
pub async fn set_pods(target: &ClusterTarget, name: &str, ready: bool, state: serde_json::Value) {
    let api: Api<Pod> = Api::namespaced(target.client.clone(), &target.operator_namespace);
    let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    for pod in pods_of(target, name).await {
        let flag = if ready { "True" } else { "False" };
        let mut container = json!({
            "name": "c", "image": "i", "imageID": "", "ready": ready, "restartCount": 0,
            "state": {"running": {"startedAt": now}}
        });
        container
            .as_object_mut()
            .unwrap()
            .extend(state.as_object().unwrap().clone());
        let status = json!({"status": {
            "phase": "Running",
            "conditions": [
                {"type": "PodScheduled", "status": "True", "lastTransitionTime": now},
                {"type": "Ready", "status": flag, "lastTransitionTime": now},
                {"type": "ContainersReady", "status": flag, "lastTransitionTime": now}
            ],
            "containerStatuses": [container]
        }});
        let pod_name = pod.metadata.name.unwrap();
        api.patch_status(&pod_name, &PatchParams::default(), &Patch::Merge(&status))
            .await
            .unwrap();
    }
}

/// Marks every pod of the chart's Deployments running and ready, and waits for the Deployments
/// to count them.
pub async fn run_pods(target: &ClusterTarget) {
    let api: Api<Deployment> = Api::namespaced(target.client.clone(), &target.operator_namespace);
    for name in [LISTENER_DEPLOYMENT, WORKER_DEPLOYMENT] {
        set_pods(target, name, true, json!({})).await;
        wait_until("the Deployment to count ready pods", || async {
            let d = api.get(name).await.unwrap();
            d.status.and_then(|s| s.ready_replicas) == Some(1)
        })
        .await;
    }
}
