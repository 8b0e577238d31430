//! The cluster side of a rotation, over osmo-admin-kube's operator calls: the token Secret and
//! the operator Deployments.
//!
//! The previous value is kept in the same Secret under `<key>.previous`, written in the same
//! merge patch that puts the new value under `<key>` (guarded by the `resourceVersion` read just
//! before), so there is no moment without a valid token in the Secret and no second object to
//! clean up or to get permission for. The patch also sets the annotations
//! [`ROTATION_ANNOTATION`] (the rotation's id, until it finishes) and [`TOKEN_NAME_ANNOTATION`] /
//! [`TOKEN_OWNER_ANNOTATION`] (which token the Secret holds, never its value), which is how a
//! resumed rotation knows whether its write happened (this module's journal semantics), and how
//! the app can tell which backend uses which token.

use chrono::{DateTime, Utc};
use osmo_admin_kube::operator::{
    self, Change, KubeCallError, SecretContents, SecretWrite, SET_UP_OPERATOR_FIRST,
};
pub use osmo_admin_kube::operator::{
    RESTARTED_AT_ANNOTATION, ROTATION_ANNOTATION, TOKEN_NAME_ANNOTATION, TOKEN_OWNER_ANNOTATION,
};
use osmo_admin_secrets::Secret;

use crate::create::TokenRef;
use crate::error::TokensError;
use crate::rotation::plan::{Deployments, SecretTarget};
use crate::Limits;

fn missing(what: String, hint: &str) -> TokensError {
    TokensError::from(KubeCallError::NotFound {
        what,
        hint: hint.into(),
    })
}

/// The Secret as read; a missing Secret is an error (a rotation needs one).
pub(crate) async fn read(
    client: &kube::Client,
    target: &SecretTarget,
    limits: &Limits,
) -> Result<SecretContents, TokensError> {
    operator::read_secret(client, target, limits)
        .await?
        .ok_or_else(|| {
            missing(
                format!("read secret {} in {}", target.name, target.namespace),
                SET_UP_OPERATOR_FIRST,
            )
        })
}

/// Step 2: puts `new` under the key and the current value under `<key>.previous`. Returns false
/// when rotation `id` had already written it (a resumed rotation).
pub(crate) async fn write_new(
    client: &kube::Client,
    target: &SecretTarget,
    limits: &Limits,
    id: &str,
    new: &Secret,
    token: &TokenRef,
) -> Result<bool, TokensError> {
    let state = read(client, target, limits).await?;
    if state.rotation() == Some(id) {
        return Ok(false);
    }
    let current = state.token().ok_or_else(|| missing(
        format!("find the current token in secret {target}"),
        "The rotation keeps the current value until the end; without one, write the new token with the setup instead.",
    ))?;
    let write = SecretWrite {
        value: Change::Set(new),
        previous: Change::Set(current),
        holder: Change::Set(token),
        rotation: Change::Set(id),
    };
    operator::write_secret(client, target, limits, Some(&state), &write).await?;
    Ok(true)
}

/// Roll back: puts `<key>.previous` back under the key when rotation `id` wrote the Secret.
/// Returns whether the Secret changed.
pub(crate) async fn restore(
    client: &kube::Client,
    target: &SecretTarget,
    limits: &Limits,
    id: &str,
    old: Option<&TokenRef>,
) -> Result<bool, TokensError> {
    let state = read(client, target, limits).await?;
    if state.rotation() != Some(id) {
        return Ok(false);
    }
    let previous = state.previous.as_ref().ok_or_else(|| {
        TokensError::State(format!(
            "Secret {target} was written by this rotation but its previous value (key {}) is gone; the previous token cannot be restored. Retry the rotation instead.",
            target.previous_key()
        ))
    })?;
    let write = SecretWrite {
        value: Change::Set(previous),
        previous: Change::Remove,
        holder: old.map_or(Change::Remove, Change::Set),
        rotation: Change::Remove,
    };
    operator::write_secret(client, target, limits, Some(&state), &write).await?;
    Ok(true)
}

/// The end: drops `<key>.previous` and the rotation annotation when rotation `id` wrote them.
pub(crate) async fn forget_previous(
    client: &kube::Client,
    target: &SecretTarget,
    limits: &Limits,
    id: &str,
) -> Result<(), TokensError> {
    let state = read(client, target, limits).await?;
    if state.rotation() != Some(id) {
        return Ok(());
    }
    let write = SecretWrite {
        previous: Change::Remove,
        rotation: Change::Remove,
        ..SecretWrite::default()
    };
    Ok(operator::write_secret(client, target, limits, Some(&state), &write).await?)
}

/// Which token a Secret holds according to this app's annotations (`None` if it did not write it).
pub async fn token_in_secret(
    client: &kube::Client,
    target: &SecretTarget,
    limits: &Limits,
) -> Result<Option<TokenRef>, TokensError> {
    Ok(read(client, target, limits).await?.holder())
}

/// A rollout restart of the selected Deployments (`skip_missing`: a missing named one is passed
/// over instead of failing). Returns the restart time and the Deployments restarted.
pub(crate) async fn restart(
    client: &kube::Client,
    namespace: &str,
    which: &Deployments,
    limits: &Limits,
    skip_missing: bool,
) -> Result<(DateTime<Utc>, Vec<String>), TokensError> {
    let names = match which {
        Deployments::Named(names) => names.clone(),
        Deployments::AllInNamespace => {
            let names: Vec<String> = operator::list_deployments(client, namespace, limits)
                .await?
                .into_iter()
                .filter_map(|d| d.metadata.name)
                .collect();
            if names.is_empty() && !skip_missing {
                return Err(missing(
                    format!("find the operator's Deployments in {namespace}"),
                    "No Deployment runs there: install the backend operator (or pick its namespace) first.",
                ));
            }
            names
        }
    };
    let at = Utc::now();
    let mut done = Vec::new();
    for name in names {
        match operator::rollout_restart(client, namespace, &name, at, limits).await {
            Ok(()) => done.push(name),
            Err(KubeCallError::NotFound { .. }) if skip_missing => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok((at, done))
}
