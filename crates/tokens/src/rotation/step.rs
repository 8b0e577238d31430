//! The steps of a rotation and of its roll back, and the [`StepEvent`]s a live UI follows.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A step. The first five go forward in this order; the last three undo them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Step {
    CreateToken,
    WriteSecret,
    RestartOperator,
    WaitForHeartbeat,
    DeleteOldToken,
    RestoreSecret,
    RestartAgain,
    DeleteNewToken,
}

impl Step {
    pub const FORWARD: [Step; 5] = [
        Step::CreateToken,
        Step::WriteSecret,
        Step::RestartOperator,
        Step::WaitForHeartbeat,
        Step::DeleteOldToken,
    ];
    pub const ROLL_BACK: [Step; 3] = [
        Step::RestoreSecret,
        Step::RestartAgain,
        Step::DeleteNewToken,
    ];

    /// The step as the UI lists it.
    pub fn title(self) -> &'static str {
        match self {
            Step::CreateToken => "Create the new token",
            Step::WriteSecret => "Write it into the secret",
            Step::RestartOperator => "Restart the operator",
            Step::WaitForHeartbeat => "Wait for the backend's heartbeat",
            Step::DeleteOldToken => "Delete the old token",
            Step::RestoreSecret => "Restore the previous secret value",
            Step::RestartAgain => "Restart the operator again",
            Step::DeleteNewToken => "Delete the new token",
        }
    }
}

/// What happened to a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    Started,
    Finished,
    /// Nothing to do (e.g. no old token to delete, nothing to restore).
    Skipped,
    Failed,
}

/// One progress report. Holds no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepEvent {
    pub rotation_id: String,
    pub step: Step,
    pub phase: Phase,
    /// What was done, or on failure what failed and the state things are in.
    pub message: String,
    pub at: DateTime<Utc>,
}

/// Where [`StepEvent`]s go (e.g. a closure sending them into a channel or a Tauri event).
pub type EventSink = Arc<dyn Fn(StepEvent) + Send + Sync>;
