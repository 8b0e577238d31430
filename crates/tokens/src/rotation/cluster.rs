//! The cluster side of a rotation: the token Secret and the operator Deployments.
//!
//! The previous value is kept in the same Secret under `<key>.previous`, written in the same
//! merge patch that puts the new value under `<key>` (guarded by the `resourceVersion` read just
//! before), so there is no moment without a valid token in the Secret and no second object to
//! clean up or to get permission for. The patch also sets the annotations
//! [`ROTATION_ANNOTATION`] (the rotation's id, until it finishes) and [`TOKEN_NAME_ANNOTATION`] /
//! [`TOKEN_OWNER_ANNOTATION`] (which token the Secret holds, never its value), which is how a
//! resumed rotation knows whether its write happened, and how the app can tell which backend
//! uses which token. The chart mounts only `<key>` (`items`), so the extra key is not seen by the
//! operator.

use chrono::{DateTime, SecondsFormat, Utc};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Secret as KubeSecret;
use k8s_openapi::ByteString;
use kube::api::{ListParams, Patch, PatchParams};
use kube::Api;
use osmo_admin_secrets::Secret;
use serde_json::{json, Value};

use crate::create::TokenRef;
use crate::error::TokensError;
use crate::kube_call::{run, Limits};
use crate::rotation::plan::{Deployments, SecretTarget};

/// The id of the rotation that wrote the Secret and has not finished.
pub const ROTATION_ANNOTATION: &str = "osmo-backend-admin/rotation";
/// The name of the token the Secret holds, as written by this app.
pub const TOKEN_NAME_ANNOTATION: &str = "osmo-backend-admin/token-name";
/// The owner of that token.
pub const TOKEN_OWNER_ANNOTATION: &str = "osmo-backend-admin/token-owner";
/// What `kubectl rollout restart` sets on the pod template.
pub const RESTARTED_AT_ANNOTATION: &str = "kubectl.kubernetes.io/restartedAt";

const SETUP_HINT: &str = "Check the namespace and names, or set up the backend's operator first.";

/// The Secret as read: its resourceVersion, the values, and this app's annotations.
pub(crate) struct SecretState {
    pub resource_version: Option<String>,
    pub current: Option<Secret>,
    pub previous: Option<Secret>,
    pub rotation: Option<String>,
}

fn value_of(secret: &KubeSecret, key: &str) -> Option<Secret> {
    let bytes = secret.data.as_ref()?.get(key)?;
    let text = String::from_utf8(bytes.0.clone()).ok()?;
    Some(Secret::new(text.trim().to_owned()))
}

fn encoded(value: &Secret) -> Value {
    serde_json::to_value(ByteString(value.expose().as_bytes().to_vec())).unwrap_or(Value::Null)
}

pub(crate) async fn read(
    client: &kube::Client,
    target: &SecretTarget,
    limits: &Limits,
) -> Result<SecretState, TokensError> {
    let api: Api<KubeSecret> = Api::namespaced(client.clone(), &target.namespace);
    let what = format!("read secret {}/{}", target.namespace, target.name);
    let secret = run(limits, &what, SETUP_HINT, api.get(&target.name)).await?;
    let annotation = |k: &str| {
        secret
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(k))
            .cloned()
    };
    Ok(SecretState {
        resource_version: secret.metadata.resource_version.clone(),
        current: value_of(&secret, &target.key),
        previous: value_of(&secret, &target.previous_key()),
        rotation: annotation(ROTATION_ANNOTATION),
    })
}

