//! The operator's Deployments: listing them and `kubectl rollout restart`.

use chrono::{DateTime, SecondsFormat, Utc};
use k8s_openapi::api::apps::v1::Deployment;
use kube::api::{ListParams, Patch, PatchParams};
use kube::Api;
use serde_json::json;

use super::call::{run, KubeAction, KubeCallError, Limits};

/// The listener Deployment the chart creates for release `osmo-operator` (osmo-api.md §6.2).
pub const LISTENER_DEPLOYMENT: &str = "osmo-operator-osmo-backend-listener";
/// The worker Deployment the chart creates for release `osmo-operator`.
pub const WORKER_DEPLOYMENT: &str = "osmo-operator-osmo-backend-worker";

/// What `kubectl rollout restart` sets on the pod template.
pub const RESTARTED_AT_ANNOTATION: &str = "kubectl.kubernetes.io/restartedAt";

/// Every Deployment in `namespace`.
pub async fn list_deployments(
    client: &kube::Client,
    namespace: &str,
    limits: &Limits,
) -> Result<Vec<Deployment>, KubeCallError> {
    let api: Api<Deployment> = Api::namespaced(client.clone(), namespace);
    let action = KubeAction::new("list", "deployments", Some(namespace));
    let list = run(limits, action, api.list(&ListParams::default())).await?;
    Ok(list.items)
}

/// `kubectl rollout restart deployment/<name>`: stamps the pod template with `at`, so the
/// Deployment replaces its pods (and the operator reads the Secret again).
pub async fn rollout_restart(
    client: &kube::Client,
    namespace: &str,
    name: &str,
    at: DateTime<Utc>,
    limits: &Limits,
) -> Result<(), KubeCallError> {
    let api: Api<Deployment> = Api::namespaced(client.clone(), namespace);
    let stamp = at.to_rfc3339_opts(SecondsFormat::Millis, true);
    let body = json!({"spec": {"template": {"metadata": {"annotations": {RESTARTED_AT_ANNOTATION: stamp}}}}});
    let resource = format!("deployment {name}");
    let action = KubeAction::new("restart", &resource, Some(namespace));
    let (params, patch) = (PatchParams::default(), Patch::Merge(&body));
    run(limits, action, api.patch(name, &params, &patch))
        .await
        .map(|_| ())
}

/// When `kubectl rollout restart` (or a rotation) last restarted `deployment`: its pod
/// template's [`RESTARTED_AT_ANNOTATION`]; `None` when never, or not a time.
pub fn restarted_at(deployment: &Deployment) -> Option<DateTime<Utc>> {
    let template = deployment.spec.as_ref()?.template.metadata.as_ref()?;
    let stamp = template
        .annotations
        .as_ref()?
        .get(RESTARTED_AT_ANNOTATION)?;
    DateTime::parse_from_rfc3339(stamp)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Whether Deployment `name` is one of the backend operator's (the chart names them
/// `<release>-osmo-backend-listener` and `<release>-osmo-backend-worker`).
pub fn is_operator_deployment(name: &str) -> bool {
    name.ends_with("-osmo-backend-listener") || name.ends_with("-osmo-backend-worker")
}

/// Deletes the backend operator's Deployments in `namespace` (its pods stop, so the backend's
/// heartbeats stop); everything else of the release (Secret, service account, roles) is left.
/// Returns the names deleted.
pub async fn delete_operator_deployments(
    client: &kube::Client,
    namespace: &str,
    limits: &Limits,
) -> Result<Vec<String>, KubeCallError> {
    let api: Api<Deployment> = Api::namespaced(client.clone(), namespace);
    let mut deleted = Vec::new();
    for deployment in list_deployments(client, namespace, limits).await? {
        let Some(name) = deployment.metadata.name else {
            continue;
        };
        if !is_operator_deployment(&name) {
            continue;
        }
        let resource = format!("deployment {name}");
        let action = KubeAction::new("delete", &resource, Some(namespace));
        run(limits, action, api.delete(&name, &Default::default())).await?;
        deleted.push(name);
    }
    Ok(deleted)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_restart_stamp_is_read_from_the_pod_template() {
        let at = Utc::now();
        let stamp = at.to_rfc3339_opts(SecondsFormat::Millis, true);
        let with = |value: serde_json::Value| -> Deployment {
            serde_json::from_value(json!({
                "metadata": {"name": "d"},
                "spec": {"selector": {}, "template": {"metadata": {"annotations": value}}}
            }))
            .unwrap()
        };
        let read = restarted_at(&with(json!({ RESTARTED_AT_ANNOTATION: stamp }))).unwrap();
        assert_eq!(read.timestamp_millis(), at.timestamp_millis());
        assert_eq!(
            restarted_at(&with(json!({ RESTARTED_AT_ANNOTATION: "soon" }))),
            None
        );
        assert_eq!(restarted_at(&with(json!({}))), None);
    }
}
