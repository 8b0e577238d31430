//! One case's world, kept by the parent process (it outlives the killed child): an osmo-sim in
//! the case's dialect with backend `gpu` and its operator token, a namespace on the shared API
//! server with the token Secret and the chart's listener Deployment, and a simulated operator
//! following them (heartbeat every 200 ms). Plus what the parent reads itself to judge the app:
//! the Secret as stored, which tokens exist, whether the service accepts the Secret's token
//! ([`read_secret`] and [`accepts`] serve the setup cases too).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Secret as KubeSecret;
use kube::api::PostParams;
use kube::Api;
use osmo_admin_kube::operator::{
    RESTARTED_AT_ANNOTATION, ROTATION_ANNOTATION, TOKEN_NAME_ANNOTATION, TOKEN_OWNER_ANNOTATION,
};
use osmo_admin_operator_sim::{
    listener_deployment, ClusterOperator, ClusterOperatorConfig, ClusterOperatorStatus, SecretRef,
    LISTENER_DEPLOYMENT,
};
use osmo_admin_osmo_client::{
    check_access_token, CancellationToken, ClientConfig, HttpClient, ServiceSpec, TokenCheck,
};
use osmo_admin_secrets::Secret;
use osmo_admin_test_cluster::TestCluster;
use osmo_sim::{Dialect, OperatorConfig, SeedBackend, SeedToken, SimConfig, SimHandle, Simulator};

pub const BACKEND: &str = "gpu";
/// 6.2+: the service account owning the operator's tokens.
pub const ACCOUNT: &str = "backend-svc";
/// The operator's token before the rotation.
pub const OLD: &str = "backend-token";
pub const SECRET: &str = "osmo-operator-token";
const WAIT: Duration = Duration::from_secs(60);

pub struct World {
    pub sim: SimHandle,
    pub client: kube::Client,
    pub namespace: String,
    /// The old token's value, first in the Secret.
    pub old_value: String,
    _operator: ClusterOperator,
}

/// The token Secret as stored, read by the test itself.
#[derive(Debug, Clone)]
pub struct SecretNow {
    pub token: String,
    pub previous_kept: bool,
    /// `name` or `name of owner`, as the app names a token, from this app's annotations.
    pub holder: Option<String>,
    pub rotation: Option<String>,
}

/// A token as the app names it (`name`, or `name of owner` when they differ).
pub fn token_label(owner: &str, name: &str) -> String {
    if owner == name {
        name.to_owned()
    } else {
        format!("{name} of {owner}")
    }
}

impl World {
    pub async fn new(dialect: Dialect, namespace: &str) -> Self {
        let config = SimConfig::new(dialect).backend(SeedBackend::new(BACKEND));
        let config = match dialect {
            Dialect::V6_0 => config,
            _ => config.user(ACCOUNT, &["osmo-backend"]),
        };
        let sim = Simulator::start(config).await.unwrap();
        let old_value = sim
            .create_token(match dialect {
                Dialect::V6_0 => SeedToken::service(OLD, &["osmo-backend"]),
                _ => SeedToken::for_user(ACCOUNT, OLD, &["osmo-backend"]),
            })
            .unwrap();
        let cluster = TestCluster::shared().await;
        let client = cluster.client().await.unwrap();
        cluster.create_namespace(namespace).await.unwrap();
        cluster
            .create_secret(namespace, SECRET, &[("token", &old_value)])
            .await
            .unwrap();
        let secret = SecretRef {
            namespace: namespace.into(),
            ..SecretRef::default()
        };
        let deployments: Api<Deployment> = Api::namespaced(client.clone(), namespace);
        deployments
            .create(
                &PostParams::default(),
                &listener_deployment(&secret, "backend-listener:6.4.0"),
            )
            .await
            .unwrap();
        let unused: osmo_sim::TokenSource = Arc::new(|| Err("read from the Secret".into()));
        let mut operator = OperatorConfig::new(sim.base_url(), sim.dialect(), BACKEND, unused);
        operator.heartbeat_interval = Duration::from_millis(200);
        operator.retry_interval = Duration::from_millis(200);
        let operator = ClusterOperator::start(ClusterOperatorConfig {
            secret,
            poll_interval: Duration::from_millis(100),
            ..ClusterOperatorConfig::new(client.clone(), operator)
        });
        let connected = |s: &ClusterOperatorStatus| {
            matches!(
                s,
                ClusterOperatorStatus::Running(osmo_sim::OperatorStatus::Connected)
            )
        };
        let status = operator.wait_for(WAIT, connected).await;
        assert!(
            connected(&status),
            "the operator did not connect: {status:?}"
        );
        Self {
            sim,
            client,
            namespace: namespace.into(),
            old_value,
            _operator: operator,
        }
    }

    /// The old token as the app names it.
    pub fn old_label(&self) -> String {
        token_label(self.old_owner(), OLD)
    }