async fn patch(
    client: &kube::Client,
    target: &SecretTarget,
    limits: &Limits,
    body: Value,
) -> Result<(), TokensError> {
    let api: Api<KubeSecret> = Api::namespaced(client.clone(), &target.namespace);
    let what = format!("update secret {}/{}", target.namespace, target.name);
    let (params, patch) = (PatchParams::default(), Patch::Merge(&body));
    let call = api.patch(&target.name, &params, &patch);
    run(limits, &what, SETUP_HINT, call).await.map(|_| ())
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
    if state.rotation.as_deref() == Some(id) {
        return Ok(false);
    }
    let current = state.current.filter(|c| !c.is_empty()).ok_or_else(|| TokensError::KubeNotFound {
        what: format!("find the current token in secret {target}"),
        hint: "The rotation keeps the current value until the end; without one, write the new token with the setup instead.".into(),
    })?;
    let body = json!({
        "metadata": {
            "resourceVersion": state.resource_version,
            "annotations": {
                ROTATION_ANNOTATION: id,
                TOKEN_NAME_ANNOTATION: token.name,
                TOKEN_OWNER_ANNOTATION: token.owner,
            }
        },
        "data": { target.key.clone(): encoded(new), target.previous_key(): encoded(&current) }
    });
    patch(client, target, limits, body).await.map(|()| true)
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
    if state.rotation.as_deref() != Some(id) {
        return Ok(false);
    }
    let previous = state.previous.ok_or_else(|| {
        TokensError::State(format!(
            "Secret {target} was written by this rotation but its previous value (key {}) is gone; the previous token cannot be restored. Retry the rotation instead.",
            target.previous_key()
        ))
    })?;
    let body = json!({
        "metadata": {
            "resourceVersion": state.resource_version,
            "annotations": {
                ROTATION_ANNOTATION: null,
                TOKEN_NAME_ANNOTATION: old.map(|t| &t.name),
                TOKEN_OWNER_ANNOTATION: old.map(|t| &t.owner),
            }
        },
        "data": { target.key.clone(): encoded(&previous), target.previous_key(): null }
    });
    patch(client, target, limits, body).await.map(|()| true)
}

/// The end: drops `<key>.previous` and the rotation annotation when rotation `id` wrote them.
pub(crate) async fn forget_previous(
    client: &kube::Client,
    target: &SecretTarget,
    limits: &Limits,
    id: &str,
) -> Result<(), TokensError> {
    let state = read(client, target, limits).await?;
    if state.rotation.as_deref() != Some(id) {
        return Ok(());
    }
    let body = json!({
        "metadata": {
            "resourceVersion": state.resource_version,
            "annotations": { ROTATION_ANNOTATION: null }
        },
        "data": { target.previous_key(): null }
    });
    patch(client, target, limits, body).await
}

/// Which token a Secret holds according to this app's annotations (`None` if it did not write it).
pub async fn token_in_secret(
    client: &kube::Client,
    target: &SecretTarget,
    limits: &Limits,
) -> Result<Option<TokenRef>, TokensError> {
    let api: Api<KubeSecret> = Api::namespaced(client.clone(), &target.namespace);
    let what = format!("read secret {}/{}", target.namespace, target.name);
    let secret = run(limits, &what, SETUP_HINT, api.get(&target.name)).await?;
    let a = secret.metadata.annotations.unwrap_or_default();
    Ok(
        match (a.get(TOKEN_OWNER_ANNOTATION), a.get(TOKEN_NAME_ANNOTATION)) {
            (Some(owner), Some(name)) => Some(TokenRef {
                owner: owner.clone(),
                name: name.clone(),
            }),
            _ => None,
        },
    )
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
    let api: Api<Deployment> = Api::namespaced(client.clone(), namespace);
    let names = match which {
        Deployments::Named(names) => names.clone(),
        Deployments::AllInNamespace => {
            let what = format!("list Deployments in {namespace}");
            let list = run(limits, &what, SETUP_HINT, api.list(&ListParams::default())).await?;
            let names: Vec<String> = list
                .items
                .into_iter()
                .filter_map(|d| d.metadata.name)
                .collect();
            if names.is_empty() && !skip_missing {
                return Err(TokensError::KubeNotFound {
                    what: format!("find the operator's Deployments in {namespace}"),
                    hint: "No Deployment runs there: install the backend operator (or pick its namespace) first.".into(),
                });
            }
            names
        }
    };
    let at = Utc::now();
    let stamp = at.to_rfc3339_opts(SecondsFormat::Millis, true);
    let body = json!({"spec": {"template": {"metadata": {"annotations": {RESTARTED_AT_ANNOTATION: stamp}}}}});
    let mut done = Vec::new();
    for name in names {
        let what = format!("restart Deployment {namespace}/{name}");
        let (params, patch) = (PatchParams::default(), Patch::Merge(&body));
        let call = api.patch(&name, &params, &patch);
        match run(limits, &what, SETUP_HINT, call).await {
            Ok(_) => done.push(name),
            Err(TokensError::KubeNotFound { .. }) if skip_missing => {}
            Err(e) => return Err(e),
        }
    }
    Ok((at, done))
}
