//! [`SessionsError`]: why a Connections action failed, with an [`ErrorCode`] and a sentence.

use osmo_admin_core::settings::SettingsError;
use osmo_admin_core::{ErrorCode, ServiceId};
use osmo_admin_osmo_client::OsmoError;
use osmo_admin_secrets::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum SessionsError {
    /// The form was filled in wrongly; nothing was sent or saved.
    #[error("{0}")]
    InvalidInput(String),
    /// No service with that id (it was removed meanwhile).
    #[error("There is no OSMO service named \"{0}\"; it may have been removed. Reload the list.")]
    UnknownService(ServiceId),
    /// The service could not be reached or refused.
    #[error(transparent)]
    Osmo(#[from] OsmoError),
    /// The keyring refused.
    #[error(transparent)]
    Keyring(#[from] StoreError),
    /// The settings file could not be written.
    #[error(transparent)]
    Settings(#[from] SettingsError),
}

impl SessionsError {
    pub fn code(&self) -> ErrorCode {
        match self {
            SessionsError::InvalidInput(_) => ErrorCode::InvalidInput,
            SessionsError::UnknownService(_) => ErrorCode::NotFound,
            SessionsError::Osmo(e) => e.code(),
            SessionsError::Keyring(e) => e.code(),
            SessionsError::Settings(e) => e.code(),
        }
    }
}

pub type Result<T, E = SessionsError> = std::result::Result<T, E>;
