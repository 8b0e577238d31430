//! Running one Kubernetes call with a time limit and a [`CancellationToken`], and turning
//! `kube::Error` into a [`DiagnosticsError`] that names the lookup ("list events in osmo-operator").

use std::future::Future;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::error::{DiagnosticsError, Part};

/// The time limit and cancellation every call of one run shares.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Per Kubernetes call.
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

/// What a call looks at, for messages: `verb resource in scope`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lookup<'a> {
    pub verb: &'a str,
    pub resource: &'a str,
    /// A namespace, or `None` for cluster-wide.
    pub namespace: Option<&'a str>,
}

impl<'a> Lookup<'a> {
    pub fn new(verb: &'a str, resource: &'a str, namespace: Option<&'a str>) -> Self {
        Self {
            verb,
            resource,
            namespace,
        }
    }

    fn scope(&self) -> String {
        self.namespace.unwrap_or("the cluster").to_owned()
    }

    fn phrase(&self) -> String {
        format!("{} {} in {}", self.verb, self.resource, self.scope())
    }

    /// Maps a kube error of this lookup.
    pub fn error(&self, err: kube::Error) -> DiagnosticsError {
        match err {
            kube::Error::Api(status) => match status.code {
                403 => DiagnosticsError::NotAllowed {
                    verb: self.verb.into(),
                    resource: self.resource.into(),
                    scope: self.scope(),
                },
                401 => DiagnosticsError::Unauthorized {
                    what: self.phrase(),
                    detail: status.message.clone(),
                },
                code => DiagnosticsError::Api {
                    what: self.phrase(),
                    status: code,
                    detail: status.message.clone(),
                },
            },
            kube::Error::SerdeError(e) => DiagnosticsError::Internal {
                what: self.phrase(),
                detail: format!("the answer could not be read: {e}"),
            },
            kube::Error::Auth(e) => DiagnosticsError::Unauthorized {
                what: self.phrase(),
                detail: e.to_string(),
            },
            other => DiagnosticsError::Unreachable {
                what: self.phrase(),
                detail: other.to_string(),
            },
        }
    }
}

/// Runs `call` within `limits`: its error, a timeout and a cancellation are all a
/// [`DiagnosticsError`] naming `lookup`.
pub(crate) async fn run<T>(
    limits: &Limits,
    lookup: Lookup<'_>,
    call: impl Future<Output = Result<T, kube::Error>>,
) -> Part<T> {
    tokio::select! {
        biased;
        () = limits.cancel.cancelled() => Err(DiagnosticsError::Cancelled),
        answer = tokio::time::timeout(limits.timeout, call) => match answer {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(err)) => Err(lookup.error(err)),
            Err(_) => Err(DiagnosticsError::Timeout {
                what: lookup.phrase(),
                seconds: limits.timeout.as_secs().max(1),
            }),
        },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hanging_call_times_out_and_a_cancelled_one_stops() {
        let lookup = Lookup::new("list", "events", Some("osmo-operator"));
        let limits = Limits::new(Duration::from_millis(50), CancellationToken::new());
        let hang = std::future::pending::<Result<(), kube::Error>>();
        let err = run(&limits, lookup, hang).await.unwrap_err();
        assert!(matches!(err, DiagnosticsError::Timeout { .. }), "{err:?}");
        assert!(err.to_string().contains("list events in osmo-operator"));

        let limits = Limits::new(Duration::from_secs(60), CancellationToken::new());
        limits.cancel.cancel();
        let hang = std::future::pending::<Result<(), kube::Error>>();
        let err = run(&limits, lookup, hang).await.unwrap_err();
        assert_eq!(err, DiagnosticsError::Cancelled);
    }
}
