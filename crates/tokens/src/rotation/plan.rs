//! What a rotation is asked to do: the backend, the token Secret in its cluster, the operator
//! Deployments to restart, the new token, the old one, and the time limits. Serializable without
//! any secret, so it goes into the journal as is.

use std::time::Duration;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::create::TokenRef;
use crate::form::NewToken;

/// The chart's listener and worker Deployments (release `osmo-operator`, osmo-api.md §6.2).
pub use osmo_admin_kube::operator::{LISTENER_DEPLOYMENT, WORKER_DEPLOYMENT};

/// A key of the operator's token Secret (defaults: `osmo-operator/osmo-operator-token`, `token`);
/// osmo-admin-kube's [`TokenSecret`](osmo_admin_kube::operator::TokenSecret), journaled as is.
pub use osmo_admin_kube::operator::TokenSecret as SecretTarget;

/// Which Deployments a rollout restart touches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Deployments {
    /// Every Deployment in the Secret's namespace (the chart's operator namespace); none is an error.
    AllInNamespace,
    /// These, in the Secret's namespace; a missing one is an error (skipped when rolling back).
    Named(Vec<String>),
}

impl Deployments {
    /// The chart's listener and worker.
    pub fn chart() -> Self {
        Deployments::Named(vec![LISTENER_DEPLOYMENT.into(), WORKER_DEPLOYMENT.into()])
    }
}

/// Everything a rotation needs besides the connections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RotationPlan {
    pub backend: String,
    pub secret: SecretTarget,
    pub deployments: Deployments,
    /// The token to create (`for_operator` should be true: `osmo-backend` is then required).
    pub new_token: NewToken,
    /// The token the operator uses now; needed to delete it at the end (and checked before a roll
    /// back restores it). `None`: nothing is deleted.
    pub old_token: Option<TokenRef>,
    /// Delete the old token at the end (default true).
    pub delete_old: bool,
    /// How long to wait for a heartbeat newer than the restart (default 5 min).
    pub heartbeat_timeout: Duration,
    /// How often the backend is read while waiting (default 5 s).
    pub poll_interval: Duration,
    /// Time limit of each HTTP or Kubernetes call (default 30 s).
    pub call_timeout: Duration,
}

impl RotationPlan {
    /// A plan with the defaults: the chart's Secret, every Deployment of its namespace, delete
    /// the old token, 5 min heartbeat timeout.
    pub fn new(
        backend: impl Into<String>,
        new_token: NewToken,
        old_token: Option<TokenRef>,
    ) -> Self {
        Self {
            backend: backend.into(),
            secret: SecretTarget::default(),
            deployments: Deployments::AllInNamespace,
            new_token,
            old_token,
            delete_old: true,
            heartbeat_timeout: Duration::from_secs(300),
            poll_interval: Duration::from_secs(5),
            call_timeout: Duration::from_secs(30),
        }
    }
}

/// The new token's name derived from the old one (product.md): a trailing `-YYYYMMDD` is
/// replaced by the new expiry date, else the date is appended (`backend-token` →
/// `backend-token-20270115`). Falls back to `backend-token-<date>` when the result breaks the
/// name pattern.
pub fn derived_token_name(old: &str, expires_on: NaiveDate) -> String {
    let date = expires_on.format("%Y%m%d").to_string();
    let stem = match old.rsplit_once('-') {
        Some((stem, tail)) if tail.len() == 8 && tail.chars().all(|c| c.is_ascii_digit()) => stem,
        _ => old,
    };
    let name = format!("{stem}-{date}");
    if crate::form::token_name_ok(&name) {
        name
    } else {
        format!("backend-token-{date}")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn new_names_derive_from_the_old_one() {
        let d = NaiveDate::from_ymd_opt(2027, 1, 15).unwrap();
        assert_eq!(
            derived_token_name("backend-token", d),
            "backend-token-20270115"
        );
        assert_eq!(
            derived_token_name("backend-token-20260110", d),
            "backend-token-20270115"
        );
        assert_eq!(derived_token_name("gpu-1234", d), "gpu-1234-20270115");
        assert_eq!(derived_token_name("", d), "backend-token-20270115");
        assert_eq!(derived_token_name("1abc", d), "backend-token-20270115");
    }
}
