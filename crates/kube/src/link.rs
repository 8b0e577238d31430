//! Which Kubernetes context serves which OSMO backend.
//!
//! Scope: the serializable [`BackendLink`] and its validation. Non-goals: persistence (the app's
//! settings store it) and checking that the context exists (the Connections screen does that with
//! [`crate::KubeconfigSet::resolve`]).

use serde::{Deserialize, Serialize};

use crate::Error;

/// The namespace the OSMO backend operator is installed in unless the user says otherwise.
pub const DEFAULT_OPERATOR_NAMESPACE: &str = "osmo-operator";

fn default_operator_namespace() -> String {
    DEFAULT_OPERATOR_NAMESPACE.into()
}

/// Links backend `backend` of the OSMO session `session` to kubeconfig context `context`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackendLink {
    /// The OSMO session (service connection) the backend belongs to.
    pub session: String,
    /// The backend's name in OSMO.
    pub backend: String,
    /// The kubeconfig context of the backend's cluster.
    pub context: String,
    /// The namespace of the backend operator (default `osmo-operator`).
    #[serde(default = "default_operator_namespace")]
    pub operator_namespace: String,
}

impl BackendLink {
    /// A link with the default operator namespace.
    pub fn new(
        session: impl Into<String>,
        backend: impl Into<String>,
        context: impl Into<String>,
    ) -> Self {
        BackendLink {
            session: session.into(),
            backend: backend.into(),
            context: context.into(),
            operator_namespace: default_operator_namespace(),
        }
    }

    /// Checks every field: names are non-empty and free of control characters, and the operator
    /// namespace is a valid Kubernetes namespace name (a DNS label: at most 63 lowercase letters, digits
    /// and `-`, starting and ending with a letter or digit).
    pub fn validate(&self) -> Result<(), Error> {
        plain_name("session", &self.session)?;
        plain_name("backend", &self.backend)?;
        plain_name("context", &self.context)?;
        dns_label("operatorNamespace", &self.operator_namespace)
    }
}

fn plain_name(field: &'static str, value: &str) -> Result<(), Error> {
    let invalid = |reason: &str| {
        Err(Error::InvalidInput {
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

fn dns_label(field: &'static str, value: &str) -> Result<(), Error> {
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
        Err(Error::InvalidInput {
            field,
            reason: format!(
                "\"{value}\" is not a valid namespace name: use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit"
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use osmo_admin_core::ErrorCode;

    #[test]
    fn defaults_round_trip_and_validate() {
        let link = BackendLink::new("prod-osmo", "gpu-east", "east-admin");
        assert_eq!(link.operator_namespace, "osmo-operator");
        link.validate().expect("valid");
        let json = serde_json::to_value(&link).expect("serialize");
        assert_eq!(json["operatorNamespace"], "osmo-operator");
        let without_ns: BackendLink =
            serde_json::from_str(r#"{"session":"s","backend":"b","context":"c"}"#)
                .expect("deserialize");
        assert_eq!(without_ns.operator_namespace, DEFAULT_OPERATOR_NAMESPACE);
        let back: BackendLink = serde_json::from_value(json).expect("deserialize");
        assert_eq!(back, link);
    }

    #[test]
    fn bad_fields_are_named() {
        let cases = [
            (BackendLink::new("", "b", "c"), "session"),
            (BackendLink::new("s", " b", "c"), "backend"),
            (BackendLink::new("s", "b", "c\n"), "context"),
            (
                BackendLink {
                    operator_namespace: "Osmo_Operator".into(),
                    ..BackendLink::new("s", "b", "c")
                },
                "operatorNamespace",
            ),
            (
                BackendLink {
                    operator_namespace: "-x".into(),
                    ..BackendLink::new("s", "b", "c")
                },
                "operatorNamespace",
            ),
            (
                BackendLink {
                    operator_namespace: "a".repeat(64),
                    ..BackendLink::new("s", "b", "c")
                },
                "operatorNamespace",
            ),
        ];
        for (link, field) in cases {
            let err = link.validate().expect_err("invalid");
            assert_eq!(err.code(), ErrorCode::InvalidInput);
            assert!(err.to_string().starts_with(field), "{err}");
        }
    }
}
