//! The cluster-side checks, read from one [`ClusterSide`] inspection.

use chrono::{Duration, Utc};

use super::report::{Check, CheckKind};
use super::service::format_age;
use crate::cluster_side::{ClusterSide, DeploymentStatus, PodSummary};
use crate::error::DiagnosticsError;
use crate::target::ClusterTarget;

/// The cluster checks when they cannot run, all with the same reason.
pub(super) fn all_skipped(why: &str) -> Vec<Check> {
    [
        CheckKind::Namespaces,
        CheckKind::TokenSecret,
        CheckKind::TokenAccepted,
        CheckKind::Deployments,
        CheckKind::Pods,
        CheckKind::WarningEvents,
    ]
    .into_iter()
    .map(|k| Check::skipped(k, why))
    .collect()
}

/// No context linked: for a backend that is not online, a failure whose next step is to link one
/// (the cluster checks need it); for an online one, a hint.
pub(super) fn not_linked(backend: &str, online: bool) -> Check {
    let kind = CheckKind::ContextLinked;
    let link = format!(
        "Link {backend} to the Kubernetes context of its cluster and the namespace of its operator"
    );
    if online {
        Check::skipped(
            kind,
            "no Kubernetes context is linked, so the cluster side is not checked",
        )
        .next(format!("{link} to check the cluster side too."))
    } else {
        Check::fail(
            kind,
            format!("no Kubernetes context is linked to {backend}, so its cluster cannot be checked"),
            format!("{link}, then check again: the operator's Secret, Deployments and pods are read from there."),
        )
    }
}

/// The linked context (or a cluster given directly) and the operator namespace looked in.
pub(super) fn linked(context: Option<&str>, target: &ClusterTarget) -> Check {
    let ns = &target.operator_namespace;
    Check::pass(
        CheckKind::ContextLinked,
        match context {
            Some(c) => format!("context {c}, operator namespace {ns}"),
            None => format!("a cluster is given, operator namespace {ns}"),
        },
    )
}

/// A part that could not be read: a warning saying so (not allowed, unreachable, ...).
fn unreadable(kind: CheckKind, e: &DiagnosticsError) -> Check {
    Check::warn(kind, e.short(), e.to_string())
}

pub(super) fn namespaces(side: &ClusterSide) -> Check {
    let kind = CheckKind::Namespaces;
    let mut missing = Vec::new();
    for ns in [&side.operator_namespace, &side.workflow_namespace] {
        match &ns.present {
            Ok(true) => {}
            Ok(false) => missing.push(ns.name.clone()),
            Err(e) => return unreadable(kind, e),
        }
    }
    if missing.is_empty() {
        return Check::pass(
            kind,
            format!(
                "{} and {} exist",
                side.operator_namespace.name, side.workflow_namespace.name
            ),
        );
    }
    let create: Vec<String> = missing
        .iter()
        .map(|n| format!("kubectl create namespace {n}"))
        .collect();
    Check::fail(
        kind,
        format!("namespace {} does not exist", missing.join(" and ")),
        format!(
            "Create it ({}); the chart creates no namespaces. Then install the operator there.",
            create.join("; ")
        ),
    )
}

pub(super) fn token_secret(side: &ClusterSide, target: &ClusterTarget) -> Check {
    let kind = CheckKind::TokenSecret;
    let s = match &side.token_secret {
        Ok(s) => s,
        Err(e) => return unreadable(kind, e),
    };
    let name = format!("{}/{}", s.namespace, s.name);
    let create = format!(
        "kubectl create secret generic {} -n {} --from-literal={}=<backend access token>",
        s.name, s.namespace, s.key
    );
    let restart = format!(
        "kubectl rollout restart deployment -n {}",
        target.operator_namespace
    );
    if !s.present {
        return Check::fail(
            kind,
            format!("secret {name} does not exist"),
            format!("Create it with the backend's access token ({create}); the chart mounts it but does not create it. Then restart the operator ({restart})."),
        );
    }
    if !s.key_present || !s.non_empty {
        let what = if s.key_present { "an empty" } else { "no" };
        return Check::fail(
            kind,
            format!("secret {name} has {what} key {}", s.key),
            format!("Put the backend's access token under key {} (delete the secret and run {create}), then restart the operator ({restart}).", s.key),
        );
    }
    let changed = s
        .last_changed
        .map(|t| format!(", changed {}", format_age((Utc::now() - t).num_seconds())))
        .unwrap_or_default();
    Check::pass(
        kind,
        format!("secret {name} holds a token in key {}{changed}", s.key),
    )
}

fn chart_deployments(side: &ClusterSide) -> Vec<&DeploymentStatus> {
    match &side.deployments {
        Ok(d) => d.found.iter().filter(|d| d.role.is_some()).collect(),
        Err(_) => Vec::new(),
    }
}

