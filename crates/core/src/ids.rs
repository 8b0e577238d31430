//! Typed identities shared by every layer, IPC included.
//!
//! A service is identified by the unique name the user gave it ([`ServiceId`]); the keyring key of
//! its secrets is private to the sessions crate. A backend is only ever named together with its
//! service ([`BackendRef`]): two services may both have a `gpu-east`, and nothing of one may touch
//! the other's state.

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An OSMO service the user added (or the sandbox lent for the run), by its unique name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(transparent)]
pub struct ServiceId(String);

/// A backend's name in OSMO (unique within its service only).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(transparent)]
pub struct BackendName(String);

/// One backend of one service: the identity of a backend everywhere in the app.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
pub struct BackendRef {
    #[serde(alias = "session")]
    pub service: ServiceId,
    pub backend: BackendName,
}

macro_rules! string_id {
    ($name:ident) => {
        impl $name {
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

string_id!(ServiceId);
string_id!(BackendName);

impl BackendRef {
    pub fn new(service: impl Into<ServiceId>, backend: impl Into<BackendName>) -> Self {
        Self {
            service: service.into(),
            backend: backend.into(),
        }
    }

    /// Whether this is backend `backend` of service `service`.
    pub fn is(&self, service: &str, backend: &str) -> bool {
        self.service.as_str() == service && self.backend.as_str() == backend
    }
}

impl fmt::Display for BackendRef {
    /// `gpu-east (prod-osmo)`: how messages name a backend.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.backend, self.service)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain_strings_on_the_wire_and_refs_keep_both_parts() {
        let r = BackendRef::new("prod", "gpu-east");
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"service": "prod", "backend": "gpu-east"})
        );
        let old: BackendRef =
            serde_json::from_str(r#"{"session":"prod","backend":"gpu-east"}"#).unwrap();
        assert_eq!(old, r);
        assert_ne!(r, BackendRef::new("staging", "gpu-east"));
        assert_eq!(r.to_string(), "gpu-east (prod)");
    }
}
