//! Stopping a backend operator (before its backend is deleted) on the real API server: only the
//! chart's listener and worker Deployments go; anything else in the namespace stays.
#![allow(clippy::unwrap_used)]

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, PostParams};
use osmo_admin_kube::operator::{delete_operator_deployments, list_deployments, Limits};
use osmo_admin_test_cluster::TestCluster;
use serde_json::json;

fn deployment(name: &str) -> Deployment {
    serde_json::from_value(json!({
        "metadata": {"name": name},
        "spec": {
            "replicas": 0,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "c", "image": "example.invalid/none"}]}
            }
        }
    }))
    .unwrap()
}

#[tokio::test]
async fn only_the_operators_deployments_are_deleted() {
    let cluster = TestCluster::shared().await;
    let client = cluster.client().await.unwrap();
    let namespace = "stop-operator-test";
    let ns: Namespace = serde_json::from_value(json!({"metadata": {"name": namespace}})).unwrap();
    Api::<Namespace>::all(client.clone())
        .create(&PostParams::default(), &ns)
        .await
        .unwrap();
    let api: Api<Deployment> = Api::namespaced(client.clone(), namespace);
    for name in [
        "gpu-op-osmo-backend-listener",
        "gpu-op-osmo-backend-worker",
        "metrics-exporter",
    ] {
        api.create(&PostParams::default(), &deployment(name))
            .await
            .unwrap();
    }
    let limits = Limits::default();
    let mut deleted = delete_operator_deployments(&client, namespace, &limits)
        .await
        .unwrap();
    deleted.sort();
    assert_eq!(
        deleted,
        vec![
            "gpu-op-osmo-backend-listener".to_owned(),
            "gpu-op-osmo-backend-worker".to_owned()
        ]
    );
    let left: Vec<String> = list_deployments(&client, namespace, &limits)
        .await
        .unwrap()
        .into_iter()
        .filter(|d| d.metadata.deletion_timestamp.is_none())
        .filter_map(|d| d.metadata.name)
        .collect();
    assert_eq!(left, vec!["metrics-exporter".to_owned()]);
    // Nothing left to stop: an empty answer, not an error.
    assert!(delete_operator_deployments(&client, namespace, &limits)
        .await
        .unwrap()
        .is_empty());
}
