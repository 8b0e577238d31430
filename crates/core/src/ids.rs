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

/// The rule a backend name typed by the user must follow. OSMO documents no rule of its own for
/// backend names (`../shared/docs/osmo-api.md`), so the app uses its pool/platform rule: a letter
/// first, a letter or digit last, letters, digits, `_`, `.` and `-` between. It also keeps a name
/// usable as one file name (no `/`, no `..`, never absolute).
pub const BACKEND_NAME_RULE: &str = "^[a-zA-Z]([a-zA-Z0-9_.-]*[a-zA-Z0-9])?$";

/// A backend name that breaks [`BACKEND_NAME_RULE`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Backend name {name:?} must match {BACKEND_NAME_RULE}: start with a letter, end with a letter or digit, and use only letters, digits, '_', '.' and '-'.")]
pub struct InvalidBackendName {
    pub name: String,
}

impl InvalidBackendName {
    pub fn code(&self) -> crate::ErrorCode {
        crate::ErrorCode::InvalidInput
    }
}

impl BackendName {
    /// A name accepted from the user: it must follow [`BACKEND_NAME_RULE`].
    pub fn parse(value: &str) -> Result<Self, InvalidBackendName> {
        check_backend_name(value)?;
        Ok(Self(value.to_owned()))
    }
}

/// Whether `value` follows [`BACKEND_NAME_RULE`].
pub fn check_backend_name(value: &str) -> Result<(), InvalidBackendName> {
    let bytes = value.as_bytes();
    let inner_ok = |b: &u8| b.is_ascii_alphanumeric() || b"_.-".contains(b);
    let ok = match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphabetic()
                && last.is_ascii_alphanumeric()
                && bytes.iter().all(inner_ok)
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(InvalidBackendName {
            name: value.to_owned(),
        })
    }
}

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

    #[test]
    fn backend_names_follow_the_pool_rule_and_never_leave_their_folder() {
        for good in ["a", "gpu-east", "gpu.east_2", "A9", "a..b"] {
            assert!(BackendName::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "", "..", ".", "../x", "a/b", "/abs", "a\\b", "1gpu", "gpu-", "-gpu", " gpu",
            "gpu east", "gpü",
        ] {
            let err = BackendName::parse(bad).unwrap_err();
            assert_eq!(err.name, bad);
            assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
            assert!(err.to_string().contains(BACKEND_NAME_RULE), "{err}");
        }
    }
}
