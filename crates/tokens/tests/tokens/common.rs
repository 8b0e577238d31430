//! A test's world: a simulator with backend `gpu` and its token, an admin session, a namespace
//! with the token Secret and the chart's listener Deployment, and a simulated operator following
//! them (heartbeat every 200 ms).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Secret as KubeSecret;
use kube::api::PostParams;
use kube::Api;
use osmo_admin_operator_sim::{
    listener_deployment, ClusterOperator, ClusterOperatorConfig, ClusterOperatorStatus, SecretRef,
};
use osmo_admin_osmo_client::{
    check_access_token, CancellationToken, ClientConfig, Connection, HttpClient, ServiceSpec,
    Session, TokenCheck,
};
use osmo_admin_secrets::Secret;
use osmo_admin_test_cluster::TestCluster;
use osmo_admin_tokens::rotation::{
    Deployments, EventSink, RotationPlan, SecretTarget, StepEvent, LISTENER_DEPLOYMENT,
};
use osmo_admin_tokens::{NewToken, TokenRef};
use osmo_sim::{Dialect, OperatorConfig, SeedBackend, SeedToken, SimConfig, SimHandle, Simulator};

pub const BACKEND: &str = "gpu";
pub const ACCOUNT: &str = "backend-svc";
pub const OLD: &str = "backend-token";
pub const NEW: &str = "operator-token-new";
pub const WAIT: Duration = Duration::from_secs(30);

pub async fn cluster() -> &'static TestCluster {
    TestCluster::shared().await
}

