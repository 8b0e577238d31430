//! The operator's token Secret: where it is ([`TokenSecret`]), how its value is read
//! ([`token_text`], the same for setup, diagnostics and rotation), and the one way to write it
//! ([`write_secret`]).
//!
//! The value leaves this module only as an [`osmo_admin_secrets::Secret`]. A rotation keeps the
//! previous value in the same Secret under `<key>.previous` ([`TokenSecret::previous_key`]) and
//! marks its write with [`ROTATION_ANNOTATION`]; every write by this app names the token it puts
//! there with [`TOKEN_NAME_ANNOTATION`] / [`TOKEN_OWNER_ANNOTATION`] (never its value). The chart
//! mounts only `<key>` (`items`), so the operator never sees the extra key.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::Secret as KubeSecret;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use k8s_openapi::ByteString;
use kube::api::{Patch, PatchParams, PostParams};
use kube::Api;
use osmo_admin_secrets::Secret;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::call::{run, KubeAction, KubeCallError, Limits};

/// The id of the rotation that wrote the Secret and has not finished.
pub const ROTATION_ANNOTATION: &str = "osmo-backend-admin/rotation";
/// The name of the token the Secret holds, as written by this app.
pub const TOKEN_NAME_ANNOTATION: &str = "osmo-backend-admin/token-name";
/// The owner of that token.
pub const TOKEN_OWNER_ANNOTATION: &str = "osmo-backend-admin/token-owner";

/// A key of the operator's token Secret (defaults: `osmo-operator/osmo-operator-token`, `token`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenSecret {
    pub namespace: String,
    pub name: String,
    pub key: String,
}

impl Default for TokenSecret {
    /// The chart's defaults.
    fn default() -> Self {
        Self {
            namespace: crate::DEFAULT_OPERATOR_NAMESPACE.into(),
            name: "osmo-operator-token".into(),
            key: "token".into(),
        }
    }
}

impl TokenSecret {
    /// The key of the same Secret that keeps the previous value during a rotation: `<key>.previous`.
    pub fn previous_key(&self) -> String {
        format!("{}.previous", self.key)
    }
}

impl std::fmt::Display for TokenSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{} key {}", self.namespace, self.name, self.key)
    }
}

/// An OSMO token by owner and name (6.0 service tokens: the owner is the name).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TokenRef {
    pub owner: String,
    pub name: String,
}

impl std::fmt::Display for TokenRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.owner == self.name {
            write!(f, "{}", self.name)
        } else {
            write!(f, "{} of {}", self.name, self.owner)
        }
    }
}

/// A Secret value the way the operator reads its mounted `token.txt`: UTF-8 text with the
/// surrounding whitespace (a trailing newline from `echo` or an editor) removed. `None` when the
/// bytes are not UTF-8 (the operator could not use them either).
pub fn token_text(bytes: &[u8]) -> Option<Secret> {
    let text = std::str::from_utf8(bytes).ok()?;
    Some(Secret::new(text.trim()))
}

/// The Secret as read: version, values (read by [`token_text`]), annotations, last change.
#[derive(Debug, Clone)]
pub struct SecretContents {
    pub resource_version: Option<String>,
    /// The key is in the Secret (whatever its value).
    pub key_present: bool,
    /// The key's value, trimmed; `None` when missing or not UTF-8.
    pub current: Option<Secret>,
    /// `<key>.previous`, trimmed.
    pub previous: Option<Secret>,
    /// `<key>.previous` is in the Secret (whatever its value): a rotation kept the old token.
    pub previous_present: bool,
    pub annotations: BTreeMap<String, String>,
    /// The latest `managedFields` time, else the creation time.
    pub last_changed: Option<DateTime<Utc>>,
}

impl SecretContents {
    fn of(secret: &KubeSecret, target: &TokenSecret) -> Self {
        let bytes = |key: &str| secret.data.as_ref().and_then(|d| d.get(key));
        let managed = secret.metadata.managed_fields.iter().flatten();
        let last_changed = managed
            .filter_map(|m| m.time.as_ref().and_then(to_utc))
            .max()
            .or_else(|| secret.metadata.creation_timestamp.as_ref().and_then(to_utc));
        Self {
            resource_version: secret.metadata.resource_version.clone(),
            key_present: bytes(&target.key).is_some(),
            current: bytes(&target.key).and_then(|b| token_text(&b.0)),
            previous: bytes(&target.previous_key()).and_then(|b| token_text(&b.0)),
            previous_present: bytes(&target.previous_key()).is_some(),
            annotations: secret.metadata.annotations.clone().unwrap_or_default(),
            last_changed,
        }
    }

    /// The token the operator would use: the current value unless it is empty.
    pub fn token(&self) -> Option<&Secret> {
        self.current.as_ref().filter(|v| !v.is_empty())
    }

