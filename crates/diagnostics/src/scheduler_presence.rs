//! Is the scheduler a backend's `scheduler_settings.scheduler_type` names installed in the cluster?
//!
//! Evidence is a CustomResourceDefinition the scheduler installs or a Deployment named after it
//! in any namespace: KAI (`queues.scheduling.run.ai`, `podgroups.scheduling.run.ai`, Deployment
//! `kai-scheduler*`), Volcano (`queues.scheduling.volcano.sh`, `volcano-scheduler`), the
//! scheduler-plugins (`podgroups.scheduling.x-k8s.io`, `scheduler-plugins-scheduler`). `default`
//! is the cluster's own scheduler and always present. A lookup the user may not make (403)
//! without other evidence gives [`SchedulerPresence::Unknown`].

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::ListParams;
use kube::Api;
use serde::Serialize;

use crate::error::DiagnosticsError;
use osmo_admin_kube::operator::{run, KubeAction, Limits};

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum SchedulerPresence {
    /// `evidence` names what was found, e.g. "CRD queues.scheduling.run.ai".
    Present { evidence: String },
    /// `looked_for` lists what was searched for and not found.
    Absent { looked_for: String },
    /// It could not be told; `reason` says why (a permission, an unknown type, no answer).
    Unknown { reason: String },
}

/// What to look for per scheduler type.
struct Signs {
    crds: &'static [&'static str],
    /// A Deployment whose name starts with one of these.
    deployment_prefixes: &'static [&'static str],
}

fn signs(scheduler_type: &str) -> Option<Signs> {
    Some(match scheduler_type {
        "kai" => Signs {
            crds: &["queues.scheduling.run.ai", "podgroups.scheduling.run.ai"],
            deployment_prefixes: &["kai-scheduler"],
        },
        "volcano" => Signs {
            crds: &["queues.scheduling.volcano.sh"],
            deployment_prefixes: &["volcano-scheduler"],
        },
        "scheduler-plugins" => Signs {
            crds: &["podgroups.scheduling.x-k8s.io"],
            deployment_prefixes: &["scheduler-plugins-scheduler"],
        },
        _ => return None,
    })
}

/// Looks for `scheduler_type` in the cluster of `client`; every call within `limits`.
pub async fn scheduler_presence(
    client: &kube::Client,
    scheduler_type: &str,
    limits: &Limits,
) -> SchedulerPresence {
    let kind = scheduler_type.trim();
    if kind.is_empty() || kind == "default" {
        return SchedulerPresence::Present {
            evidence: "the cluster's default scheduler is always there".into(),
        };
    }
    let Some(signs) = signs(kind) else {
        return SchedulerPresence::Unknown {
            reason: format!("the app does not know how to recognise scheduler type \"{kind}\""),
        };
    };
    let mut problems: Vec<DiagnosticsError> = Vec::new();
    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    for name in signs.crds {
        let lookup = KubeAction::new("get", "customresourcedefinitions", None);
        match run(limits, lookup, crds.get_opt(name)).await {
            Ok(Some(_)) => {
                return SchedulerPresence::Present {
                    evidence: format!("CRD {name}"),
                }
            }
            Ok(None) => {}
            Err(e) => problems.push(e),
        }
    }
    let deployments: Api<Deployment> = Api::all(client.clone());
    let lookup = KubeAction::new("list", "deployments", None);
    match run(limits, lookup, deployments.list(&ListParams::default())).await {
        Ok(list) => {
            let hit = list.items.iter().find(|d| {
                let name = d.metadata.name.as_deref().unwrap_or("");
                signs
                    .deployment_prefixes
                    .iter()
                    .any(|p| name.starts_with(p))
            });
            if let Some(d) = hit {
                return SchedulerPresence::Present {
                    evidence: format!(
                        "Deployment {}/{}",
                        d.metadata.namespace.as_deref().unwrap_or("?"),
                        d.metadata.name.as_deref().unwrap_or("?")
                    ),
                };
            }
        }
        Err(e) => problems.push(e),
    }
    if !problems.is_empty() {
        let mut reasons: Vec<String> = problems.iter().map(DiagnosticsError::short).collect();
        reasons.dedup();
        return SchedulerPresence::Unknown {
            reason: format!(
                "{}, so whether {kind} is installed cannot be told",
                reasons.join("; ")
            ),
        };
    }
    let deployments = signs
        .deployment_prefixes
        .iter()
        .map(|p| format!("a Deployment named {p}*"))
        .collect::<Vec<_>>()
        .join(", ");
    SchedulerPresence::Absent {
        looked_for: format!("CRDs {} and {deployments}", signs.crds.join(", ")),
    }
}