pub struct World {
    pub sim: SimHandle,
    pub session: Arc<Session>,
    pub client: kube::Client,
    pub namespace: String,
    pub old_value: String,
    pub operator: Option<ClusterOperator>,
    pub journals: tempfile::TempDir,
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

pub async fn sign_in(sim: &SimHandle) -> Session {
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

/// A simulator (auth required) with an admin, backend `gpu` and its operator token.
pub async fn simulator(dialect: Dialect) -> (SimHandle, String) {
    let config = SimConfig::new(dialect)
        .require_auth(true)
        .backend(SeedBackend::new(BACKEND));
    let config = match dialect {
        Dialect::V6_0 => config.token(SeedToken::service("admin", &["osmo-admin"])),
        _ => config
            .user("admin", &["osmo-admin"])
            .user(ACCOUNT, &["osmo-backend"])
            .token(SeedToken::for_user("admin", "admin", &["osmo-admin"])),
    };
    let sim = Simulator::start(config).await.unwrap();
    let value = sim
        .create_token(match dialect {
            Dialect::V6_0 => SeedToken::service(OLD, &["osmo-backend"]),
            _ => SeedToken::for_user(ACCOUNT, OLD, &["osmo-backend"]),
        })
        .unwrap();
    (sim, value)
}

pub fn sim_secret(namespace: &str) -> SecretRef {
    SecretRef {
        namespace: namespace.into(),
        ..SecretRef::default()
    }
}

pub async fn create_listener(client: &kube::Client, namespace: &str) {
    let api: Api<Deployment> = Api::namespaced(client.clone(), namespace);
    let d = listener_deployment(&sim_secret(namespace), "backend-listener:6.4.0");
    api.create(&PostParams::default(), &d).await.unwrap();
}

pub fn start_operator(sim: &SimHandle, client: &kube::Client, namespace: &str) -> ClusterOperator {
    let unused: osmo_sim::TokenSource = Arc::new(|| Err("replaced".into()));
    let mut operator = OperatorConfig::new(sim.base_url(), sim.dialect(), BACKEND, unused);
    operator.heartbeat_interval = Duration::from_millis(200);
    operator.retry_interval = Duration::from_millis(200);
    let config = ClusterOperatorConfig {
        secret: sim_secret(namespace),
        poll_interval: Duration::from_millis(100),
        ..ClusterOperatorConfig::new(client.clone(), operator)
    };
    ClusterOperator::start(config)
}

/// The whole world, with the operator connected.
pub async fn world(dialect: Dialect, namespace: &str) -> World {
    let (sim, old_value) = simulator(dialect).await;
    let session = Arc::new(sign_in(&sim).await);
    let cluster = cluster().await;
    let client = cluster.client().await.unwrap();
    cluster.create_namespace(namespace).await.unwrap();
    cluster
        .create_secret(namespace, "osmo-operator-token", &[("token", &old_value)])
        .await
        .unwrap();
    create_listener(&client, namespace).await;
    let operator = start_operator(&sim, &client, namespace);
    let status = operator.wait_for(WAIT, connected).await;
    assert!(connected(&status), "operator not connected: {status:?}");
    World {
        sim,
        session,
        client,
        namespace: namespace.into(),
        old_value,
        operator: Some(operator),
        journals: tempfile::tempdir().unwrap(),
    }
}

pub fn connected(s: &ClusterOperatorStatus) -> bool {
    matches!(
        s,
        ClusterOperatorStatus::Running(osmo_sim::OperatorStatus::Connected)
    )
}

impl World {
    pub fn old_ref(&self) -> TokenRef {
        match self.sim.dialect() {
            Dialect::V6_0 => TokenRef {
                owner: OLD.into(),
                name: OLD.into(),
            },
            _ => TokenRef {
                owner: ACCOUNT.into(),
                name: OLD.into(),
            },
        }
    }

    pub fn new_owner(&self) -> &'static str {
        match self.sim.dialect() {
            Dialect::V6_0 => NEW,
            _ => ACCOUNT,
        }
    }

    /// The plan every rotation test starts from: the listener named, short waits.
    pub fn plan(&self) -> RotationPlan {
        let new_token = NewToken {
            owner: (self.sim.dialect() != Dialect::V6_0).then(|| ACCOUNT.to_owned()),
            name: NEW.into(),
            expires_at: (Utc::now().date_naive() + chrono::Duration::days(30)).to_string(),
            roles: vec!["osmo-backend".into()],
            description: "rotated by a test".into(),
            for_operator: true,
        };
        let mut plan = RotationPlan::new(BACKEND, new_token, Some(self.old_ref()));
        plan.secret = SecretTarget {
            namespace: self.namespace.clone(),
            ..SecretTarget::default()
        };
        plan.deployments = Deployments::Named(vec![LISTENER_DEPLOYMENT.into()]);
        plan.heartbeat_timeout = Duration::from_secs(20);
        plan.poll_interval = Duration::from_millis(200);
        plan.call_timeout = Duration::from_secs(10);
        plan
    }

    pub fn journal_dir(&self) -> PathBuf {
        self.journals.path().join("rotations")
    }

    /// The Secret's data as text, key by key.
    pub async fn secret_data(&self) -> std::collections::BTreeMap<String, String> {
        let api: Api<KubeSecret> = Api::namespaced(self.client.clone(), &self.namespace);
        let s = api.get("osmo-operator-token").await.unwrap();
        s.data
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, String::from_utf8(v.0).unwrap()))
            .collect()
    }

    pub async fn secret_token(&self) -> String {
        self.secret_data().await.remove("token").unwrap()
    }

    /// Asserts the service accepts the Secret's token (the operator's exchange).
    pub async fn assert_secret_token_valid(&self) {
        let http = HttpClient::new(self.session.spec(), fast_config()).unwrap();
        let token = Secret::new(self.secret_token().await);
        let check = check_access_token(
            &http,
            self.session.dialect(),
            &token,
            &CancellationToken::new(),
        )
        .await;
        assert!(
            matches!(check, TokenCheck::Accepted { .. }),
            "{:?}",
            check.summary()
        );
    }

    /// Waits for a heartbeat newer than now: the backend is online.
    pub async fn assert_comes_online(&self) {
        let since = Utc::now().naive_utc();
        wait_until("a heartbeat", || async {
            self.sim.backend(BACKEND).unwrap().last_heartbeat > since
        })
        .await;
        assert!(self.sim.backend(BACKEND).unwrap().online);
    }
}

/// Collects events.
pub fn recorder() -> (EventSink, Arc<Mutex<Vec<StepEvent>>>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink_events = events.clone();
    let sink: EventSink = Arc::new(move |e| sink_events.lock().unwrap().push(e));
    (sink, events)
}

/// Polls `cond` every 100 ms; panics after [`WAIT`].
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
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