    /// The id of the unfinished rotation that wrote the Secret.
    pub fn rotation(&self) -> Option<&str> {
        self.annotations
            .get(ROTATION_ANNOTATION)
            .map(String::as_str)
    }

    /// Which token the Secret holds according to this app's annotations (`None`: not written by it).
    pub fn holder(&self) -> Option<TokenRef> {
        let owner = self.annotations.get(TOKEN_OWNER_ANNOTATION)?;
        let name = self.annotations.get(TOKEN_NAME_ANNOTATION)?;
        Some(TokenRef {
            owner: owner.clone(),
            name: name.clone(),
        })
    }
}

fn to_utc(time: &Time) -> Option<DateTime<Utc>> {
    let ts = time.0;
    DateTime::<Utc>::from_timestamp(ts.as_second(), ts.subsec_nanosecond().max(0) as u32)
}

fn secret_api(client: &kube::Client, target: &TokenSecret) -> Api<KubeSecret> {
    Api::namespaced(client.clone(), &target.namespace)
}

/// Reads the Secret; `None` when it does not exist.
pub async fn read_secret(
    client: &kube::Client,
    target: &TokenSecret,
    limits: &Limits,
) -> Result<Option<SecretContents>, KubeCallError> {
    let action = KubeAction::new("get", "secrets", Some(&target.namespace));
    let found = run(
        limits,
        action,
        secret_api(client, target).get_opt(&target.name),
    )
    .await?;
    Ok(found.map(|s| SecretContents::of(&s, target)))
}

/// The operator's token from the Secret, read by [`token_text`]; `None` when the Secret or key is
/// missing or the value is empty. The one way to the token's value for setup, diagnostics and
/// rotation.
pub async fn read_token(
    client: &kube::Client,
    target: &TokenSecret,
    limits: &Limits,
) -> Result<Option<Secret>, KubeCallError> {
    Ok(read_secret(client, target, limits)
        .await?
        .and_then(|c| c.token().cloned()))
}

/// What to do with one part of the Secret.
#[derive(Debug, Clone, Copy)]
pub enum Change<T> {
    Leave,
    Set(T),
    Remove,
}

/// A write of the token Secret. `Default` changes nothing.
#[derive(Debug, Clone, Copy)]
pub struct SecretWrite<'a> {
    /// The value under `<key>`.
    pub value: Change<&'a Secret>,
    /// The value under `<key>.previous`.
    pub previous: Change<&'a Secret>,
    /// [`TOKEN_NAME_ANNOTATION`] and [`TOKEN_OWNER_ANNOTATION`].
    pub holder: Change<&'a TokenRef>,
    /// [`ROTATION_ANNOTATION`].
    pub rotation: Change<&'a str>,
}

impl Default for SecretWrite<'_> {
    fn default() -> Self {
        Self {
            value: Change::Leave,
            previous: Change::Leave,
            holder: Change::Leave,
            rotation: Change::Leave,
        }
    }
}

fn encoded(value: &Secret) -> Value {
    serde_json::to_value(ByteString(value.expose().as_bytes().to_vec())).unwrap_or(Value::Null)
}

fn put<T>(
    map: &mut Map<String, Value>,
    key: &str,
    change: Change<T>,
    to_json: impl Fn(T) -> Value,
) {
    match change {
        Change::Leave => {}
        Change::Set(v) => {
            map.insert(key.to_owned(), to_json(v));
        }
        Change::Remove => {
            map.insert(key.to_owned(), Value::Null);
        }
    }
}

impl SecretWrite<'_> {
    fn merge_patch(&self, target: &TokenSecret, resource_version: Option<&str>) -> Value {
        let mut data = Map::new();
        put(&mut data, &target.key, self.value, encoded);
        put(&mut data, &target.previous_key(), self.previous, encoded);
        let mut annotations = Map::new();
        put(&mut annotations, TOKEN_NAME_ANNOTATION, self.holder, |t| {
            json!(t.name)
        });
        put(&mut annotations, TOKEN_OWNER_ANNOTATION, self.holder, |t| {
            json!(t.owner)
        });
        put(&mut annotations, ROTATION_ANNOTATION, self.rotation, |id| {
            json!(id)
        });
        json!({
            "metadata": { "resourceVersion": resource_version, "annotations": annotations },
            "data": data,
        })
    }

    fn new_secret(&self, target: &TokenSecret) -> KubeSecret {
        let mut data = BTreeMap::new();
        let mut annotations = BTreeMap::new();
        let bytes = |v: &Secret| ByteString(v.expose().as_bytes().to_vec());
        if let Change::Set(v) = self.value {
            data.insert(target.key.clone(), bytes(v));
        }
        if let Change::Set(v) = self.previous {
            data.insert(target.previous_key(), bytes(v));
        }
        if let Change::Set(t) = self.holder {
            annotations.insert(TOKEN_NAME_ANNOTATION.to_owned(), t.name.clone());
            annotations.insert(TOKEN_OWNER_ANNOTATION.to_owned(), t.owner.clone());
        }
        if let Change::Set(id) = self.rotation {
            annotations.insert(ROTATION_ANNOTATION.to_owned(), id.to_owned());
        }
        KubeSecret {
            metadata: ObjectMeta {
                name: Some(target.name.clone()),
                annotations: Some(annotations),
                ..Default::default()
            },
            type_: Some("Opaque".into()),
            data: Some(data),
            ..Default::default()
        }
    }
}

