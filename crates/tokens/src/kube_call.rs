//! One Kubernetes call with a time limit and a [`CancellationToken`], its `kube::Error` turned
//! into a [`TokensError`] that names what was attempted ("patch secret osmo-operator/osmo-operator-token").

use std::future::Future;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::error::TokensError;

/// The time limit and cancellation of one call.
#[derive(Debug, Clone)]
pub struct Limits {
    pub timeout: Duration,
    pub cancel: CancellationToken,
}

impl Limits {
    pub fn new(timeout: Duration, cancel: CancellationToken) -> Self {
        Self { timeout, cancel }
    }
}

/// Maps a kube error of the action `what`.
pub(crate) fn kube_error(what: &str, hint: &str, err: kube::Error) -> TokensError {
    match err {
        kube::Error::Api(status) if status.code == 403 => TokensError::KubeForbidden {
            what: what.to_owned(),
        },
        kube::Error::Api(status) if status.code == 404 => TokensError::KubeNotFound {
            what: what.to_owned(),
            hint: hint.to_owned(),
        },
        kube::Error::Api(status) => TokensError::Kube {
            what: what.to_owned(),
            detail: format!("HTTP {} {}", status.code, status.message),
        },
        other => TokensError::Kube {
            what: what.to_owned(),
            detail: other.to_string(),
        },
    }
}

/// Runs `call` within `limits`; `what` names it in errors, `hint` is the next step on a 404.
pub(crate) async fn run<T>(
    limits: &Limits,
    what: &str,
    hint: &str,
    call: impl Future<Output = Result<T, kube::Error>>,
) -> Result<T, TokensError> {
    tokio::select! {
        biased;
        () = limits.cancel.cancelled() => Err(TokensError::Cancelled),
        answer = tokio::time::timeout(limits.timeout, call) => match answer {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(err)) => Err(kube_error(what, hint, err)),
            Err(_) => Err(TokensError::Timeout {
                what: what.to_owned(),
                seconds: limits.timeout.as_secs().max(1),
            }),
        },
    }
}

/// Runs any step's future within `limits` (HTTP calls also have the session's own timeouts).
pub(crate) async fn within<T>(
    limits: &Limits,
    what: &str,
    call: impl Future<Output = Result<T, TokensError>>,
) -> Result<T, TokensError> {
    tokio::select! {
        biased;
        () = limits.cancel.cancelled() => Err(TokensError::Cancelled),
        answer = tokio::time::timeout(limits.timeout, call) => match answer {
            Ok(result) => result,
            Err(_) => Err(TokensError::Timeout {
                what: what.to_owned(),
                seconds: limits.timeout.as_secs().max(1),
            }),
        },
    }
}
