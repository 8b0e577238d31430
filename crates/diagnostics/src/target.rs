//! Where to look in a cluster: the operator and workflow namespaces, the token Secret, the
//! chart's Deployment names (osmo-api.md §6.1–6.3).

use serde::Serialize;

/// The chart's Deployment names, as osmo-admin-kube's operator calls know them.
pub use osmo_admin_kube::operator::{LISTENER_DEPLOYMENT, WORKER_DEPLOYMENT};
/// The guide's operator namespace (`global.agentNamespace`).
pub use osmo_admin_kube::DEFAULT_OPERATOR_NAMESPACE;
/// The guide's workflow namespace (`global.backendNamespace`).
pub const DEFAULT_WORKFLOW_NAMESPACE: &str = "osmo-workflows";

/// A key of the token Secret; it lives in the operator namespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecretRef {
    pub name: String,
    pub key: String,
}

impl Default for SecretRef {
    /// The guide's `osmo-operator-token`, key `token`.
    fn default() -> Self {
        Self {
            name: "osmo-operator-token".into(),
            key: "token".into(),
        }
    }
}

/// Which chart Deployment a Deployment is, judged by its name suffix or container name (so a
/// release named other than `osmo-operator` is still recognised).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ChartRole {
    Listener,
    Worker,
}

impl ChartRole {
    pub(crate) fn of(name: &str, containers: &[&str]) -> Option<Self> {
        if name.ends_with("backend-listener") || containers.contains(&"backend-listener") {
            Some(ChartRole::Listener)
        } else if name.ends_with("backend-worker") || containers.contains(&"backend-worker") {
            Some(ChartRole::Worker)
        } else {
            None
        }
    }

    /// The chart's name for it with release `osmo-operator`.
    pub fn default_name(self) -> &'static str {
        match self {
            ChartRole::Listener => LISTENER_DEPLOYMENT,
            ChartRole::Worker => WORKER_DEPLOYMENT,
        }
    }
}

/// A linked cluster: a client for its context and where the backend's operator lives.
#[derive(Clone)]
pub struct ClusterTarget {
    pub client: kube::Client,
    pub operator_namespace: String,
    pub workflow_namespace: String,
    pub secret: SecretRef,
}

impl ClusterTarget {
    /// The guide's defaults: `osmo-operator`, `osmo-workflows`, `osmo-operator-token`/`token`.
    pub fn new(client: kube::Client) -> Self {
        Self {
            client,
            operator_namespace: DEFAULT_OPERATOR_NAMESPACE.into(),
            workflow_namespace: DEFAULT_WORKFLOW_NAMESPACE.into(),
            secret: SecretRef::default(),
        }
    }
}

impl ClusterTarget {
    /// Where the operator's token lives, for osmo-admin-kube's operator calls.
    pub fn token_secret(&self) -> osmo_admin_kube::operator::TokenSecret {
        osmo_admin_kube::operator::TokenSecret {
            namespace: self.operator_namespace.clone(),
            name: self.secret.name.clone(),
            key: self.secret.key.clone(),
        }
    }
}

impl std::fmt::Debug for ClusterTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClusterTarget")
            .field("operator_namespace", &self.operator_namespace)
            .field("workflow_namespace", &self.workflow_namespace)
            .field("secret", &self.secret)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_roles_by_name_or_container() {
        assert_eq!(
            ChartRole::of(LISTENER_DEPLOYMENT, &[]),
            Some(ChartRole::Listener)
        );
        assert_eq!(
            ChartRole::of("prod-osmo-backend-worker", &[]),
            Some(ChartRole::Worker)
        );
        assert_eq!(
            ChartRole::of("x", &["backend-listener"]),
            Some(ChartRole::Listener)
        );
        assert_eq!(ChartRole::of("redis", &["redis"]), None);
    }
}
