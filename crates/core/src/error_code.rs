//! The closed set of error codes that cross the IPC boundary.
//!
//! The UI switches on these, so a code is added only when the UI needs to tell it apart from the
//! others. The human sentence travels beside it as `message`; see `src-tauri/src/error.rs`.

use serde::Serialize;
use ts_rs::TS;

/// What kind of failure happened, in words the UI can branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The user's input was rejected before anything was sent; the message names the field.
    InvalidInput,
    /// A local file or folder could not be read or written; the message names the path.
    Io,
    /// A kubeconfig file could not be parsed or is incomplete; the message names file and line.
    KubeconfigInvalid,
    /// The named context, backend, session or object does not exist.
    NotFound,
    /// The server could not be reached: connection refused, DNS failure, network down.
    Unreachable,
    /// TLS failed: unknown or wrong CA, expired or mismatched certificate.
    TlsFailed,
    /// The server did not answer in time; the call was abandoned.
    Timeout,
    /// The user cancelled the operation.
    Cancelled,
    /// The credentials were rejected (HTTP 401, invalid token).
    Unauthorized,
    /// The credentials are valid but not allowed to do this (HTTP 403); the message names what.
    Forbidden,
    /// The session's credentials expired or were revoked: the user must sign in again.
    SessionExpired,
    /// A Kubernetes exec credential plugin ran and failed; the message has its stderr.
    CredentialPluginFailed,
    /// A Kubernetes exec credential plugin never ran: it is not installed, not on the PATH or not
    /// executable; the message says where it was looked for.
    CredentialPluginNotStarted,
    /// The object changed or already exists (HTTP 409).
    Conflict,
    /// Something it depends on is not done or not there yet (an earlier setup step); the
    /// message says what to do first.
    NotReady,
    /// The server refused the request's contents (HTTP 400/422); the message names the fields.
    Rejected,
    /// The server failed (HTTP 5xx) or answered something that is not its API (HTML, garbage).
    ServerError,
    /// The OS keyring is locked, missing or refused access; the message says what to do.
    KeyringUnavailable,
    /// A bug or an unexpected state inside the app; the message says what to report.
    Internal,
}

impl ErrorCode {
    /// Every code, for exhaustive tests and generated documentation.
    pub const ALL: [ErrorCode; 19] = [
        ErrorCode::InvalidInput,
        ErrorCode::Io,
        ErrorCode::KubeconfigInvalid,
        ErrorCode::NotFound,
        ErrorCode::Unreachable,
        ErrorCode::TlsFailed,
        ErrorCode::Timeout,
        ErrorCode::Cancelled,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::SessionExpired,
        ErrorCode::CredentialPluginFailed,
        ErrorCode::CredentialPluginNotStarted,
        ErrorCode::Conflict,
        ErrorCode::NotReady,
        ErrorCode::Rejected,
        ErrorCode::ServerError,
        ErrorCode::KeyringUnavailable,
        ErrorCode::Internal,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_code_once() {
        // A new variant must be added to ALL (the match fails to compile otherwise).
        for code in ErrorCode::ALL {
            match code {
                ErrorCode::InvalidInput
                | ErrorCode::Io
                | ErrorCode::KubeconfigInvalid
                | ErrorCode::NotFound
                | ErrorCode::Unreachable
                | ErrorCode::TlsFailed
                | ErrorCode::Timeout
                | ErrorCode::Cancelled
                | ErrorCode::Unauthorized
                | ErrorCode::Forbidden
                | ErrorCode::SessionExpired
                | ErrorCode::CredentialPluginFailed
                | ErrorCode::CredentialPluginNotStarted
                | ErrorCode::Conflict
                | ErrorCode::NotReady
                | ErrorCode::Rejected
                | ErrorCode::ServerError
                | ErrorCode::KeyringUnavailable
                | ErrorCode::Internal => {}
            }
        }
        let unique: std::collections::HashSet<_> = ErrorCode::ALL.iter().collect();
        assert_eq!(unique.len(), ErrorCode::ALL.len());
    }
}
