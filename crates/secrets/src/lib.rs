//! Secrets as a type.
//!
//! A [`Secret`] holds a token, a password or a key. Its `Debug` and `Display` print
//! [`REDACTED`], it has no `Serialize` (so it cannot reach a settings file or an IPC payload by
//! accident), and its memory is zeroed when dropped (via `secrecy`). Reading the value takes an
//! explicit [`Secret::expose`], which is easy to find in review.
//!
//! Storage: a [`SecretStore`] keeps one secret per (session id, [`SecretKind`]).
//! [`KeyringStore`] uses the OS keyring (Secret Service on Linux, Keychain on macOS, Credential
//! Manager on Windows), namespaced by [`BuildKind`] so a development build never reads or
//! overwrites a release build's entries; [`MemoryStore`] is for tests. A locked or missing keyring
//! is a [`StoreError::Unavailable`] (code `KeyringUnavailable`) that says what to do, never a panic.

mod keyring_store;
mod memory_store;
mod store;

pub use keyring_store::{BuildKind, KeyringStore};
pub use memory_store::MemoryStore;
pub use store::{SecretKind, SecretStore, StoreError};

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// What a secret prints as, everywhere.
pub const REDACTED: &str = "[redacted]";

/// A secret string that never prints itself.
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(SecretString::from(value.into()))
    }

    /// The value itself. Call it only where the value must leave the process: an HTTP header,
    /// the keyring, a Kubernetes secret, or the one-time display of a new token.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    pub fn is_empty(&self) -> bool {
        self.expose().is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({REDACTED})")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for Secret {}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const VALUE: &str = "osmo-token-5f3c9a1e";

    #[test]
    fn debug_and_display_redact_the_value() {
        let secret = Secret::new(VALUE);
        for printed in [
            format!("{secret:?}"),
            format!("{secret}"),
            format!("{secret:#?}"),
            format!("{:?}", Some(&secret)),
            format!("{:?}", vec![secret.clone()]),
        ] {
            assert!(!printed.contains(VALUE), "leaked: {printed}");
            assert!(printed.contains(REDACTED), "{printed}");
        }
    }

    #[test]
    fn a_struct_holding_a_secret_debug_prints_redacted() {
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Login {
            user: String,
            token: Secret,
        }
        let printed = format!(
            "{:?}",
            Login {
                user: "admin".into(),
                token: VALUE.to_owned().into(),
            }
        );
        assert!(
            printed.contains("admin") && !printed.contains(VALUE),
            "{printed}"
        );
    }

    #[test]
    fn expose_returns_the_value() {
        let secret = Secret::new(VALUE);
        assert_eq!(secret.expose(), VALUE);
        assert!(!secret.is_empty());
        assert!(Secret::new("").is_empty());
        assert_eq!(secret, Secret::new(VALUE));
    }

    // A secret must not be serializable: no settings file or IPC payload can carry one.
    static_assertions::assert_not_impl_any!(Secret: serde::Serialize);
}
