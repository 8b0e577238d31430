//! Backends already set up on the cluster a new backend goes to (linked to the same context), so
//! that a plan never reuses another backend's operator namespace (and so its token Secret and
//! release) or workflow namespace: the defaults avoid them, and a plan naming them is refused
//! with the other backend named.

use osmo_admin_core::BackendRef;
use osmo_admin_diagnostics::{DEFAULT_OPERATOR_NAMESPACE, DEFAULT_WORKFLOW_NAMESPACE};
use osmo_admin_setup::SetupPlan;

use super::SetupFieldErrorDto;
use crate::AppCore;

/// A backend linked to the same context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Neighbour {
    pub backend: BackendRef,
    pub operator_namespace: String,
    /// Its `k8s_namespace` as last polled (unknown while its service is not polled).
    pub workflow_namespace: Option<String>,
}

/// Every backend other than `except` linked to kubeconfig context `context`.
pub(crate) fn on_context(state: &AppCore, context: &str, except: &BackendRef) -> Vec<Neighbour> {
    let snapshots = state.health.snapshots();
    state
        .links
        .all()
        .into_iter()
        .filter(|l| l.context() == context && &l.backend() != except)
        .map(|l| {
            let backend = l.backend();
            let workflow_namespace = snapshots
                .iter()
                .filter(|s| s.session == backend.service.as_str())
                .flat_map(|s| s.rows.iter())
                .find(|r| r.name == backend.backend.as_str())
                .map(|r| r.k8s_namespace.clone())
                .filter(|ns| !ns.is_empty());
            Neighbour {
                operator_namespace: l.operator_namespace().to_owned(),
                workflow_namespace,
                backend,
            }
        })
        .collect()
}

fn named(n: &Neighbour) -> String {
    format!("{} ({})", n.backend.backend, n.backend.service)
}

/// The plan's namespaces that belong to a neighbour, each as an error on its field.
pub(crate) fn collisions(plan: &SetupPlan, neighbours: &[Neighbour]) -> Vec<SetupFieldErrorDto> {
    let mut errors = Vec::new();
    let suggestion = |suffix: &str| format!("{}-{suffix}", plan.backend_name);
    if let Some(n) = neighbours
        .iter()
        .find(|n| n.operator_namespace == plan.operator_namespace)
    {
        errors.push(SetupFieldErrorDto {
            field: "operatorNamespace".into(),
            message: format!(
                "Namespace {} holds the operator of backend {} on this cluster (its token Secret and release): setting up {} there would take them over. Use another namespace, for example {}.",
                plan.operator_namespace,
                named(n),
                plan.backend_name,
                suggestion("operator")
            ),
        });
    }
    if let Some(n) = neighbours
        .iter()
        .find(|n| n.workflow_namespace.as_deref() == Some(plan.workflow_namespace.as_str()))
    {
        errors.push(SetupFieldErrorDto {
            field: "workflowNamespace".into(),
            message: format!(
                "Namespace {} runs the workflows of backend {} on this cluster. Use another namespace, for example {}.",
                plan.workflow_namespace,
                named(n),
                suggestion("workflows")
            ),
        });
    }
    errors
}

/// The guide's namespaces when no neighbour uses them, else `<backend>-operator` and
/// `<backend>-workflows`: (operator namespace, workflow namespace).
pub(crate) fn free_namespaces(backend: &str, neighbours: &[Neighbour]) -> (String, String) {
    let operator_taken = neighbours
        .iter()
        .any(|n| n.operator_namespace == DEFAULT_OPERATOR_NAMESPACE);
    // A neighbour's workflow namespace not known (its service not polled) is taken to be the guide's.
    let workflows_taken = neighbours.iter().any(|n| {
        n.workflow_namespace
            .as_deref()
            .is_none_or(|ns| ns == DEFAULT_WORKFLOW_NAMESPACE)
    });
    let pick = |taken: bool, default: &str, suffix: &str| {
        if taken && !backend.is_empty() {
            format!("{backend}-{suffix}")
        } else {
            default.to_owned()
        }
    };
    (
        pick(operator_taken, DEFAULT_OPERATOR_NAMESPACE, "operator"),
        pick(workflows_taken, DEFAULT_WORKFLOW_NAMESPACE, "workflows"),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn neighbour(operator: &str, workflows: Option<&str>) -> Neighbour {
        Neighbour {
            backend: BackendRef::new("sandbox-6.0", "gpu-east"),
            operator_namespace: operator.into(),
            workflow_namespace: workflows.map(Into::into),
        }
    }

    #[test]
    fn a_second_backend_on_a_cluster_gets_its_own_namespaces() {
        assert_eq!(
            free_namespaces("gpu-new", &[]),
            ("osmo-operator".to_owned(), "osmo-workflows".to_owned())
        );
        let east = neighbour("osmo-operator", Some("osmo-workflows"));
        assert_eq!(
            free_namespaces("gpu-new", &[east]),
            (
                "gpu-new-operator".to_owned(),
                "gpu-new-workflows".to_owned()
            )
        );
        // Its workflow namespace unknown (its service not polled): assume the guide's.
        let unknown = neighbour("team-op", None);
        assert_eq!(
            free_namespaces("gpu-new", &[unknown]),
            ("osmo-operator".to_owned(), "gpu-new-workflows".to_owned())
        );
    }

    #[test]
    fn a_plan_reusing_a_neighbours_namespaces_is_refused_naming_it() {
        let mut plan = SetupPlan::new("gpu-new", "http://osmo", "6.0.0");
        let east = neighbour("osmo-operator", Some("osmo-workflows"));
        let errors = collisions(&plan, std::slice::from_ref(&east));
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["operatorNamespace", "workflowNamespace"]);
        assert!(
            errors[0].message.contains("backend gpu-east (sandbox-6.0)"),
            "{errors:?}"
        );
        assert!(errors[0].message.contains("gpu-new-operator"));
        plan.operator_namespace = "gpu-new-operator".into();
        plan.workflow_namespace = "gpu-new-workflows".into();
        assert!(collisions(&plan, &[east]).is_empty());
    }
}
