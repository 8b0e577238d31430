//! The closed set of error codes that cross the IPC boundary.
//!
//! The UI switches on these, so a code is added only when the UI needs to tell it apart from the
//! others. The human sentence travels beside it as `message`; see `src-tauri/src/error.rs`.

use serde::Serialize;
use ts_rs::TS;

/// What kind of failure happened, in words the UI can branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The user's input was rejected before anything was sent; the message names the field.
    InvalidInput,
    /// A local file or folder could not be read or written; the message names the path.
    Io,
    /// A bug or an unexpected state inside the app; the message says what to report.
    Internal,
}

impl ErrorCode {
    /// Every code, for exhaustive tests and generated documentation.
    pub const ALL: [ErrorCode; 3] = [ErrorCode::InvalidInput, ErrorCode::Io, ErrorCode::Internal];
}