/// Writes the Secret: creates it when `found` is `None`, else a merge patch guarded by `found`'s
/// `resourceVersion` (someone else's change in between is [`KubeCallError::Conflict`]), so the new
/// value and the kept previous one land together.
pub async fn write_secret(
    client: &kube::Client,
    target: &TokenSecret,
    limits: &Limits,
    found: Option<&SecretContents>,
    write: &SecretWrite<'_>,
) -> Result<(), KubeCallError> {
    let api = secret_api(client, target);
    let resource = format!("secret {}", target.name);
    match found {
        None => {
            let action = KubeAction::new("create", &resource, Some(&target.namespace))
                .if_missing("Create the namespace first.");
            let body = write.new_secret(target);
            run(limits, action, api.create(&PostParams::default(), &body))
                .await
                .map(|_| ())
        }
        Some(found) => {
            let action = KubeAction::new("update", &resource, Some(&target.namespace));
            let body = write.merge_patch(target, found.resource_version.as_deref());
            let (params, patch) = (PatchParams::default(), Patch::Merge(&body));
            run(limits, action, api.patch(&target.name, &params, &patch))
                .await
                .map(|_| ())
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_trailing_newline_is_read_the_way_the_operator_reads_it() {
        for raw in ["tok-123\n", "tok-123", "  tok-123\r\n", "\ttok-123 \n\n"] {
            assert_eq!(
                token_text(raw.as_bytes()).unwrap().expose(),
                "tok-123",
                "{raw:?}"
            );
        }
        assert!(token_text(b"\n").unwrap().is_empty());
        assert!(token_text(&[0xff, 0xfe]).is_none());
    }

    #[test]
    fn contents_hide_an_empty_value_and_name_the_holder() {
        let target = TokenSecret::default();
        let secret = KubeSecret {
            metadata: ObjectMeta {
                resource_version: Some("7".into()),
                annotations: Some(BTreeMap::from([
                    (TOKEN_NAME_ANNOTATION.to_owned(), "op".to_owned()),
                    (TOKEN_OWNER_ANNOTATION.to_owned(), "svc".to_owned()),
                ])),
                ..Default::default()
            },
            data: Some(BTreeMap::from([
                ("token".to_owned(), ByteString(b" \n".to_vec())),
                ("token.previous".to_owned(), ByteString(b"old\n".to_vec())),
            ])),
            ..Default::default()
        };
        let c = SecretContents::of(&secret, &target);
        assert!(c.key_present);
        assert!(c.token().is_none(), "a blank value is no token");
        assert_eq!(c.previous.as_ref().unwrap().expose(), "old");
        assert!(c.previous_present);
        assert_eq!(c.holder().unwrap().to_string(), "op of svc");
        assert_eq!(c.rotation(), None);
    }

    #[test]
    fn a_rotation_write_puts_both_values_and_the_marks_in_one_patch() {
        let target = TokenSecret::default();
        let (new, old) = (Secret::new("new"), Secret::new("old"));
        let token = TokenRef {
            owner: "svc".into(),
            name: "op-2".into(),
        };
        let write = SecretWrite {
            value: Change::Set(&new),
            previous: Change::Set(&old),
            holder: Change::Set(&token),
            rotation: Change::Set("r-1"),
        };
        let body = write.merge_patch(&target, Some("42"));
        assert_eq!(body["metadata"]["resourceVersion"], "42");
        assert_eq!(body["data"]["token"], "bmV3");
        assert_eq!(body["data"]["token.previous"], "b2xk");
        assert_eq!(body["metadata"]["annotations"][ROTATION_ANNOTATION], "r-1");
        assert_eq!(
            body["metadata"]["annotations"][TOKEN_NAME_ANNOTATION],
            "op-2"
        );

        let forget = SecretWrite {
            previous: Change::Remove,
            rotation: Change::Remove,
            ..SecretWrite::default()
        };
        let body = forget.merge_patch(&target, None);
        assert_eq!(body["data"], json!({"token.previous": null}));
        assert_eq!(
            body["metadata"]["annotations"],
            json!({ROTATION_ANNOTATION: null})
        );
    }
}
