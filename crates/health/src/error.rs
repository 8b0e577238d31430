//! Errors of the health crate, each with an [`ErrorCode`] for the UI and a sentence for a person.

use std::path::PathBuf;
use std::time::Duration;

use osmo_admin_core::ErrorCode;
use osmo_admin_osmo_client::OsmoError;

/// What went wrong while polling a session or using the uptime history.
#[derive(Debug, thiserror::Error)]
pub enum HealthError {
    /// The OSMO service call failed (its message already says what, where and what to do).
    #[error(transparent)]
    Osmo(#[from] OsmoError),
    /// A poll did not finish within its timeout.
    #[error("Polling {session} did not finish within {} s; the service is slow or unreachable. It will be retried.", after.as_secs_f64())]
    Timeout { session: String, after: Duration },
    /// A source other than an OSMO session failed (fakes, future sources).
    #[error("{message}")]
    Source { code: ErrorCode, message: String },
    /// The uptime history database failed.
    #[error("The uptime history database {} failed: {source}. Check that the data folder is writable.", path.display())]
    Database {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    /// A file operation on the uptime history failed (e.g. moving a corrupt file aside).
    #[error("Could not {action} {}: {source}. Check the data folder's permissions.", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl HealthError {
    /// The code the UI branches on.
    pub fn code(&self) -> ErrorCode {
        match self {
            HealthError::Osmo(e) => e.code(),
            HealthError::Timeout { .. } => ErrorCode::Timeout,
            HealthError::Source { code, .. } => *code,
            HealthError::Database { .. } => ErrorCode::Io,
            HealthError::Io { .. } => ErrorCode::Io,
        }
    }
}

pub type Result<T, E = HealthError> = std::result::Result<T, E>;
