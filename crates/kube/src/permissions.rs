//! The permissions backend setup and token rotation need, checked with SelfSubjectAccessReview
//! (`authorization.k8s.io/v1`), and named as kubectl names them.
//!
//! Scope: exactly these checks — create namespaces; create, get and update secrets in the operator
//! namespace; get and patch Deployments (`deployments.apps`) there; list pods and events there.
//!
//! Non-goals: listing everything a user may do (`kubectl auth can-i --list`), checking other namespaces.

use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use kube::api::{Api, PostParams};
use serde::Serialize;

use crate::failure::{self, Target};
use crate::Error;

/// One thing a user must be allowed to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Permission {
    /// The verb (`create`, `get`, `update`, `patch`, `list`).
    pub verb: String,
    /// The API group (`""` for the core group, `apps`).
    pub group: String,
    /// The resource, plural (`secrets`, `deployments`).
    pub resource: String,
    /// The namespace, or `None` for a cluster-scoped check.
    pub namespace: Option<String>,
    /// Why it is needed, for the UI ("setup", "rotation", ...).
    pub needed_for: String,
}

impl Permission {
    fn new(
        verb: &str,
        group: &str,
        resource: &str,
        namespace: Option<&str>,
        needed_for: &str,
    ) -> Self {
        Permission {
            verb: verb.into(),
            group: group.into(),
            resource: resource.into(),
            namespace: namespace.map(Into::into),
            needed_for: needed_for.into(),
        }
    }

    /// The resource as kubectl writes it: `secrets`, `deployments.apps`.
    pub fn resource_ref(&self) -> String {
        if self.group.is_empty() {
            self.resource.clone()
        } else {
            format!("{}.{}", self.resource, self.group)
        }
    }

    /// What is missing when this is denied, as kubectl would say it:
    /// `cannot patch deployments.apps in namespace "osmo-operator"`, `cannot create namespaces`.
    pub fn denied_message(&self) -> String {
        match &self.namespace {
            Some(ns) => format!(
                "cannot {} {} in namespace \"{ns}\"",
                self.verb,
                self.resource_ref()
            ),
            None => format!("cannot {} {}", self.verb, self.resource_ref()),
        }
    }

    fn review(&self) -> SelfSubjectAccessReview {
        SelfSubjectAccessReview {
            spec: SelfSubjectAccessReviewSpec {
                resource_attributes: Some(ResourceAttributes {
                    verb: Some(self.verb.clone()),
                    group: Some(self.group.clone()),
                    resource: Some(self.resource.clone()),
                    namespace: self.namespace.clone(),
                    ..Default::default()
                }),
                ..Default::default()
            },
            ..Default::default()
        }
    }
}

/// What setup and rotation need in `operator_namespace`, in the order the UI lists them.
pub fn required(operator_namespace: &str) -> Vec<Permission> {
    let ns = Some(operator_namespace);
    vec![
        Permission::new("create", "", "namespaces", None, "setup"),
        Permission::new("create", "", "secrets", ns, "setup"),
        Permission::new("get", "", "secrets", ns, "rotation"),
        Permission::new("update", "", "secrets", ns, "rotation"),
        Permission::new("get", "apps", "deployments", ns, "rotation"),
        Permission::new("patch", "apps", "deployments", ns, "rotation"),
        Permission::new("list", "", "pods", ns, "health"),
        Permission::new("list", "", "events", ns, "health"),
    ]
}

/// The answer for one [`Permission`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PermissionCheck {
    /// What was asked.
    pub permission: Permission,
    /// Whether the server allows it.
    pub allowed: bool,
    /// The kubectl-style sentence when denied (`cannot patch deployments.apps in namespace "x"`).
    pub missing: Option<String>,
    /// The authorizer's reason, when it gives one.
    pub reason: Option<String>,
}

/// Asks the server about every permission at once, each bounded by `request_timeout`.
pub(crate) async fn check(
    client: &kube::Client,
    permissions: Vec<Permission>,
    target: &Target,
    request_timeout: std::time::Duration,
) -> Result<Vec<PermissionCheck>, Error> {
    let api: Api<SelfSubjectAccessReview> = Api::all(client.clone());
    let asks = permissions.into_iter().map(|permission| {
        let api = api.clone();
        async move {
            let review = permission.review();
            let answer =
                tokio::time::timeout(request_timeout, api.create(&PostParams::default(), &review))
                    .await
                    .map_err(|_| Error::Timeout {
                        server: target.server.clone(),
                        what: "a SelfSubjectAccessReview".into(),
                        after: request_timeout,
                    })?
                    .map_err(|e| match &e {
                        kube::Error::Api(status) if status.code == 403 => Error::Forbidden {
                            user: target.user.clone(),
                            what: "cannot create selfsubjectaccessreviews.authorization.k8s.io, so the app cannot check its permissions".into(),
                        },
                        _ => failure::classify(&e, target),
                    })?;
            let status = answer.status.unwrap_or_default();
            let allowed = status.allowed && !status.denied.unwrap_or(false);
            Ok(PermissionCheck {
                missing: (!allowed).then(|| permission.denied_message()),
                reason: status.reason.filter(|r| !r.is_empty()),
                permission,
                allowed,
            })
        }
    });
    futures::future::join_all(asks).await.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn denied_permissions_read_like_kubectl() {
        let all = required("osmo-operator");
        let messages: Vec<_> = all.iter().map(Permission::denied_message).collect();
        assert_eq!(
            messages,
            vec![
                "cannot create namespaces",
                "cannot create secrets in namespace \"osmo-operator\"",
                "cannot get secrets in namespace \"osmo-operator\"",
                "cannot update secrets in namespace \"osmo-operator\"",
                "cannot get deployments.apps in namespace \"osmo-operator\"",
                "cannot patch deployments.apps in namespace \"osmo-operator\"",
                "cannot list pods in namespace \"osmo-operator\"",
                "cannot list events in namespace \"osmo-operator\"",
            ]
        );
    }

    #[test]
    fn reviews_ask_for_the_right_attributes() {
        let patch = &required("ops")[5];
        let attrs = patch
            .review()
            .spec
            .resource_attributes
            .expect("resource attributes");
        assert_eq!(attrs.verb.as_deref(), Some("patch"));
        assert_eq!(attrs.group.as_deref(), Some("apps"));
        assert_eq!(attrs.resource.as_deref(), Some("deployments"));
        assert_eq!(attrs.namespace.as_deref(), Some("ops"));
        let ns = required("ops")[0]
            .review()
            .spec
            .resource_attributes
            .expect("attrs");
        assert_eq!(ns.namespace, None);
    }
}
