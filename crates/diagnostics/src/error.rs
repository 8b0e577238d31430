//! [`DiagnosticsError`]: why one part of an inspection could not be done, with an [`ErrorCode`]
//! for the UI and a sentence saying what failed and what to do.
//!
//! Errors are per part: a 403 on events does not hide the Deployments. They are `Clone` and
//! `Serialize` (plain strings inside) so they can sit in the results.

use osmo_admin_core::ErrorCode;
use serde::Serialize;

/// One Kubernetes lookup that did not give an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub enum DiagnosticsError {
    /// RBAC denied the call (HTTP 403).
    #[error("Not allowed to {verb} {resource} in {scope}: the Kubernetes user of this context lacks that permission. Ask a cluster admin to grant it, or use a context with more rights.")]
    NotAllowed {
        verb: String,
        resource: String,
        /// A namespace, or "the cluster" for cluster-wide lookups.
        scope: String,
    },
    /// The cluster refused the credentials (HTTP 401).
    #[error("The cluster refused the credentials while trying to {what} ({detail}). Sign in to the cluster again (refresh the kubeconfig's token or certificate).")]
    Unauthorized { what: String, detail: String },
    /// No connection to the API server.
    #[error("Could not reach the Kubernetes API server to {what}: {detail}. Check the context's server address, your network or VPN, and that the cluster is up.")]
    Unreachable { what: String, detail: String },
    /// No answer within the time limit.
    #[error("The Kubernetes API server did not answer within {seconds} s while trying to {what}. It may be overloaded or unreachable; try again later.")]
    Timeout { what: String, seconds: u64 },
    /// The caller cancelled.
    #[error("The check was cancelled.")]
    Cancelled,
    /// Any other error answer from the API server.
    #[error("The Kubernetes API server refused to {what}: HTTP {status} {detail}. Check the cluster's state and try again.")]
    Api {
        what: String,
        status: u16,
        detail: String,
    },
    /// A bug or an answer that could not be read.
    #[error("Could not {what}: {detail}. Please report this.")]
    Internal { what: String, detail: String },
}

impl DiagnosticsError {
    pub fn code(&self) -> ErrorCode {
        match self {
            DiagnosticsError::NotAllowed { .. } => ErrorCode::Forbidden,
            DiagnosticsError::Unauthorized { .. } => ErrorCode::Unauthorized,
            DiagnosticsError::Unreachable { .. } => ErrorCode::Unreachable,
            DiagnosticsError::Timeout { .. } => ErrorCode::Timeout,
            DiagnosticsError::Cancelled => ErrorCode::Cancelled,
            DiagnosticsError::Api { status: 404, .. } => ErrorCode::NotFound,
            DiagnosticsError::Api { .. } => ErrorCode::ServerError,
            DiagnosticsError::Internal { .. } => ErrorCode::Internal,
        }
    }

    /// True for a 403: the answer is "you may not look", not "it is broken".
    pub fn is_not_allowed(&self) -> bool {
        matches!(self, DiagnosticsError::NotAllowed { .. })
    }

    /// A short phrase for one-line findings: "not allowed to list events in osmo-operator".
    pub fn short(&self) -> String {
        match self {
            DiagnosticsError::NotAllowed {
                verb,
                resource,
                scope,
            } => format!("not allowed to {verb} {resource} in {scope}"),
            DiagnosticsError::Unauthorized { what, .. } => {
                format!("the cluster refused the credentials ({what})")
            }
            DiagnosticsError::Unreachable { what, detail } => {
                format!("could not reach the cluster to {what} ({detail})")
            }
            DiagnosticsError::Timeout { what, seconds } => {
                format!("no answer within {seconds} s to {what}")
            }
            DiagnosticsError::Cancelled => "cancelled".into(),
            DiagnosticsError::Api { what, status, .. } => {
                format!("could not {what} (HTTP {status})")
            }
            DiagnosticsError::Internal { what, .. } => format!("could not {what}"),
        }
    }
}

/// The result of one part of an inspection.
pub type Part<T> = Result<T, DiagnosticsError>;

#[cfg(test)]
mod tests {
    use super::*;

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
