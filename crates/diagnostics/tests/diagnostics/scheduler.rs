//! Scheduler presence against the real API server.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::PostParams;
use kube::Api;
use osmo_admin_diagnostics::{scheduler_presence, Limits, SchedulerPresence};
use serde_json::json;

use crate::common::{cluster, wait_until};

fn queues_crd() -> CustomResourceDefinition {
    serde_json::from_value(json!({
        "metadata": {"name": "queues.scheduling.run.ai"},
        "spec": {
            "group": "scheduling.run.ai",
            "names": {"kind": "Queue", "plural": "queues", "singular": "queue", "listKind": "QueueList"},
            "scope": "Cluster",
            "versions": [{"name": "v2", "served": true, "storage": true,
                "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}]
        }
    }))
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kai_is_present_once_its_queue_crd_exists() {
    let cluster = cluster().await;
    let client = cluster.client().await.unwrap();
    let limits = Limits::default();

    let before = scheduler_presence(&client, "kai", &limits).await;
    match &before {
        SchedulerPresence::Absent { looked_for } => {
            assert!(
                looked_for.contains("queues.scheduling.run.ai"),
                "{looked_for}"
            )
        }
        other => panic!("expected Absent, got {other:?}"),
    }
    assert!(matches!(
        scheduler_presence(&client, "default", &limits).await,
        SchedulerPresence::Present { .. }
    ));

    // A user with no rights cannot tell.
    let nobody = cluster.add_user("no-rights").await.unwrap();
    let unknown = scheduler_presence(&nobody.client().await.unwrap(), "kai", &limits).await;
    match unknown {
        SchedulerPresence::Unknown { reason } => assert!(
            reason.contains("not allowed to get customresourcedefinitions"),
            "{reason}"
        ),
        other => panic!("expected Unknown, got {other:?}"),
    }

    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    crds.create(&PostParams::default(), &queues_crd())
        .await
        .unwrap();
    wait_until("the CRD", || async {
        crds.get_opt("queues.scheduling.run.ai")
            .await
            .unwrap()
            .is_some()
    })
    .await;
    assert_eq!(
        scheduler_presence(&client, "kai", &limits).await,
        SchedulerPresence::Present {
            evidence: "CRD queues.scheduling.run.ai".into()
        }
    );
    // Volcano is still absent.
    assert!(matches!(
        scheduler_presence(&client, "volcano", &limits).await,
        SchedulerPresence::Absent { .. }
    ));
}
