//! What a linked cluster shows about a backend's operator: the namespaces, the token Secret
//! (never its value), the operator Deployments and their pods, and recent events.
//!
//! [`inspect`] looks at every part separately: a part it may not read (HTTP 403) or cannot reach
//! is that part's [`DiagnosticsError`], and the other parts are still reported. The token's value
//! is available only as an [`osmo_admin_secrets::Secret`] from [`read_token`], for the checks.

mod deployments;
mod events;
mod secret;

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use kube::Api;
use serde::Serialize;

use crate::error::Part;
use crate::target::ClusterTarget;
use osmo_admin_kube::operator::{run, KubeAction, Limits};

pub use deployments::{DeploymentStatus, OperatorDeployments, PodSummary};
pub use events::{EventSummary, MAX_EVENTS};
pub use secret::{read_token, SecretStatus};

/// Whether a namespace exists.
#[derive(Debug, Clone, Serialize)]
pub struct NamespaceStatus {
    pub name: String,
    pub present: Part<bool>,
}

/// Everything [`inspect`] found. Holds no secret values.
#[derive(Debug, Clone, Serialize)]
pub struct ClusterSide {
    pub operator_namespace: NamespaceStatus,
    pub workflow_namespace: NamespaceStatus,
    pub token_secret: Part<SecretStatus>,
    pub deployments: Part<OperatorDeployments>,
    /// Newest first, at most [`MAX_EVENTS`].
    pub events: Part<Vec<EventSummary>>,
}

/// Looks at every part of `target` (the parts run concurrently; each call within `limits`).
pub async fn inspect(target: &ClusterTarget, limits: &Limits) -> ClusterSide {
    let (operator_namespace, workflow_namespace, token_secret, deployments, events) = tokio::join!(
        namespace_status(target, &target.operator_namespace, limits),
        namespace_status(target, &target.workflow_namespace, limits),
        secret::inspect_secret(target, limits),
        deployments::inspect_deployments(target, limits),
        events::recent_events(target, limits),
    );
    ClusterSide {
        operator_namespace,
        workflow_namespace,
        token_secret,
        deployments,
        events,
    }
}

async fn namespace_status(target: &ClusterTarget, name: &str, limits: &Limits) -> NamespaceStatus {
    let api: Api<Namespace> = Api::all(target.client.clone());
    let lookup = KubeAction::new("get", "namespaces", None);
    let present = run(limits, lookup, api.get_opt(name))
        .await
        .map(|ns| ns.is_some());
    NamespaceStatus {
        name: name.to_owned(),
        present,
    }
}

/// A Kubernetes time as a chrono time.
pub(crate) fn to_utc(time: &Time) -> Option<DateTime<Utc>> {
    let ts = time.0;
    DateTime::<Utc>::from_timestamp(ts.as_second(), ts.subsec_nanosecond().max(0) as u32)
}
