//! The operator Deployments in the operator namespace (the chart's listener and worker, and any
//! other Deployment there) and the pods their selectors match.

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use kube::api::ListParams;
use kube::Api;
use serde::Serialize;

use crate::error::Part;
use crate::target::{ChartRole, ClusterTarget};
use osmo_admin_kube::operator::{
    list_deployments, run, KubeAction, Limits, RESTARTED_AT_ANNOTATION,
};

/// The Deployments of the operator namespace.
#[derive(Debug, Clone, Serialize)]
pub struct OperatorDeployments {
    /// Every Deployment in the namespace, chart ones first.
    pub found: Vec<DeploymentStatus>,
    /// Chart Deployments (listener, worker) not found.
    pub missing: Vec<ChartRole>,
}

/// One Deployment.
#[derive(Debug, Clone, Serialize)]
pub struct DeploymentStatus {
    pub name: String,
    /// Which chart Deployment it is, if any.
    pub role: Option<ChartRole>,
    pub desired_replicas: i32,
    pub ready_replicas: i32,
    /// `kubectl.kubernetes.io/restartedAt` on the pod template (the last `rollout restart`).
    pub restarted_at: Option<String>,
    pub pods: Part<PodSummary>,
}

/// The pods a Deployment's selector matches, summed up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PodSummary {
    pub total: usize,
    pub running: usize,
    pub ready: usize,
    /// Pending and not placed on a node.
    pub unscheduled: usize,
    /// Container restarts over all pods.
    pub restarts: i32,
    /// The reason of the most recent container termination (e.g. `Error`, `OOMKilled`).
    pub last_termination_reason: Option<String>,
    /// Why containers wait (e.g. `CrashLoopBackOff`, `ImagePullBackOff`), deduplicated.
    pub waiting_reasons: Vec<String>,
}

impl PodSummary {
    /// Waiting reasons that mean the container cannot run as things are.
    pub fn failing_reasons(&self) -> Vec<&str> {
        const BAD: [&str; 6] = [
            "CrashLoopBackOff",
            "ImagePullBackOff",
            "ErrImagePull",
            "CreateContainerConfigError",
            "CreateContainerError",
            "InvalidImageName",
        ];
        self.waiting_reasons
            .iter()
            .map(String::as_str)
            .filter(|r| BAD.contains(r))
            .collect()
    }

    /// "no pods", or e.g. "2 pods: 1 running, 1 ready, 1 not scheduled, 3 restarts".
    pub fn describe(&self) -> String {
        if self.total == 0 {
            return "no pods".into();
        }
        let mut text = format!(
            "{} pod{}: {} running, {} ready",
            self.total,
            if self.total == 1 { "" } else { "s" },
            self.running,
            self.ready
        );
        if self.unscheduled > 0 {
            text += &format!(", {} not scheduled", self.unscheduled);
        }
        if self.restarts > 0 {
            text += &format!(", {} restarts", self.restarts);
        }
        if let Some(reason) = &self.last_termination_reason {
            text += &format!(", last terminated: {reason}");
        }
        if !self.waiting_reasons.is_empty() {
            text += &format!(", waiting: {}", self.waiting_reasons.join(", "));
        }
        text
    }

    fn add(&mut self, pod: &Pod) {
        self.total += 1;
        let Some(status) = &pod.status else { return };
        let conditions = status.conditions.iter().flatten();
        let mut ready = false;
        let mut unscheduled = false;
        for c in conditions {
            ready |= c.type_ == "Ready" && c.status == "True";
            unscheduled |= c.type_ == "PodScheduled" && c.status == "False";
        }
        let no_node = pod.spec.as_ref().is_none_or(|s| s.node_name.is_none());
        let phase = status.phase.as_deref().unwrap_or("");
        self.running += usize::from(phase == "Running");
        self.ready += usize::from(ready);
        self.unscheduled += usize::from(phase == "Pending" && (unscheduled || no_node));
        let mut latest = None;
        for cs in status.container_statuses.iter().flatten() {
            self.restarts += cs.restart_count;
            let waiting = cs.state.as_ref().and_then(|s| s.waiting.as_ref());
            if let Some(reason) = waiting.and_then(|w| w.reason.clone()) {
                if !self.waiting_reasons.contains(&reason) {
                    self.waiting_reasons.push(reason);
                }
            }
            let terminated = cs.last_state.as_ref().and_then(|s| s.terminated.as_ref());
            if let Some(t) = terminated {
                let at = t.finished_at.as_ref().map(|f| f.0);
                if latest.as_ref().is_none_or(|(when, _)| at > *when) {
                    latest = Some((at, t.reason.clone()));
                }
            }
        }
        if let Some((_, reason)) = latest {
            self.last_termination_reason = reason.or(self.last_termination_reason.take());
        }
    }
}