    pub fn old_owner(&self) -> &'static str {
        match self.sim.dialect() {
            Dialect::V6_0 => OLD,
            _ => ACCOUNT,
        }
    }

    /// The owner of new token `name` (6.0: the token itself; 6.2+: the service account).
    pub fn new_owner<'a>(&self, name: &'a str) -> &'a str {
        match self.sim.dialect() {
            Dialect::V6_0 => name,
            _ => ACCOUNT,
        }
    }

    pub async fn secret(&self) -> SecretNow {
        read_secret(&self.client, &self.namespace)
            .await
            .expect("the Secret is missing")
    }

    /// When the listener Deployment was last restarted (its template's `restartedAt`); the
    /// world creates it without one, so only the rotation's restarts set it.
    pub async fn restarted_at(&self) -> Option<chrono::DateTime<Utc>> {
        let api: Api<Deployment> = Api::namespaced(self.client.clone(), &self.namespace);
        let d = api.get(LISTENER_DEPLOYMENT).await.unwrap();
        let stamp = d
            .spec?
            .template
            .metadata?
            .annotations?
            .get(RESTARTED_AT_ANNOTATION)?
            .clone();
        chrono::DateTime::parse_from_rfc3339(&stamp)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    /// The operator tokens (role `osmo-backend`) that exist in OSMO, as the app names them.
    pub fn operator_tokens(&self) -> BTreeSet<String> {
        self.sim
            .tokens()
            .into_iter()
            .filter(|t| t.roles.iter().any(|r| r == "osmo-backend"))
            .map(|t| token_label(&t.user_name, &t.token_name))
            .collect()
    }

    /// Whether the service accepts `token` (the operator's exchange), with the answer.
    pub async fn accepts(&self, token: &str) -> Result<(), String> {
        accepts(&self.sim, token).await
    }

    /// Waits for a heartbeat newer than now: the backend's operator is connected and online.
    pub async fn comes_online(&self) {
        let since = Utc::now().naive_utc();
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let b = self.sim.backend(BACKEND).unwrap();
            if b.last_heartbeat > since && b.online {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "backend {BACKEND} did not heartbeat within {WAIT:?} (last {})",
                b.last_heartbeat
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The backend's last heartbeat (UTC).
    pub fn last_heartbeat(&self) -> chrono::DateTime<Utc> {
        self.sim.backend(BACKEND).unwrap().last_heartbeat.and_utc()
    }
}

/// The token Secret in `namespace` as stored, read by the test itself (`None`: not there).
pub async fn read_secret(client: &kube::Client, namespace: &str) -> Option<SecretNow> {
    let api: Api<KubeSecret> = Api::namespaced(client.clone(), namespace);
    let s = api.get_opt(SECRET).await.unwrap()?;
    let data = s.data.unwrap_or_default();
    let text = |key: &str| {
        data.get(key)
            .map(|v| String::from_utf8(v.0.clone()).unwrap())
    };
    let notes = s.metadata.annotations.unwrap_or_default();
    let holder = match (
        notes.get(TOKEN_OWNER_ANNOTATION),
        notes.get(TOKEN_NAME_ANNOTATION),
    ) {
        (Some(owner), Some(name)) => Some(token_label(owner, name)),
        _ => None,
    };
    Some(SecretNow {
        token: text("token").expect("the Secret has no key token"),
        previous_kept: data.contains_key("token.previous"),
        holder,
        rotation: notes.get(ROTATION_ANNOTATION).cloned(),
    })
}

/// Whether `sim` accepts `token` (the operator's exchange), with the answer.
pub async fn accepts(sim: &SimHandle, token: &str) -> Result<(), String> {
    let spec = ServiceSpec {
        name: "sim".into(),
        url: sim.base_url(),
        custom_ca_pem: None,
    };
    let config = ClientConfig {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(5),
        ..ClientConfig::default()
    };
    let http = HttpClient::new(&spec, config).unwrap();
    let dialect = match sim.dialect() {
        Dialect::V6_0 => osmo_admin_osmo_client::Dialect::V6_0,
        _ => osmo_admin_osmo_client::Dialect::V6_2,
    };
    let check = check_access_token(
        &http,
        dialect,
        &Secret::new(token.to_owned()),
        &CancellationToken::new(),
    )
    .await;
    match check {
        TokenCheck::Accepted { .. } => Ok(()),
        other => Err(format!("{:?}", other.summary())),
    }
}

/// A case's dialect and kill instant, short enough for the Kubernetes names of its namespaces.
pub fn case_code(dialect: osmo_sim::Dialect, when: osmo_admin_core::kill_point::When) -> String {
    let dialect = match dialect {
        osmo_sim::Dialect::V6_0 => "60",
        _ => "64",
    };
    let when = match when {
        osmo_admin_core::kill_point::When::Start => "s",
        osmo_admin_core::kill_point::When::AfterEffect => "e",
    };
    format!("{dialect}-{when}")
}
