//! The one error type that crosses IPC: `{ code, message }`.
//!
//! Every library error is mapped here to a closed [`ErrorCode`] the UI can branch on and one
//! sentence a person understands (what failed, where, what to do). Never `Result<_, String>`.

use osmo_admin_core::settings::SettingsError;
use osmo_admin_core::ErrorCode;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
}

impl IpcError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl From<SettingsError> for IpcError {
    fn from(err: SettingsError) -> Self {
        let message = match &err {
            SettingsError::Invalid { .. } => format!("That setting was not saved: {err}."),
            SettingsError::Write { .. } => {
                format!("{err}. Check that the folder exists and is writable; your change was not saved.")
            }
        };
        Self::new(err.code(), message)
    }
}

impl From<osmo_admin_kube::Error> for IpcError {
    /// The library's messages already say what failed, where, and what to do next.
    fn from(err: osmo_admin_kube::Error) -> Self {
        Self::new(err.code(), err.to_string())
    }
}

impl From<osmo_admin_setup::SetupError> for IpcError {
    /// The library's messages say what failed, where, and what to do next (never a secret).
    fn from(err: osmo_admin_setup::SetupError) -> Self {
        Self::new(err.code(), err.to_string())
    }
}

impl From<osmo_admin_core::InvalidLink> for IpcError {
    fn from(err: osmo_admin_core::InvalidLink) -> Self {
        Self::new(err.code(), err.to_string())
    }
}

impl From<osmo_admin_kube::operator::KubeCallError> for IpcError {
    /// Says which Kubernetes call failed, where, and what to do.
    fn from(err: osmo_admin_kube::operator::KubeCallError) -> Self {
        Self::new(err.code(), err.to_string())
    }
}