pub(super) fn deployments(side: &ClusterSide, target: &ClusterTarget) -> Check {
    let kind = CheckKind::Deployments;
    let ns = &target.operator_namespace;
    let found = match &side.deployments {
        Ok(d) => d,
        Err(e) => return unreadable(kind, e),
    };
    if !found.missing.is_empty() {
        let names: Vec<&str> = found.missing.iter().map(|r| r.default_name()).collect();
        return Check::fail(
            kind,
            format!("no {} Deployment in {ns}", names.join(" or ")),
            format!("Install the operator chart there: helm upgrade --install osmo-operator osmo/backend-operator -n {ns} -f values.yaml (global.agentNamespace must be {ns})."),
        );
    }
    let chart = chart_deployments(side);
    if let Some(d) = chart.iter().find(|d| d.desired_replicas == 0) {
        return Check::fail(
            kind,
            format!("{} is scaled to 0 replicas", d.name),
            format!(
                "Scale it back: kubectl scale deployment {} -n {ns} --replicas=1.",
                d.name
            ),
        );
    }
    let states: Vec<String> = chart
        .iter()
        .map(|d| {
            format!(
                "{} {}/{} ready",
                d.name, d.ready_replicas, d.desired_replicas
            )
        })
        .collect();
    if chart.iter().any(|d| d.ready_replicas < d.desired_replicas) {
        return Check::warn(
            kind,
            states.join(", "),
            "See the pods check for why they are not ready.",
        );
    }
    Check::pass(kind, states.join(", "))
}

pub(super) fn pods(side: &ClusterSide, target: &ClusterTarget) -> Check {
    let kind = CheckKind::Pods;
    let ns = &target.operator_namespace;
    let chart = chart_deployments(side);
    if chart.is_empty() {
        return Check::skipped(kind, "no operator Deployment to look at");
    }
    let mut warning: Option<Check> = None;
    let mut states = Vec::new();
    for d in chart {
        let p: &PodSummary = match &d.pods {
            Ok(p) => p,
            Err(e) => return unreadable(kind, e),
        };
        states.push(format!("{}: {}", d.name, p.describe()));
        let bad = p.failing_reasons();
        if let Some(reason) = bad.first() {
            return Check::fail(
                kind,
                format!("pods of {} cannot run: {}", d.name, p.describe()),
                pod_advice(reason, &d.name, ns),
            );
        }
        let scheduling = format!("Check the chart's nodeSelector and tolerations (global.nodeSelector, global.tolerations), free CPU and memory on the nodes, and kubectl describe pods -n {ns}.");
        let next = if p.total == 0 {
            Some((format!("no pods found for deployment {}", d.name), format!("Look at why the Deployment makes no pods: kubectl describe deployment {} -n {ns} (image pull secret global.imagePullSecret, quotas, admission errors); {scheduling}", d.name)))
        } else if p.unscheduled > 0 {
            Some((
                format!("{} pod(s) of {} are not scheduled", p.unscheduled, d.name),
                scheduling,
            ))
        } else if p.ready < p.total {
            Some((
                format!("pods of {} are not ready: {}", d.name, p.describe()),
                format!(
                    "kubectl describe pods -n {ns} shows which probe or container holds them back."
                ),
            ))
        } else {
            None
        };
        if let (Some((finding, step)), None) = (next, &warning) {
            warning = Some(Check::warn(kind, finding, step));
        }
    }
    warning.unwrap_or_else(|| Check::pass(kind, states.join("; ")))
}

fn pod_advice(reason: &str, deployment: &str, ns: &str) -> String {
    match reason {
        "CrashLoopBackOff" => format!("Read the last crash: kubectl logs deploy/{deployment} -n {ns} --previous. A rejected token or a wrong global.serviceUrl are the usual causes."),
        "ImagePullBackOff" | "ErrImagePull" | "InvalidImageName" => "Check the image (global.osmoImageLocation, global.osmoImageTag) and the pull secret (global.imagePullSecret).".into(),
        _ => format!("A Secret or ConfigMap the pod needs is missing or wrong: kubectl describe pods -n {ns} names it."),
    }
}

pub(super) fn warning_events(side: &ClusterSide, target: &ClusterTarget) -> Check {
    let kind = CheckKind::WarningEvents;
    let events = match &side.events {
        Ok(e) => e,
        Err(e) => return unreadable(kind, e),
    };
    let since = Utc::now() - Duration::hours(1);
    let recent: Vec<_> = events
        .iter()
        .filter(|e| e.is_warning() && e.last_time.is_some_and(|t| t >= since))
        .collect();
    let ns = &target.operator_namespace;
    match recent.first() {
        None => Check::pass(kind, format!("no warning events in {ns} in the last hour")),
        Some(latest) => Check::warn(
            kind,
            format!(
                "{} warning event(s) in {ns} in the last hour; latest: {} on {}: {}",
                recent.len(),
                latest.reason,
                latest.object,
                latest.message
            ),
            format!("kubectl get events -n {ns} --field-selector type=Warning lists them all."),
        ),
    }
}
