//! The [`SecretStore`] trait: where a session's secrets live between app runs.
//!
//! A secret is addressed by the session it belongs to (an opaque id chosen by the caller, e.g. the
//! connection id from the settings file) and its [`SecretKind`]. Stores are synchronous: the OS
//! keyrings are; call them from `spawn_blocking` in async code.

use osmo_admin_core::ErrorCode;

use crate::Secret;

/// Which secret of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretKind {
    /// An OSMO access token (service or personal), exchanged for short-lived JWTs.
    AccessToken,
    /// An identity-provider refresh token (device-code sign-in).
    RefreshToken,
    /// A JWT / id_token currently in use.
    IdToken,
}

impl SecretKind {
    pub const ALL: [SecretKind; 3] = [
        SecretKind::AccessToken,
        SecretKind::RefreshToken,
        SecretKind::IdToken,
    ];

    /// Stable name used in keyring entries; never change it (stored entries would be lost).
    pub fn as_str(self) -> &'static str {
        match self {
            SecretKind::AccessToken => "access-token",
            SecretKind::RefreshToken => "refresh-token",
            SecretKind::IdToken => "id-token",
        }
    }
}

/// Why a store call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The OS keyring is locked, missing or refused access.
    #[error("The system keyring is not available ({detail}). {advice}")]
    Unavailable {
        detail: String,
        advice: &'static str,
    },
    /// The session id cannot name a keyring entry.
    #[error("The session id {0:?} cannot be used to store a secret: use 1 to 200 characters without '/'.")]
    InvalidSessionId(String),
    /// The keyring answered something unexpected (bad encoding, duplicate entries, ...).
    #[error("The system keyring failed to {action} the {kind} of session {session}: {detail}. Please report this.")]
    Failed {
        action: &'static str,
        kind: &'static str,
        session: String,
        detail: String,
    },
}

impl StoreError {
    pub fn code(&self) -> ErrorCode {
        match self {
            StoreError::Unavailable { .. } => ErrorCode::KeyringUnavailable,
            StoreError::InvalidSessionId(_) => ErrorCode::InvalidInput,
            StoreError::Failed { .. } => ErrorCode::Internal,
        }
    }
}

/// Keeps secrets by (session id, kind).
pub trait SecretStore: Send + Sync {
    /// The secret, or `None` when none is stored.
    fn get(&self, session: &str, kind: SecretKind) -> Result<Option<Secret>, StoreError>;
    /// Stores or replaces the secret.
    fn set(&self, session: &str, kind: SecretKind, secret: &Secret) -> Result<(), StoreError>;
    /// Deletes the secret; deleting a missing one is not an error.
    fn delete(&self, session: &str, kind: SecretKind) -> Result<(), StoreError>;

    /// Deletes every kind of secret of a session (on "remove connection" or sign-out).
    fn delete_session(&self, session: &str) -> Result<(), StoreError> {
        for kind in SecretKind::ALL {
            self.delete(session, kind)?;
        }
        Ok(())
    }
}

pub(crate) fn check_session_id(session: &str) -> Result<(), StoreError> {
    if session.is_empty() || session.len() > 200 || session.contains('/') {
        return Err(StoreError::InvalidSessionId(session.to_owned()));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_distinct_stable_names() {
        let names: std::collections::HashSet<_> =
            SecretKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(names.len(), SecretKind::ALL.len());
        assert_eq!(SecretKind::AccessToken.as_str(), "access-token");
    }

    #[test]
    fn session_ids_are_checked() {
        assert!(check_session_id("conn-1").is_ok());
        for bad in ["", "a/b", &"x".repeat(201)] {
            let err = check_session_id(bad).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidInput);
        }
    }
}
