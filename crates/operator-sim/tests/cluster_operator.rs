//! End to end: a simulated operator takes its token from a Secret in a real Kubernetes API server
//! and brings its backend online in the OSMO simulator; a rotation that writes a bad token and
//! restarts the Deployment takes it offline, a good one brings it back. Both dialects.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Secret;
use kube::api::{Patch, PatchParams, PostParams};
use kube::Api;
use osmo_admin_operator_sim::{
    listener_deployment, ClusterOperator, ClusterOperatorConfig, ClusterOperatorStatus, SecretRef,
    LISTENER_DEPLOYMENT,
};
use osmo_admin_test_cluster::TestCluster;
use osmo_sim::{Dialect, OperatorConfig, OperatorStatus, SeedToken, SimConfig, Simulator};

const FAST: Duration = Duration::from_millis(200);
const WAIT: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_follows_its_secret_and_deployment_in_both_dialects() {
    let cluster = TestCluster::start().await.unwrap();
    let client = cluster.client().await.unwrap();
    for (dialect, namespace) in [(Dialect::V6_0, "op-60"), (Dialect::V6_4, "op-64")] {
        scenario(&cluster, client.clone(), dialect, namespace).await;
    }
}

fn token_for(dialect: Dialect, name: &str) -> SeedToken {
    let expires = Utc::now().date_naive() + chrono::Days::new(30);
    match dialect {
        Dialect::V6_0 => SeedToken::service(name, &["osmo-backend"]),
        _ => SeedToken::for_user("backend-svc", name, &["osmo-backend"]),
    }
    .expires_at(expires)
}

async fn scenario(cluster: &TestCluster, client: kube::Client, dialect: Dialect, namespace: &str) {
    let backend = format!("gpu-{namespace}");
    let mut sim_config = SimConfig::new(dialect).require_auth(true);
    if dialect != Dialect::V6_0 {
        // 6.2+: service accounts are users holding the role.
        sim_config = sim_config.user("backend-svc", &["osmo-backend"]);
    }
    let sim = Simulator::start(sim_config).await.unwrap();
    let good = sim
        .create_token(token_for(dialect, "backend-token"))
        .unwrap();

    cluster.create_namespace(namespace).await.unwrap();
    let secrets: Api<Secret> = Api::namespaced(client.clone(), namespace);
    let secret = SecretRef {
        namespace: namespace.into(),
        ..SecretRef::default()
    };
    cluster
        .create_secret(namespace, &secret.name, &[(&secret.key, &good)])
        .await
        .unwrap();

    let unused: osmo_sim::TokenSource = Arc::new(|| Err("replaced by the Secret".into()));
    let mut operator = OperatorConfig::new(sim.base_url(), dialect, &backend, unused);
    operator.heartbeat_interval = FAST;
    operator.retry_interval = FAST;
    let config = ClusterOperatorConfig {
        secret: secret.clone(),
        poll_interval: FAST,
        ..ClusterOperatorConfig::new(client.clone(), operator)
    };
    let op = ClusterOperator::start(config);

    // Before the chart is installed, nothing runs and OSMO has never heard of the backend.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(op.status(), ClusterOperatorStatus::NoDeployment);
    assert!(sim.backend(&backend).is_none());

    // "helm install": the listener Deployment appears, the operator connects with the Secret's token.
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), namespace);
    deployments
        .create(
            &PostParams::default(),
            &listener_deployment(&secret, "backend-listener:6.0.0"),
        )
        .await
        .unwrap();
    let status = op
        .wait_for(WAIT, |s| {
            *s == ClusterOperatorStatus::Running(OperatorStatus::Connected)
        })
        .await;
    assert_eq!(
        status,
        ClusterOperatorStatus::Running(OperatorStatus::Connected),
        "{dialect:?}"
    );
    wait_online(&sim, &backend, true).await;

    // A bad token in the Secret changes nothing until the Deployment restarts...
    put_token(&secrets, &secret, "not-a-valid-token").await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        op.status(),
        ClusterOperatorStatus::Running(OperatorStatus::Connected)
    );
    // ...then the restarted operator is refused and stops heartbeating: offline after 2 minutes.
    rollout_restart(&deployments).await;
    let status = op
        .wait_for(WAIT, |s| {
            matches!(s, ClusterOperatorStatus::Running(OperatorStatus::Failed(_)))
        })
        .await;
    let ClusterOperatorStatus::Running(OperatorStatus::Failed(reason)) = status else {
        panic!("expected the operator to fail with a bad token, got {status:?}");
    };
    assert!(reason.to_lowercase().contains("token"), "{reason}");
    assert_eq!(op.restarts(), 1);
    let three_minutes_ago = (Utc::now() - chrono::Duration::minutes(3)).naive_utc();
    assert!(sim.set_last_heartbeat(&backend, three_minutes_ago));
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(
        !sim.backend(&backend).unwrap().online,
        "no heartbeat may arrive with a bad token"
    );

    // A good new token and a restart bring it back.
    let fresh = sim
        .create_token(token_for(dialect, "backend-token-2"))
        .unwrap();
    put_token(&secrets, &secret, &fresh).await;
    rollout_restart(&deployments).await;
    wait_online(&sim, &backend, true).await;
    assert_eq!(op.restarts(), 2);

    // "helm uninstall": the operator stops.
    deployments
        .delete(LISTENER_DEPLOYMENT, &Default::default())
        .await
        .unwrap();
    let status = op
        .wait_for(WAIT, |s| *s == ClusterOperatorStatus::NoDeployment)
        .await;
    assert_eq!(status, ClusterOperatorStatus::NoDeployment);
}

async fn wait_online(sim: &osmo_sim::SimHandle, backend: &str, online: bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let state = sim.backend(backend);
        if state.as_ref().is_some_and(|b| b.online == online) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{backend} never became online={online}: {state:?}"
        );
        tokio::time::sleep(FAST).await;
    }
}

async fn put_token(secrets: &Api<Secret>, secret: &SecretRef, value: &str) {
    let patch = serde_json::json!({ "stringData": { secret.key.clone(): value } });
    secrets
        .patch(&secret.name, &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .unwrap();
}

/// What `kubectl rollout restart` does: a new annotation on the pod template.
async fn rollout_restart(deployments: &Api<Deployment>) {
    let patch = serde_json::json!({ "spec": { "template": { "metadata": { "annotations": {
        "kubectl.kubernetes.io/restartedAt": Utc::now().to_rfc3339()
    } } } } });
    deployments
        .patch(
            LISTENER_DEPLOYMENT,
            &PatchParams::default(),
            &Patch::Merge(&patch),
        )
        .await
        .unwrap();
}
