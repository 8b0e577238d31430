//! The sandbox's local Kubernetes cluster, started in the background once the services answer:
//! a real kube-apiserver (`osmo-admin-test-cluster`), the kubeconfig lent to the app, the
//! stand-in kubelet, the in-cluster operators installed the way the guide's steps 2 and 3 would,
//! and the chart watch. Abandoning the start (the sandbox stopped meanwhile) stops whatever of it
//! had started.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use kube::api::PostParams;
use kube::Api;
use osmo_admin_operator_sim::{
    listener_deployment, worker_deployment, ClusterOperator, ClusterOperatorConfig, SecretRef,
};
use osmo_admin_test_cluster::TestCluster;
use osmo_sim::Dialect;

use crate::chart_installer::SandboxHelm;
use crate::chart_watch::{self, ChartWatch};
use crate::kubelet::{self, Kubelet};
use crate::service::{Operator, Placement, Service};
use crate::world::service_account;
use crate::SANDBOX_CONTEXT;

/// The running local cluster and what runs with it.
pub(crate) struct LocalCluster {
    pub cluster: TestCluster,
    /// Context, cluster and user all named [`SANDBOX_CONTEXT`].
    pub kubeconfig: PathBuf,
    /// helm, simulated on this cluster (setup's step 3 in the sandbox).
    pub helm: Arc<SandboxHelm>,
    /// Marks the cluster's pods running (it has no kubelet).
    kubelet: Kubelet,
    /// Runs simulated operators for backends installed in the cluster with helm.
    chart_watch: ChartWatch,
}

impl LocalCluster {
    /// Stops the kubelet and the chart watch (and its operators), then the cluster's processes.
    pub async fn stop(self) {
        let LocalCluster {
            cluster,
            kubelet,
            chart_watch,
            ..
        } = self;
        drop((kubelet, chart_watch));
        if let Err(err) = cluster.stop().await {
            tracing::warn!(%err, "the sandbox cluster did not stop cleanly");
        }
    }
}

/// Starts the cluster and places each service's simulated operators in it; on failure, the
/// reason (the services then place their operators in memory).
pub(crate) async fn start(
    services: &[Service],
    heartbeat: Duration,
) -> Result<(LocalCluster, Vec<Placement>), String> {
    let cluster = TestCluster::start()
        .await
        .map_err(|err| format!("the local Kubernetes API server did not start: {err}"))?;
    let unusable = |err: osmo_admin_test_cluster::Error| {
        format!("the local Kubernetes API server started but cannot be used: {err}")
    };
    let kubeconfig = cluster
        .write_named_kubeconfig(SANDBOX_CONTEXT)
        .map_err(unusable)?;
    let client = cluster.client().await.map_err(unusable)?;
    let helm = Arc::new(SandboxHelm::new(
        &kubeconfig,
        &cluster.run_dir().join("helm"),
    ));
    let kubelet = kubelet::start(client.clone());
    let mut placements = Vec::new();
    for service in services {
        placements.push(place(service, &cluster, &client, heartbeat).await);
    }
    let targets = services
        .iter()
        .map(|s| chart_watch::Target {
            base_url: s.sim.base_url(),
            dialect: s.sim.dialect(),
        })
        .collect();
    let chart_watch = chart_watch::start(client, targets, heartbeat);
    Ok((
        LocalCluster {
            cluster,
            kubeconfig,
            helm,
            kubelet,
            chart_watch,
        },
        placements,
    ))
}

/// Installs each of `service`'s simulated operators in the cluster and starts it there, reading
/// its token from the chart's Secret.
async fn place(
    service: &Service,
    cluster: &TestCluster,
    client: &kube::Client,
    heartbeat: Duration,
) -> Placement {
    let mut placement = Placement::default();
    for (plan, token) in &service.operator_tokens {
        let owner = match service.sim.dialect() {
            Dialect::V6_0 => plan.token.to_owned(),
            _ => service_account(plan.name),
        };
        let install = Install {
            operator_namespace: format!("{}{}", plan.operator_namespace, service.suffix),
            workflow_namespace: service.workflow_namespace(plan),
            token,
            holder: TokenName {
                owner: &owner,
                name: plan.token,
            },
        };
        match install_operator(cluster, client, install).await {
            Ok(secret) => {
                placement
                    .in_cluster
                    .push((plan.name, secret.namespace.clone()));
                placement.notes.push(format!(
                    "{}: operator in the local cluster, token from secret {secret}",
                    plan.name
                ));
                let config = ClusterOperatorConfig {
                    secret,
                    ..ClusterOperatorConfig::new(
                        client.clone(),
                        service.operator_config(plan, heartbeat),
                    )
                };
                placement.operators.push((
                    plan.name,
                    Operator::InCluster(ClusterOperator::start(config)),
                ));
            }
            Err(err) => placement.notes.push(format!(
                "{}: operator could not be placed in the cluster: {err}",
                plan.name
            )),
        }
    }
    placement
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
