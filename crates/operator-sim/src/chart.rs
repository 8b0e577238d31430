//! The listener and worker Deployments as the backend-operator chart shapes them (osmo-api.md
//! §6.2–6.3), reduced to what a simulated operator and the admin app look at: their names, labels,
//! containers, and the token Secret mounted as `token.txt`.

use k8s_openapi::api::apps::v1::Deployment;

use crate::{SecretRef, LISTENER_DEPLOYMENT, WORKER_DEPLOYMENT};

/// A one-replica listener Deployment mounting `secret` the way the chart does.
pub fn listener_deployment(secret: &SecretRef, image: &str) -> Deployment {
    chart_deployment(LISTENER_DEPLOYMENT, "backend-listener", secret, image)
}

/// The worker Deployment beside it (the simulated operator does not follow it; the admin app's
/// checks expect it).
pub fn worker_deployment(secret: &SecretRef, image: &str) -> Deployment {
    chart_deployment(WORKER_DEPLOYMENT, "backend-worker", secret, image)
}

fn chart_deployment(name: &str, container: &str, secret: &SecretRef, image: &str) -> Deployment {
    let labels = serde_json::json!({ "app": name });
    let value = serde_json::json!({
        "metadata": { "name": name, "namespace": secret.namespace, "labels": labels },
        "spec": {
            "replicas": 1,
            "selector": { "matchLabels": labels },
            "template": {
                "metadata": { "labels": labels },
                "spec": {
                    "containers": [{
                        "name": container,
                        "image": image,
                        "volumeMounts": [{ "name": "token", "mountPath": "/opt/osmo/secrets" }]
                    }],
                    "volumes": [{ "name": "token", "secret": {
                        "secretName": secret.name,
                        "items": [{ "key": secret.key, "path": "token.txt" }]
                    } }]
                }
            }
        }
    });
    // The JSON above is a fixed, valid Deployment; only strings are substituted into it.
    serde_json::from_value(value).unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn mounts_the_secret_key_as_the_token_file() {
        let secret = SecretRef {
            namespace: "ops".into(),
            ..SecretRef::default()
        };
        let deployment = listener_deployment(&secret, "backend-listener:6.0.0");
        assert_eq!(
            deployment.metadata.name.as_deref(),
            Some(LISTENER_DEPLOYMENT)
        );
        assert_eq!(deployment.metadata.namespace.as_deref(), Some("ops"));
        let spec = deployment.spec.unwrap().template.spec.unwrap();
        let volume = spec.volumes.unwrap().remove(0).secret.unwrap();
        assert_eq!(volume.secret_name.as_deref(), Some("osmo-operator-token"));
        let item = &volume.items.unwrap()[0];
        assert_eq!(
            (item.key.as_str(), item.path.as_str()),
            ("token", "token.txt")
        );
        assert_eq!(
            spec.containers[0].image.as_deref(),
            Some("backend-listener:6.0.0")
        );
    }

    #[test]
    fn the_worker_is_shaped_the_same_under_its_own_name() {
        let worker = worker_deployment(&SecretRef::default(), "backend-worker:6.0.0");
        assert_eq!(worker.metadata.name.as_deref(), Some(WORKER_DEPLOYMENT));
        let spec = worker.spec.unwrap();
        assert_eq!(
            spec.selector.match_labels.unwrap()["app"],
            WORKER_DEPLOYMENT
        );
        assert_eq!(
            spec.template.spec.unwrap().containers[0].name,
            "backend-worker"
        );
    }
}
