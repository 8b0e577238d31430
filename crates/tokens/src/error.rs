//! [`TokensError`]: every way listing, creating, deleting or rotating a token can fail, with an
//! [`ErrorCode`] for the UI and a sentence saying what failed, where, and what to do.

use std::path::PathBuf;

use osmo_admin_core::ErrorCode;
use osmo_admin_kube::operator::KubeCallError;
use osmo_admin_osmo_client::OsmoError;

use crate::form::FieldError;

/// What failed.
#[derive(Debug, thiserror::Error)]
pub enum TokensError {
    /// The form broke the server's rules; nothing was sent. Each entry names its field.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "))]
    Invalid(Vec<FieldError>),
    /// 6.2+: the token's user lacks roles the token asks for (a token carries only roles its
    /// user holds); nothing was sent.
    #[error("User {user} does not hold the role(s) {}; a token can only carry roles its user holds. Add the role(s) to {user}, or choose other roles.", .roles.join(", "))]
    MissingRoles { user: String, roles: Vec<String> },
    /// The OSMO service refused or failed.
    #[error("{0}")]
    Osmo(#[from] OsmoError),
    /// A Kubernetes call failed (403, 404, 409, unreachable...): osmo-admin-kube's one mapping.
    /// Its timeouts and cancellations become [`TokensError::Timeout`] and [`TokensError::Cancelled`].
    #[error("{0}")]
    Kube(KubeCallError),
    /// No answer in time.
    #[error("No answer within {seconds} s while trying to {what}. Try again; check the network and the cluster.")]
    Timeout { what: String, seconds: u64 },
    /// The caller cancelled.
    #[error("The operation was cancelled.")]
    Cancelled,
    /// The backend sent no heartbeat newer than the operator's restart in time.
    #[error("Backend {backend} sent no heartbeat after the operator restart within {seconds} s (last heartbeat: {last}).")]
    NoHeartbeat {
        backend: String,
        seconds: u64,
        last: String,
    },
    /// The rotation journal could not be read or written.
    #[error("The rotation journal {} could not be {action}: {detail}. Check that the app's data folder is writable.", path.display())]
    Journal {
        path: PathBuf,
        action: &'static str,
        detail: String,
    },
    /// The operation does not make sense in the rotation's current state.
    #[error("{0}")]
    State(String),
}

impl TokensError {
    pub fn code(&self) -> ErrorCode {
        match self {
            TokensError::Invalid(_) | TokensError::MissingRoles { .. } => ErrorCode::InvalidInput,
            TokensError::Osmo(e) => e.code(),
            TokensError::Kube(e) => e.code(),
            TokensError::Timeout { .. } | TokensError::NoHeartbeat { .. } => ErrorCode::Timeout,
            TokensError::Cancelled => ErrorCode::Cancelled,
            TokensError::Journal { .. } => ErrorCode::Io,
            TokensError::State(_) => ErrorCode::Conflict,
        }
    }

    /// Maps an OSMO error, keeping cancellation as [`TokensError::Cancelled`].
    pub(crate) fn osmo(e: OsmoError) -> Self {
        match e {
            OsmoError::Cancelled => TokensError::Cancelled,
            other => TokensError::Osmo(other),
        }
    }
}

impl From<KubeCallError> for TokensError {
    fn from(e: KubeCallError) -> Self {
        match e {
            KubeCallError::Cancelled => TokensError::Cancelled,
            KubeCallError::Timeout { what, seconds } => TokensError::Timeout { what, seconds },
            other => TokensError::Kube(other),
        }
    }
}

/// True when the service says the token (or user) is not there: "… does not exist." / "not found".
pub(crate) fn is_gone(e: &OsmoError) -> bool {
    e.server_message()
        .is_some_and(|m| m.contains("does not exist") || m.contains("not found"))
}
