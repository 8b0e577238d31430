//! Which Kubernetes context serves which OSMO backend: the one backend-link type of the app, used
//! by the settings file, the sandbox's loan, the core and IPC. It is valid once built: the only
//! ways to get one ([`BackendLink::new`] and deserializing) check every field.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ids::{BackendName, BackendRef, ServiceId};
use crate::ErrorCode;

/// The namespace the OSMO backend operator is installed in unless the user says otherwise.
pub const DEFAULT_OPERATOR_NAMESPACE: &str = "osmo-operator";

/// Backend `backend` of service `service` runs on the cluster of kubeconfig context `context`,
/// its operator in `operator_namespace`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", try_from = "UncheckedLink")]
pub struct BackendLink {
    service: ServiceId,
    backend: BackendName,
    context: String,
    operator_namespace: String,
}

/// A field of a link that breaks its rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} {reason}")]
pub struct InvalidLink {
    pub field: &'static str,
    pub reason: String,
}

impl InvalidLink {
    pub fn code(&self) -> ErrorCode {
        ErrorCode::InvalidInput
    }
}

/// The stored or sent shape, before its rules are checked (older settings files say `session`
/// and `operator_namespace`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UncheckedLink {
    #[serde(alias = "session")]
    service: String,
    backend: String,
    context: String,
    #[serde(default, alias = "operator_namespace")]
    operator_namespace: Option<String>,
}

impl TryFrom<UncheckedLink> for BackendLink {
    type Error = InvalidLink;

    fn try_from(raw: UncheckedLink) -> Result<Self, InvalidLink> {
        BackendLink::new(
            BackendRef::new(raw.service, raw.backend),
            raw.context,
            raw.operator_namespace.as_deref(),
        )
    }
}

impl BackendLink {
    /// Checks every field: the backend name follows [`crate::BACKEND_NAME_RULE`], the other names
    /// are non-empty and free of control characters and surrounding spaces, and the operator namespace (default `osmo-operator`) is a Kubernetes namespace name.
    pub fn new(
        backend: BackendRef,
        context: impl Into<String>,
        operator_namespace: Option<&str>,
    ) -> Result<Self, InvalidLink> {
        let context = context.into();
        let operator_namespace = operator_namespace
            .map(str::trim)
            .filter(|ns| !ns.is_empty())
            .unwrap_or(DEFAULT_OPERATOR_NAMESPACE)
            .to_owned();
        plain_name("service", &backend.service)?;
        crate::ids::check_backend_name(&backend.backend).map_err(|_| InvalidLink {
            field: "backend",
            reason: format!(
                "\"{}\" is not a backend name OSMO accepts: start with a letter, end with a letter or digit, and use only letters, digits, '_', '.' and '-'",
                backend.backend
            ),
        })?;
        plain_name("context", &context)?;
        namespace_name("operatorNamespace", &operator_namespace)?;
        Ok(Self {
            service: backend.service,
            backend: backend.backend,
            context,
            operator_namespace,
        })
    }

    pub fn backend(&self) -> BackendRef {
        BackendRef::new(self.service.clone(), self.backend.clone())
    }

    /// Whether this link is for `backend`.
    pub fn is_for(&self, backend: &BackendRef) -> bool {
        self.service == backend.service && self.backend == backend.backend
    }

    pub fn service(&self) -> &ServiceId {
        &self.service
    }

    pub fn backend_name(&self) -> &BackendName {
        &self.backend
    }

    pub fn context(&self) -> &str {
        &self.context
    }

    pub fn operator_namespace(&self) -> &str {
        &self.operator_namespace
    }
}

fn plain_name(field: &'static str, value: &str) -> Result<(), InvalidLink> {
    let invalid = |reason: &str| {
        Err(InvalidLink {
            field,
            reason: reason.into(),
        })
    };
    if value.trim().is_empty() {
        return invalid("must not be empty");
    }
    if value.trim() != value {
        return invalid("must not start or end with spaces");
    }
    if value.chars().any(char::is_control) {
        return invalid("must not contain control characters");
    }
    Ok(())
}

/// A Kubernetes namespace name: a DNS label of at most 63 lowercase letters, digits and `-`,
/// starting and ending with a letter or digit.
pub fn namespace_name(field: &'static str, value: &str) -> Result<(), InvalidLink> {
    let ok = !value.is_empty()
        && value.len() <= 63
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(InvalidLink {
            field,
            reason: format!(
                "\"{value}\" is not a valid namespace name: use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit"
            ),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn link(
        service: &str,
        backend: &str,
        context: &str,
        ns: Option<&str>,
    ) -> Result<BackendLink, InvalidLink> {
        BackendLink::new(BackendRef::new(service, backend), context, ns)
    }

    #[test]
    fn defaults_round_trip_and_old_files_still_load() {
        let l = link("prod-osmo", "gpu-east", "east-admin", None).unwrap();
        assert_eq!(l.operator_namespace(), "osmo-operator");
        let json = serde_json::to_value(&l).unwrap();
        assert_eq!(json["operatorNamespace"], "osmo-operator");
        assert_eq!(json["service"], "prod-osmo");
        let back: BackendLink = serde_json::from_value(json).unwrap();
        assert_eq!(back, l);
        let old: BackendLink = serde_json::from_str(
            r#"{"session":"prod-osmo","backend":"gpu-east","context":"east-admin","operator_namespace":"ops"}"#,
        )
        .unwrap();
        assert_eq!(old.operator_namespace(), "ops");
        assert!(old.is_for(&BackendRef::new("prod-osmo", "gpu-east")));
        assert!(!old.is_for(&BackendRef::new("staging", "gpu-east")));
    }

    #[test]
    fn bad_fields_are_named_and_cannot_be_deserialized_either() {
        let cases = [
            (link("", "b", "c", None), "service"),
            (link("s", " b", "c", None), "backend"),
            (link("s", "../x", "c", None), "backend"),
            (link("s", "/abs", "c", None), "backend"),
            (link("s", "a/b", "c", None), "backend"),
            (link("s", "b", "c\n", None), "context"),
            (
                link("s", "b", "c", Some("Osmo_Operator")),
                "operatorNamespace",
            ),
            (link("s", "b", "c", Some("-x")), "operatorNamespace"),
            (
                link("s", "b", "c", Some(&"a".repeat(64))),
                "operatorNamespace",
            ),
        ];
        for (result, field) in cases {
            let err = result.unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidInput);
            assert_eq!(err.field, field, "{err}");
        }
        let bad = serde_json::from_str::<BackendLink>(
            r#"{"service":"s","backend":"b","context":"c","operatorNamespace":"-x"}"#,
        );
        assert!(bad.is_err());
        let outside = serde_json::from_str::<BackendLink>(
            r#"{"service":"s","backend":"../../etc","context":"c"}"#,
        );
        assert!(outside.is_err());
    }
}
