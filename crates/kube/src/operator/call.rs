//! One Kubernetes API call with a time limit and a [`CancellationToken`], and the one mapping of its
//! `kube::Error` to a [`KubeCallError`] that names what was attempted ("update secret
//! osmo-operator-token in osmo-operator"), where, and what to do next.
//!
//! Connecting (building a client) fails with the richer [`crate::Error`] of `failure.rs`; this is
//! for the calls made with a client that was built.

use std::future::Future;
use std::time::Duration;

use osmo_admin_core::ErrorCode;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

/// The time limit and cancellation shared by the calls of one run.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Per call.
    pub timeout: Duration,
    pub cancel: CancellationToken,
}

impl Limits {
    pub fn new(timeout: Duration, cancel: CancellationToken) -> Self {
        Self { timeout, cancel }
    }
}

impl Default for Limits {
    /// 10 s per call, never cancelled.
    fn default() -> Self {
        Self::new(Duration::from_secs(10), CancellationToken::new())
    }
}

/// What a call does, for messages: `verb resource in namespace` (or `in the cluster`).
#[derive(Debug, Clone, Copy)]
pub struct KubeAction<'a> {
    /// kubectl's verb: get, list, create, update, patch, restart...
    pub verb: &'a str,
    /// The resource as RBAC names it ("secrets"), or one object ("secret osmo-operator-token").
    pub resource: &'a str,
    /// A namespace, or `None` for cluster-wide.
    pub namespace: Option<&'a str>,
    /// The next step when the object does not exist (HTTP 404).
    pub if_missing: &'a str,
}

/// The next step for a missing object of the backend operator.
pub const SET_UP_OPERATOR_FIRST: &str =
    "Check the namespace and names, or set up the backend's operator first.";

impl<'a> KubeAction<'a> {
    pub fn new(verb: &'a str, resource: &'a str, namespace: Option<&'a str>) -> Self {
        Self {
            verb,
            resource,
            namespace,
            if_missing: SET_UP_OPERATOR_FIRST,
        }
    }

    /// The next step said when the object does not exist.
    pub fn if_missing(self, hint: &'a str) -> Self {
        Self {
            if_missing: hint,
            ..self
        }
    }

    fn scope(&self) -> String {
        self.namespace.unwrap_or("the cluster").to_owned()
    }

    /// "list events in osmo-operator".
    pub fn phrase(&self) -> String {
        format!("{} {} in {}", self.verb, self.resource, self.scope())
    }

    /// The one mapping of a `kube::Error` of this call.
    pub fn error(&self, err: kube::Error) -> KubeCallError {
        match err {
            kube::Error::Api(status) => match status.code {
                403 => KubeCallError::NotAllowed {
                    verb: self.verb.into(),
                    resource: self.resource.into(),
                    scope: self.scope(),
                },
                401 => KubeCallError::Unauthorized {
                    what: self.phrase(),
                    detail: status.message.clone(),
                },
                404 => KubeCallError::NotFound {
                    what: self.phrase(),
                    hint: self.if_missing.into(),
                },
                409 => KubeCallError::Conflict {
                    what: self.phrase(),
                    detail: status.message.clone(),
                },
                code => KubeCallError::Api {
                    what: self.phrase(),
                    status: code,
                    detail: status.message.clone(),
                },
            },
            kube::Error::SerdeError(e) => KubeCallError::Internal {
                what: self.phrase(),
                detail: format!("the answer could not be read: {e}"),
            },
            kube::Error::Auth(e) => KubeCallError::Unauthorized {
                what: self.phrase(),
                detail: e.to_string(),
            },
            other => KubeCallError::Unreachable {
                what: self.phrase(),
                detail: root_cause(&other),
            },
        }
    }
}

/// The innermost error's words ("Connection refused (os error 111)"), not kube's outer "client error".
fn root_cause(err: &kube::Error) -> String {
    crate::failure::chain(err)
        .last()
        .map(|e| e.to_string())
        .unwrap_or_else(|| err.to_string())
}

/// One Kubernetes call that did not give an answer. `Clone` and `Serialize` (plain strings inside)
/// so that it can sit in results, such as one part of a diagnosis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub enum KubeCallError {
    /// RBAC denied the call (HTTP 403).
    #[error("Not allowed to {verb} {resource} in {scope}: the Kubernetes user of this context lacks that permission. Ask a cluster admin to grant it, or use a context with more rights.")]
    NotAllowed {
        verb: String,
        resource: String,
        /// A namespace, or "the cluster" for cluster-wide calls.
        scope: String,
    },
    /// The cluster refused the credentials (HTTP 401).
    #[error("The cluster refused the credentials while trying to {what} ({detail}). Sign in to the cluster again (refresh the kubeconfig's token or certificate).")]
    Unauthorized { what: String, detail: String },
    /// The object does not exist (HTTP 404).
    #[error("Could not {what}: it does not exist. {hint}")]
    NotFound { what: String, hint: String },
    /// Someone else changed the object meanwhile (HTTP 409).
    #[error("Could not {what}: it was changed by someone else meanwhile ({detail}). Try again.")]
    Conflict { what: String, detail: String },
    /// No connection to the API server.
    #[error("Could not reach the Kubernetes API server to {what}: {detail}. Check the context's server address, your network or VPN, and that the cluster is up.")]
    Unreachable { what: String, detail: String },
    /// No answer within the time limit.
    #[error("The Kubernetes API server did not answer within {seconds} s while trying to {what}. It may be overloaded or unreachable; try again later.")]
    Timeout { what: String, seconds: u64 },
    /// The caller cancelled.
    #[error("The operation was cancelled.")]
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

