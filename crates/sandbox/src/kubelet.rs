//! The sandbox cluster's stand-in kubelet: it has an API server and controllers but no nodes, so
//! the pods the Deployments ask for would stay pending forever. This marks each new pod scheduled,
//! running and ready (the simulated operators do the real work), so a backend set up there looks
//! healthy on the cluster side, and a rollout restart completes.
//!
//! Non-goals: images, probes, crashes; a pod is ready as soon as it is seen.

use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use k8s_openapi::api::core::v1::{Pod, ServiceAccount};
use kube::api::{ListParams, Patch, PatchParams};
use kube::Api;
use serde_json::json;
use tokio::task::JoinHandle;

/// How often pending pods are looked for.
const POLL: Duration = Duration::from_millis(500);

/// Runs until dropped.
pub(crate) struct Kubelet {
    task: JoinHandle<()>,
}

impl Drop for Kubelet {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub(crate) fn start(client: kube::Client) -> Kubelet {
    let task = tokio::spawn(async move {
        let pods: Api<Pod> = Api::all(client.clone());
        let pending = ListParams::default().fields("status.phase=Pending");
        loop {
            match pods.list(&pending).await {
                Ok(list) => {
                    for pod in list.items {
                        if let Err(err) = run(&client, &pod).await {
                            tracing::debug!(%err, "sandbox kubelet: marking a pod running failed");
                        }
                    }
                }
                Err(err) => tracing::debug!(%err, "sandbox kubelet: listing pods failed"),
            }
            tokio::time::sleep(POLL).await;
        }
    });
    Kubelet { task }
}

/// Writes the status a kubelet would once the pod's containers run and pass their probes.
async fn run(client: &kube::Client, pod: &Pod) -> Result<(), kube::Error> {
    let (Some(name), Some(namespace)) = (&pod.metadata.name, &pod.metadata.namespace) else {
        return Ok(());
    };
    if pod.metadata.deletion_timestamp.is_some() {
        return Ok(());
    }
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
    let containers: Vec<serde_json::Value> = pod
        .spec
        .iter()
        .flat_map(|s| s.containers.iter())
        .map(|c| {
            json!({
                "name": c.name, "image": c.image.clone().unwrap_or_default(), "imageID": "",
                "ready": true, "restartCount": 0, "started": true,
                "state": {"running": {"startedAt": now}}
            })
        })
        .collect();
    let condition = |kind: &str| json!({"type": kind, "status": "True", "lastTransitionTime": now});
    let status = json!({"status": {
        "phase": "Running",
        "startTime": now,
        "conditions": [condition("PodScheduled"), condition("Initialized"), condition("ContainersReady"), condition("Ready")],
        "containerStatuses": containers,
    }});
    Api::<Pod>::namespaced(client.clone(), namespace)
        .patch_status(name, &PatchParams::default(), &Patch::Merge(&status))
        .await
        .map(|_| ())
}

/// Waits (up to 10 s) until the controllers made `namespace`'s default ServiceAccount: pods asked
/// for before it exists are refused with a warning event.
pub(crate) async fn wait_for_default_account(client: &kube::Client, namespace: &str) {
    let accounts: Api<ServiceAccount> = Api::namespaced(client.clone(), namespace);
    for _ in 0..100 {
        if matches!(accounts.get_opt("default").await, Ok(Some(_))) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tracing::warn!(%namespace, "sandbox: the default ServiceAccount did not appear within 10 s");
}
