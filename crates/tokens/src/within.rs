//! Any step's future within [`Limits`] (a time limit and a [`CancellationToken`]); Kubernetes calls
//! themselves go through osmo-admin-kube's `operator::run`, which maps their errors.

use std::future::Future;

use crate::error::TokensError;
use crate::Limits;

/// Runs `call` within `limits` (HTTP calls also have the session's own timeouts).
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
