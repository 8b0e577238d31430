//! Before anything changes: may this context do what setup needs? osmo-admin-kube's permission
//! probe (a SelfSubjectAccessReview per permission) answers; the ones setup cannot do without
//! are named, so a context that may not create namespaces is stopped before a thing is changed.
//!
//! Needed: create namespaces (only when one of the plan's namespaces is missing); create, get and
//! update Secrets and get and patch Deployments in the operator namespace. Listing pods and events
//! is only needed for the offline checks of step 5, so missing it is a warning.

use k8s_openapi::api::core::v1::Namespace;
use kube::Api;
use osmo_admin_kube::{probe_resolved, PermissionCheck, ProbeOptions};
use serde::Serialize;

use crate::error::SetupError;
use crate::steps::Setup;

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preflight {
    /// Every permission asked about, as the contexts screen lists them.
    pub checks: Vec<PermissionCheck>,
    /// What setup needs and may not do (kubectl's words), e.g. `cannot create namespaces`.
    pub missing: Vec<String>,
    /// What only limits the offline checks.
    pub warnings: Vec<String>,
}

impl Preflight {
    pub fn ready(&self) -> bool {
        self.missing.is_empty()
    }
}

fn blocking(check: &PermissionCheck, namespaces_missing: bool) -> bool {
    let p = &check.permission;
    match (p.verb.as_str(), p.resource.as_str()) {
        ("create", "namespaces") => namespaces_missing,
        ("list", _) => false,
        _ => true,
    }
}

impl Setup {
    /// Asks the cluster about the permissions setup needs. Changes nothing.
    pub async fn preflight(&self) -> Result<Preflight, SetupError> {
        let p = &self.plan;
        let namespaces: Api<Namespace> = Api::all(self.client.clone());
        let mut namespaces_missing = false;
        for ns in [&p.operator_namespace, &p.workflow_namespace] {
            // A namespace we cannot read counts as missing: creating it may be needed.
            namespaces_missing |= !matches!(namespaces.get_opt(ns).await, Ok(Some(_)));
        }
        let options = ProbeOptions {
            connect: self.connect.clone(),
            operator_namespace: p.operator_namespace.clone(),
        };
        let report = probe_resolved(&self.context, &options).await?;
        let (mut missing, mut warnings) = (Vec::new(), Vec::new());
        for check in report.permissions.iter().filter(|c| !c.allowed) {
            let text = check.permission.denied_message();
            if blocking(check, namespaces_missing) {
                missing.push(text);
            } else if check.permission.resource != "namespaces" {
                warnings.push(format!(
                    "{text}: the offline checks of step 5 will be partial"
                ));
            }
        }
        Ok(Preflight {
            checks: report.permissions,
            missing,
            warnings,
        })
    }
}
