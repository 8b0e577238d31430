//! [`DiagnosticsError`]: why one part of an inspection could not be done. It is
//! osmo-admin-kube's [`KubeCallError`](osmo_admin_kube::operator::KubeCallError), the one mapping
//! of a Kubernetes call's failure: an [`ErrorCode`](osmo_admin_core::ErrorCode) for the UI, a
//! sentence saying what failed and what to do, and `short()` for one-line findings.
//!
//! Errors are per part: a 403 on events does not hide the Deployments. They are `Clone` and
//! `Serialize` (plain strings inside) so they can sit in the results.

pub use osmo_admin_kube::operator::KubeCallError as DiagnosticsError;

/// The result of one part of an inspection.
pub type Part<T> = Result<T, DiagnosticsError>;

#[cfg(test)]
mod tests {
    use super::*;
    use osmo_admin_core::ErrorCode;

    #[test]
    fn forbidden_reads_as_a_permission_problem() {
        let e = DiagnosticsError::NotAllowed {
            verb: "list".into(),
            resource: "events".into(),
            scope: "osmo-operator".into(),
        };
        assert_eq!(e.code(), ErrorCode::Forbidden);
        assert_eq!(e.short(), "not allowed to list events in osmo-operator");
        assert!(e.to_string().contains("Ask a cluster admin"));
    }
}