impl KubeCallError {
    pub fn code(&self) -> ErrorCode {
        match self {
            KubeCallError::NotAllowed { .. } => ErrorCode::Forbidden,
            KubeCallError::Unauthorized { .. } => ErrorCode::Unauthorized,
            KubeCallError::NotFound { .. } => ErrorCode::NotFound,
            KubeCallError::Conflict { .. } => ErrorCode::Conflict,
            KubeCallError::Unreachable { .. } => ErrorCode::Unreachable,
            KubeCallError::Timeout { .. } => ErrorCode::Timeout,
            KubeCallError::Cancelled => ErrorCode::Cancelled,
            KubeCallError::Api { .. } => ErrorCode::ServerError,
            KubeCallError::Internal { .. } => ErrorCode::Internal,
        }
    }

    /// True for a 403: the answer is "you may not look", not "it is broken".
    pub fn is_not_allowed(&self) -> bool {
        matches!(self, KubeCallError::NotAllowed { .. })
    }

    /// A short phrase for one-line findings: "not allowed to list events in osmo-operator".
    pub fn short(&self) -> String {
        match self {
            KubeCallError::NotAllowed {
                verb,
                resource,
                scope,
            } => format!("not allowed to {verb} {resource} in {scope}"),
            KubeCallError::Unauthorized { what, .. } => {
                format!("the cluster refused the credentials ({what})")
            }
            KubeCallError::NotFound { what, .. } => format!("could not {what}: it does not exist"),
            KubeCallError::Conflict { what, .. } => {
                format!("could not {what}: changed by someone else")
            }
            KubeCallError::Unreachable { what, detail } => {
                format!("could not reach the cluster to {what} ({detail})")
            }
            KubeCallError::Timeout { what, seconds } => {
                format!("no answer within {seconds} s to {what}")
            }
            KubeCallError::Cancelled => "cancelled".into(),
            KubeCallError::Api { what, status, .. } => {
                format!("could not {what} (HTTP {status})")
            }
            KubeCallError::Internal { what, .. } => format!("could not {what}"),
        }
    }
}

/// Runs `call` within `limits`: its error, a timeout and a cancellation are all a
/// [`KubeCallError`] naming `action`.
pub async fn run<T>(
    limits: &Limits,
    action: KubeAction<'_>,
    call: impl Future<Output = Result<T, kube::Error>>,
) -> Result<T, KubeCallError> {
    tokio::select! {
        biased;
        () = limits.cancel.cancelled() => Err(KubeCallError::Cancelled),
        answer = tokio::time::timeout(limits.timeout, call) => match answer {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(err)) => Err(action.error(err)),
            Err(_) => Err(KubeCallError::Timeout {
                what: action.phrase(),
                seconds: limits.timeout.as_secs().max(1),
            }),
        },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use kube::core::Status;

    fn api_error(code: u16, message: &str) -> kube::Error {
        kube::Error::Api(Box::new(Status {
            code,
            message: message.into(),
            ..Default::default()
        }))
    }

    #[test]
    fn statuses_map_to_codes_that_say_what_and_where() {
        let action = KubeAction::new(
            "update",
            "secret osmo-operator-token",
            Some("osmo-operator"),
        );
        let denied = action.error(api_error(403, "forbidden"));
        assert_eq!(denied.code(), ErrorCode::Forbidden);
        assert_eq!(
            denied.short(),
            "not allowed to update secret osmo-operator-token in osmo-operator"
        );
        assert!(
            denied.to_string().contains("Ask a cluster admin"),
            "{denied}"
        );
        let missing = action.error(api_error(404, "not found"));
        assert_eq!(missing.code(), ErrorCode::NotFound);
        assert!(
            missing.to_string().contains(SET_UP_OPERATOR_FIRST),
            "{missing}"
        );
        let conflict = action.error(api_error(409, "the object has been modified"));
        assert_eq!(conflict.code(), ErrorCode::Conflict);
        let broken = action.error(api_error(503, "etcd down"));
        assert_eq!(broken.code(), ErrorCode::ServerError);
        assert!(
            broken.to_string().contains("HTTP 503 etcd down"),
            "{broken}"
        );
        let refused = action.error(api_error(401, "Unauthorized"));
        assert_eq!(refused.code(), ErrorCode::Unauthorized);
    }

    #[tokio::test]
    async fn a_hanging_call_times_out_and_a_cancelled_one_stops() {
        let action = KubeAction::new("list", "events", Some("osmo-operator"));
        let limits = Limits::new(Duration::from_millis(50), CancellationToken::new());
        let hang = std::future::pending::<Result<(), kube::Error>>();
        let err = run(&limits, action, hang).await.unwrap_err();
        assert!(matches!(err, KubeCallError::Timeout { .. }), "{err:?}");
        assert!(err.to_string().contains("list events in osmo-operator"));

        let limits = Limits::new(Duration::from_secs(60), CancellationToken::new());
        limits.cancel.cancel();
        let hang = std::future::pending::<Result<(), kube::Error>>();
        let err = run(&limits, action, hang).await.unwrap_err();
        assert_eq!(err, KubeCallError::Cancelled);
    }
}
