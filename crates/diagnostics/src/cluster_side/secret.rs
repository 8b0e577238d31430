//! The token Secret: present, key present, value non-empty, last changed. Its value leaves this
//! module only as a [`Secret`] from [`read_token`].

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::Secret as KubeSecret;
use kube::Api;
use osmo_admin_secrets::Secret;
use serde::Serialize;

use super::to_utc;
use crate::error::Part;
use crate::kube_call::{run, Limits, Lookup};
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

async fn get_secret(target: &ClusterTarget, limits: &Limits) -> Part<Option<KubeSecret>> {
    let api: Api<KubeSecret> = Api::namespaced(target.client.clone(), &target.operator_namespace);
    let lookup = Lookup::new("get", "secrets", Some(&target.operator_namespace));
    run(limits, lookup, api.get_opt(&target.secret.name)).await
}

/// The key's value, trimmed (what the operator would read from `token.txt`).
fn token_value(secret: &KubeSecret, key: &str) -> Option<String> {
    let bytes = secret.data.as_ref()?.get(key)?;
    Some(String::from_utf8_lossy(&bytes.0).trim().to_owned())
}

pub(crate) async fn inspect_secret(target: &ClusterTarget, limits: &Limits) -> Part<SecretStatus> {
    let found = get_secret(target, limits).await?;
    let value = found
        .as_ref()
        .and_then(|s| token_value(s, &target.secret.key));
    let last_changed = found.as_ref().and_then(|s| {
        let managed = s.metadata.managed_fields.iter().flatten();
        managed
            .filter_map(|m| m.time.as_ref().and_then(to_utc))
            .max()
            .or_else(|| s.metadata.creation_timestamp.as_ref().and_then(to_utc))
    });
    Ok(SecretStatus {
        namespace: target.operator_namespace.clone(),
        name: target.secret.name.clone(),
        key: target.secret.key.clone(),
        present: found.is_some(),
        key_present: value.is_some(),
        non_empty: value.as_deref().is_some_and(|v| !v.is_empty()),
        last_changed,
    })
}

/// The token from the Secret (trimmed), `None` when the Secret or key is missing or the value is
/// empty. The only way this crate hands out the value.
pub async fn read_token(target: &ClusterTarget, limits: &Limits) -> Part<Option<Secret>> {
    let found = get_secret(target, limits).await?;
    Ok(found
        .as_ref()
        .and_then(|s| token_value(s, &target.secret.key))
        .filter(|v| !v.is_empty())
        .map(Secret::new))
}
