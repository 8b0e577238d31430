//! Where the operator's token lives: the chart's defaults and how to read it.

use k8s_openapi::api::core::v1::Secret;
use kube::Api;

/// The listener Deployment the chart creates for release `osmo-operator` (osmo-api.md §6.2).
pub const LISTENER_DEPLOYMENT: &str = "osmo-operator-osmo-backend-listener";
/// The worker Deployment beside it.
pub const WORKER_DEPLOYMENT: &str = "osmo-operator-osmo-backend-worker";

/// A key of a Kubernetes Secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretRef {
    pub namespace: String,
    pub name: String,
    pub key: String,
}

impl Default for SecretRef {
    /// The chart's defaults: `osmo-operator/osmo-operator-token`, key `token`.
    fn default() -> Self {
        Self {
            namespace: "osmo-operator".into(),
            name: "osmo-operator-token".into(),
            key: "token".into(),
        }
    }
}

impl std::fmt::Display for SecretRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{} key {}", self.namespace, self.name, self.key)
    }
}

impl SecretRef {
    /// Reads the token, trimmed as the operator's file read would be. The error is what the
    /// operator's pod would fail with (in words, since the real one fails to mount or start).
    pub async fn read(&self, client: &kube::Client) -> Result<String, String> {
        let api: Api<Secret> = Api::namespaced(client.clone(), &self.namespace);
        let secret = api
            .get_opt(&self.name)
            .await
            .map_err(|err| format!("cannot read secret {self}: {err}"))?
            .ok_or_else(|| format!("secret {}/{} not found", self.namespace, self.name))?;
        let bytes = secret
            .data
            .as_ref()
            .and_then(|data| data.get(&self.key))
            .ok_or_else(|| format!("secret {} has no key {}", self.name, self.key))?;
        let token = String::from_utf8(bytes.0.clone())
            .map_err(|_| format!("secret {self} is not UTF-8 text"))?;
        Ok(token.trim().to_owned())
    }
}
