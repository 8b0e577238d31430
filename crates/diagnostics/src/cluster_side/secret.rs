//! The token Secret: present, key present, value non-empty, last changed. Its value is read only
//! by [`read_token`], osmo-admin-kube's one reading, as a [`Secret`].

use chrono::{DateTime, Utc};
use osmo_admin_kube::operator::{self, Limits};
use osmo_admin_secrets::Secret;
use serde::Serialize;

use crate::error::Part;
use crate::target::ClusterTarget;

/// What the token Secret looks like, without its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecretStatus {
    pub namespace: String,
    pub name: String,
    pub key: String,
    pub present: bool,
    pub key_present: bool,
    /// The value is not empty once surrounding whitespace is removed (the operator trims it).
    pub non_empty: bool,
    /// The latest `managedFields` time, else the creation time.
    pub last_changed: Option<DateTime<Utc>>,
}

pub(crate) async fn inspect_secret(target: &ClusterTarget, limits: &Limits) -> Part<SecretStatus> {
    let secret = target.token_secret();
    let found = operator::read_secret(&target.client, &secret, limits).await?;
    Ok(SecretStatus {
        present: found.is_some(),
        key_present: found.as_ref().is_some_and(|c| c.key_present),
        non_empty: found.as_ref().is_some_and(|c| c.token().is_some()),
        last_changed: found.and_then(|c| c.last_changed),
        namespace: secret.namespace,
        name: secret.name,
        key: secret.key,
    })
}

/// The token from the Secret (trimmed, as the operator reads it), `None` when the Secret or key is
/// missing or the value is empty. The only way this crate hands out the value.
pub async fn read_token(target: &ClusterTarget, limits: &Limits) -> Part<Option<Secret>> {
    operator::read_token(&target.client, &target.token_secret(), limits).await
}
