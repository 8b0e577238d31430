//! Backends installed into the sandbox cluster with helm (the Setup screen's step 3): for each
//! listener Deployment the `backend-operator` chart renders whose `--host` is one of the sandbox
//! services, a simulated operator starts, reading the token Secret the Deployment mounts. So a
//! backend set up in the sandbox connects and comes online the way a real one would (the
//! sandbox cluster has no kubelet to run the chart's real images).
//!
//! Non-goals: the worker Deployment, and backends of services outside the sandbox.

use std::collections::HashSet;
use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use kube::api::ListParams;
use kube::Api;
use osmo_admin_operator_sim::{ClusterOperator, ClusterOperatorConfig, SecretRef};
use osmo_sim::{Dialect, OperatorConfig, TokenSource};
use tokio::task::JoinHandle;

/// The chart's listener Deployments end with this.
const LISTENER_SUFFIX: &str = "-osmo-backend-listener";
/// How often the cluster's Deployments are listed.
const POLL: Duration = Duration::from_secs(2);

/// A sandbox service a chart may point at.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub base_url: String,
    pub dialect: Dialect,
}

/// What a chart's listener Deployment says about its operator.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Listener {
    namespace: String,
    deployment: String,
    host: String,
    backend: String,
    /// `--namespace`: the workflow namespace the operator reports to the service.
    workflow_namespace: Option<String>,
    secret: SecretRef,
}

/// Runs until dropped; the operators it started stop with it.
pub(crate) struct ChartWatch {
    task: JoinHandle<()>,
}

impl Drop for ChartWatch {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts following the cluster's Deployments; `heartbeat` is the operators' interval.
pub(crate) fn start(client: kube::Client, targets: Vec<Target>, heartbeat: Duration) -> ChartWatch {
    let task = tokio::spawn(async move {
        let mut started: HashSet<(String, String)> = HashSet::new();
        let mut operators: Vec<ClusterOperator> = Vec::new();
        let api: Api<Deployment> = Api::all(client.clone());
        loop {
            match api.list(&ListParams::default()).await {
                Ok(list) => {
                    for listener in list.items.iter().filter_map(listener_of) {
                        let key = (listener.namespace.clone(), listener.deployment.clone());
                        let Some(target) = targets
                            .iter()
                            .find(|t| same_url(&t.base_url, &listener.host))
                        else {
                            continue;
                        };
                        if started.insert(key) {
                            tracing::info!(backend = %listener.backend, namespace = %listener.namespace, "sandbox: operator for a chart installed with helm");
                            operators.push(operator(&client, target, listener, heartbeat));
                        }
                    }
                }
                Err(err) => tracing::debug!(%err, "sandbox: listing Deployments failed"),
            }
            tokio::time::sleep(POLL).await;
        }
    });
    ChartWatch { task }
}

fn same_url(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

fn operator(
    client: &kube::Client,
    target: &Target,
    listener: Listener,
    heartbeat: Duration,
) -> ClusterOperator {
    let unused: TokenSource = std::sync::Arc::new(|| Err("replaced by the Secret".into()));
    let mut osmo = OperatorConfig::new(&target.base_url, target.dialect, &listener.backend, unused);
    osmo.heartbeat_interval = heartbeat;
    if let Some(namespace) = listener.workflow_namespace {
        osmo.k8s_namespace = namespace;
    }
    ClusterOperator::start(ClusterOperatorConfig {
        secret: listener.secret,
        deployment: listener.deployment,
        ..ClusterOperatorConfig::new(client.clone(), osmo)
    })
}

/// The listener of a chart installation: `--host`, `--backend` and the mounted token Secret.
fn listener_of(d: &Deployment) -> Option<Listener> {
    let deployment = d.metadata.name.clone()?;
    if !deployment.ends_with(LISTENER_SUFFIX) {
        return None;
    }
    let spec = d.spec.as_ref()?.template.spec.as_ref()?;
    let args = spec.containers.first()?.args.clone()?;
    let arg = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let secret = spec.volumes.as_ref()?.iter().find_map(|v| {
        let s = v.secret.as_ref()?;
        Some((
            s.secret_name.clone()?,
            s.items.as_ref()?.first()?.key.clone(),
        ))
    })?;
    let namespace = d.metadata.namespace.clone()?;
    Some(Listener {
        host: arg("--host")?,
        backend: arg("--backend")?,
        workflow_namespace: arg("--namespace"),
        secret: SecretRef {
            namespace: namespace.clone(),
            name: secret.0,
            key: secret.1,
        },
        namespace,
        deployment,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_chart_renders_and_skips_other_deployments() {
        let chart: Deployment = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "osmo-operator-osmo-backend-listener", "namespace": "new-op"},
            "spec": {"selector": {}, "template": {"spec": {
                "containers": [{"name": "backend-listener", "args": [
                    "--token_file", "/opt/osmo/secrets/token.txt", "--login_method", "token",
                    "--host", "http://127.0.0.1:4000", "--backend", "gpu-new", "--namespace", "new-wf"]}],
                "volumes": [{"name": "account-token", "secret": {
                    "secretName": "osmo-operator-token", "items": [{"key": "token", "path": "token.txt"}]}}]
            }}}
        }))
        .unwrap();
        let listener = listener_of(&chart).unwrap();
        assert_eq!(listener.backend, "gpu-new");
        assert_eq!(listener.host, "http://127.0.0.1:4000");
        assert_eq!(listener.workflow_namespace.as_deref(), Some("new-wf"));
        assert_eq!(
            (
                listener.secret.namespace.as_str(),
                listener.secret.name.as_str(),
                listener.secret.key.as_str()
            ),
            ("new-op", "osmo-operator-token", "token")
        );
        assert!(same_url("http://127.0.0.1:4000/", &listener.host));

        // The sandbox's own listener (no arguments) and other Deployments are not the chart's.
        let mut own = chart.clone();
        own.spec
            .as_mut()
            .unwrap()
            .template
            .spec
            .as_mut()
            .unwrap()
            .containers[0]
            .args = None;
        assert!(listener_of(&own).is_none());
        let mut worker = chart;
        worker.metadata.name = Some("osmo-operator-osmo-backend-worker".into());
        assert!(listener_of(&worker).is_none());
    }
}
