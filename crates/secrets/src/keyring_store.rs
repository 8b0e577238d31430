//! [`KeyringStore`]: secrets in the OS keyring via the `keyring` crate (3.6).
//!
//! One keyring entry per (session, kind): service = [`BuildKind::service_name`], account =
//! `<session>/<kind>`. Development builds use a different service name than release builds, so
//! running `cargo run` never reads or clobbers the entries of an installed app.
//!
//! A locked or missing keyring (`NoStorageAccess`, or `PlatformFailure` such as "Unable to
//! autolaunch a dbus-daemon without a $DISPLAY") becomes [`StoreError::Unavailable`] with advice.

use crate::store::{check_session_id, SecretKind, SecretStore, StoreError};
use crate::Secret;

/// Which build of the app owns the entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildKind {
    Release,
    Development,
}

impl BuildKind {
    /// The kind of the running build (`debug_assertions` on = development).
    pub fn current() -> Self {
        if cfg!(debug_assertions) {
            BuildKind::Development
        } else {
            BuildKind::Release
        }
    }

    /// The keyring service name of this build kind.
    pub fn service_name(self) -> &'static str {
        match self {
            BuildKind::Release => "io.github.osmo-backend-admin",
            BuildKind::Development => "io.github.osmo-backend-admin.dev",
        }
    }
}

/// Secrets in the OS keyring.
#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
}

impl KeyringStore {
    /// The store of the given build kind.
    pub fn new(kind: BuildKind) -> Self {
        Self::with_service(kind.service_name())
    }

    /// The store of the running build.
    pub fn for_current_build() -> Self {
        Self::new(BuildKind::current())
    }

    /// A store under an explicit service name (tests use a unique one).
    pub fn with_service(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    fn entry(
        &self,
        session: &str,
        kind: SecretKind,
        action: &'static str,
    ) -> Result<keyring::Entry, StoreError> {
        check_session_id(session)?;
        let account = format!("{session}/{}", kind.as_str());
        keyring::Entry::new(&self.service, &account)
            .map_err(|e| map_error(e, action, kind, session))
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, session: &str, kind: SecretKind) -> Result<Option<Secret>, StoreError> {
        let entry = self.entry(session, kind, "read")?;
        match entry.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e, "read", kind, session)),
        }
    }

    fn set(&self, session: &str, kind: SecretKind, secret: &Secret) -> Result<(), StoreError> {
        let entry = self.entry(session, kind, "save")?;
        entry
            .set_password(secret.expose())
            .map_err(|e| map_error(e, "save", kind, session))
    }

    fn delete(&self, session: &str, kind: SecretKind) -> Result<(), StoreError> {
        let entry = self.entry(session, kind, "delete")?;
        match entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_error(e, "delete", kind, session)),
        }
    }
}

/// What to do when the keyring is unavailable, per platform.
fn advice() -> &'static str {
    if cfg!(target_os = "macos") {
        "Unlock your login keychain (Keychain Access) and try again."
    } else if cfg!(windows) {
        "Make sure the Windows Credential Manager service is running and try again."
    } else {
        "Unlock your login keyring, or start a Secret Service provider (GNOME Keyring or KWallet) \
         in your desktop session, and try again."
    }
}

pub(crate) fn map_error(
    err: keyring::Error,
    action: &'static str,
    kind: SecretKind,
    session: &str,
) -> StoreError {
    match err {
        keyring::Error::NoStorageAccess(e) => StoreError::Unavailable {
            detail: format!("access refused or keyring locked: {e}"),
            advice: advice(),
        },
        keyring::Error::PlatformFailure(e) => StoreError::Unavailable {
            detail: format!("the keyring service failed: {e}"),
            advice: advice(),
        },
        other => StoreError::Failed {
            action,
            kind: kind.as_str(),
            session: session.to_owned(),
            detail: describe(&other),
        },
    }
}

/// Describes an error without printing any secret bytes (`BadEncoding` carries the value).
fn describe(err: &keyring::Error) -> String {
    match err {
        keyring::Error::BadEncoding(_) => "the stored value is not UTF-8 text".into(),
        keyring::Error::Ambiguous(found) => format!("{} matching entries were found", found.len()),
        other => other.to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use osmo_admin_core::ErrorCode;

    #[test]
    fn build_kinds_use_distinct_service_names() {
        assert_ne!(
            BuildKind::Release.service_name(),
            BuildKind::Development.service_name()
        );
        assert!(BuildKind::Development.service_name().ends_with(".dev"));
        assert_eq!(BuildKind::current(), BuildKind::Development); // tests are debug builds
        assert_eq!(
            KeyringStore::for_current_build().service(),
            "io.github.osmo-backend-admin.dev"
        );
    }

    #[test]
    fn locked_or_missing_keyring_maps_to_keyring_unavailable() {
        let dbus: Box<dyn std::error::Error + Send + Sync> =
            "Unable to autolaunch a dbus-daemon without a $DISPLAY for X11".into();
        let err = map_error(
            keyring::Error::PlatformFailure(dbus),
            "save",
            SecretKind::AccessToken,
            "s1",
        );
        assert_eq!(err.code(), ErrorCode::KeyringUnavailable);
        let text = err.to_string();
        assert!(text.contains("autolaunch"), "{text}");
        assert!(text.contains("Unlock") || text.contains("start"), "{text}");

        let locked: Box<dyn std::error::Error + Send + Sync> = "collection is locked".into();
        let err = map_error(
            keyring::Error::NoStorageAccess(locked),
            "read",
            SecretKind::IdToken,
            "s1",
        );
        assert_eq!(err.code(), ErrorCode::KeyringUnavailable);
    }

    #[test]
    fn bad_encoding_does_not_print_the_bytes() {
        let err = map_error(
            keyring::Error::BadEncoding(b"hunter2\xff".to_vec()),
            "read",
            SecretKind::AccessToken,
            "s1",
        );
        assert_eq!(err.code(), ErrorCode::Internal);
        let text = err.to_string();
        assert!(!text.contains("hunter2") && !text.contains("104"), "{text}");
        assert!(
            text.contains("access-token") && text.contains("s1"),
            "{text}"
        );
    }
}
