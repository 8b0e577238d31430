//! The listener Deployment as the backend-operator chart shapes it (osmo-api.md §6.2–6.3), reduced
//! to what a simulated operator and the admin app look at: its name, labels, and the token Secret
//! mounted as `token.txt`.

use k8s_openapi::api::apps::v1::Deployment;

use crate::{SecretRef, LISTENER_DEPLOYMENT};

/// A one-replica listener Deployment mounting `secret` the way the chart does.
pub fn listener_deployment(secret: &SecretRef, image: &str) -> Deployment {
    let labels = serde_json::json!({ "app": LISTENER_DEPLOYMENT });
    let value = serde_json::json!({
        "metadata": { "name": LISTENER_DEPLOYMENT, "namespace": secret.namespace, "labels": labels },
        "spec": {
            "replicas": 1,
            "selector": { "matchLabels": labels },
            "template": {
                "metadata": { "labels": labels },
                "spec": {
                    "containers": [{
                        "name": "backend-listener",
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
}