/// `matchLabels` and `matchExpressions` as a label selector string.
fn selector_string(selector: &LabelSelector) -> String {
    let mut parts: Vec<String> = selector
        .match_labels
        .iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    for e in selector.match_expressions.iter().flatten() {
        let values = e.values.clone().unwrap_or_default().join(",");
        parts.push(match e.operator.as_str() {
            "In" => format!("{} in ({values})", e.key),
            "NotIn" => format!("{} notin ({values})", e.key),
            "Exists" => e.key.clone(),
            _ => format!("!{}", e.key),
        });
    }
    parts.join(",")
}

async fn pods_of(
    pods: &Api<Pod>,
    deployment: &Deployment,
    namespace: &str,
    limits: &Limits,
) -> Part<PodSummary> {
    let selector = deployment
        .spec
        .as_ref()
        .map(|s| selector_string(&s.selector))
        .unwrap_or_default();
    let mut summary = PodSummary::default();
    if selector.is_empty() {
        return Ok(summary);
    }
    let lookup = KubeAction::new("list", "pods", Some(namespace));
    let params = ListParams::default().labels(&selector);
    for pod in run(limits, lookup, pods.list(&params)).await?.items {
        summary.add(&pod);
    }
    Ok(summary)
}

pub(crate) async fn inspect_deployments(
    target: &ClusterTarget,
    limits: &Limits,
) -> Part<OperatorDeployments> {
    let ns = target.operator_namespace.as_str();
    let pods: Api<Pod> = Api::namespaced(target.client.clone(), ns);
    let list = list_deployments(&target.client, ns, limits).await?;
    let mut found = Vec::new();
    for d in &list {
        let spec = d.spec.as_ref();
        let template = spec.map(|s| &s.template);
        let containers: Vec<&str> = template
            .and_then(|t| t.spec.as_ref())
            .map(|s| s.containers.iter().map(|c| c.name.as_str()).collect())
            .unwrap_or_default();
        let name = d.metadata.name.clone().unwrap_or_default();
        found.push(DeploymentStatus {
            role: ChartRole::of(&name, &containers),
            name,
            desired_replicas: spec.and_then(|s| s.replicas).unwrap_or(1),
            ready_replicas: d
                .status
                .as_ref()
                .and_then(|s| s.ready_replicas)
                .unwrap_or(0),
            restarted_at: template
                .and_then(|t| t.metadata.as_ref())
                .and_then(|m| m.annotations.as_ref())
                .and_then(|a| a.get(RESTARTED_AT_ANNOTATION).cloned()),
            pods: pods_of(&pods, d, ns, limits).await,
        });
    }
    found.sort_by_key(|d| (d.role.is_none(), d.role.map(|r| r as u8), d.name.clone()));
    let missing = [ChartRole::Listener, ChartRole::Worker]
        .into_iter()
        .filter(|role| !found.iter().any(|d| d.role == Some(*role)))
        .collect();
    Ok(OperatorDeployments { found, missing })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn selectors_render_like_kubectl() {
        let selector: LabelSelector = serde_json::from_value(serde_json::json!({
            "matchLabels": {"app": "x"},
            "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]},
                                 {"key": "canary", "operator": "DoesNotExist"}]
        }))
        .unwrap();
        assert_eq!(selector_string(&selector), "app=x,tier in (a,b),!canary");
    }

    #[test]
    fn a_crash_looping_pod_is_summed_up_with_its_reasons() {
        let pod: Pod = serde_json::from_value(serde_json::json!({
            "spec": {"nodeName": "n1", "containers": [{"name": "backend-listener"}]},
            "status": {"phase": "Running", "containerStatuses": [{
                "name": "backend-listener", "image": "i", "imageID": "", "ready": false,
                "restartCount": 4,
                "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                "lastState": {"terminated": {"exitCode": 1, "reason": "Error"}}
            }]}
        }))
        .unwrap();
        let mut summary = PodSummary::default();
        summary.add(&pod);
        assert_eq!(summary.failing_reasons(), vec!["CrashLoopBackOff"]);
        assert_eq!(
            summary.describe(),
            "1 pod: 1 running, 0 ready, 4 restarts, last terminated: Error, waiting: CrashLoopBackOff"
        );
        assert_eq!(PodSummary::default().describe(), "no pods");
    }
}
