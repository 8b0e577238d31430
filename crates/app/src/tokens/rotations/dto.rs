//! What the Tokens screen receives about rotations: the views, the step list, the live progress
//! event, and what the cluster and the service showed when last checked. No secret anywhere.

use chrono::{DateTime, SecondsFormat, Utc};
use osmo_admin_core::{BackendName, ServiceId};
use osmo_admin_tokens::rotation::{Observed, Phase, Step, StepEvent, Watched};
use serde::Serialize;
use ts_rs::TS;

/// The payload of [`crate::AppEvent::RotationsChanged`]: which rotation stopped running, or was
/// checked again, or was marked resolved.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RotationsChanged {
    pub id: String,
}

/// A rotation step, as the UI names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StepDto {
    CreateToken,
    WriteSecret,
    RestartOperator,
    WaitForHeartbeat,
    DeleteOldToken,
    RestoreSecret,
    RestartAgain,
    DeleteNewToken,
}

impl From<Step> for StepDto {
    fn from(s: Step) -> Self {
        match s {
            Step::CreateToken => StepDto::CreateToken,
            Step::WriteSecret => StepDto::WriteSecret,
            Step::RestartOperator => StepDto::RestartOperator,
            Step::WaitForHeartbeat => StepDto::WaitForHeartbeat,
            Step::DeleteOldToken => StepDto::DeleteOldToken,
            Step::RestoreSecret => StepDto::RestoreSecret,
            Step::RestartAgain => StepDto::RestartAgain,
            Step::DeleteNewToken => StepDto::DeleteNewToken,
        }
    }
}

/// What happened to a step (`pending` and `running` are the list's own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StepStateDto {
    Pending,
    Running,
    Done,
    Skipped,
    Failed,
    /// The app stopped while the step ran.
    Interrupted,
}

/// The payload of `rotation-progress`. Holds no secret.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RotationProgress {
    pub rotation_id: String,
    pub step: StepDto,
    pub title: String,
    /// `running` (started), `done`, `skipped` or `failed`.
    pub state: StepStateDto,
    /// What was done, or what failed and the state things are in.
    pub message: String,
    /// UTC, RFC 3339.
    pub at: String,
}

/// One line of a rotation's step list.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StepView {
    pub step: StepDto,
    pub title: String,
    pub state: StepStateDto,
    pub message: Option<String>,
}

/// Where a rotation stands overall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RotationStatusDto {
    Running,
    Failed,
    Completed,
    RolledBack,
    /// Found unfinished on disk at start: resume it or roll it back.
    Interrupted,
    /// Its journal could not be read and was set aside (`setAside`): nothing can resume it. Look
    /// at what the cluster and the service show (`now`, `words`), put things right on the Tokens
    /// screen, then mark it resolved (`resolve_rotation`). Until then it blocks a new rotation of
    /// its backend.
    NeedsYou,
}

/// A journal that could not be read, kept aside.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetAsideDto {
    /// Where the file is now (kept, never deleted).
    pub file: String,
    /// Why it could not be read.
    pub reason: String,
    /// It blocks a new rotation of its backend until resolved (false when its backend cannot be
    /// told: it is listed by file only).
    pub blocks: bool,
}

/// What the cluster and the service showed when last checked (`check_rotations`).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RotationNowDto {
    /// UTC, RFC 3339.
    pub checked_at: String,
    /// Whether the token Secret exists (`null`: it could not be read; `notes` says why).
    pub secret_exists: Option<bool>,
    /// The token the Secret's annotations name (`null`: none named, or not read).
    pub secret_holder: Option<String>,
    /// Whether `<key>.previous` (the kept old value) is in the Secret (`null`: not read).
    pub previous_kept: Option<bool>,
    /// Of the rotation's tokens (old, new, the Secret's holder), those that exist in OSMO now
    /// (`null`: they could not be listed).
    pub tokens_existing: Option<Vec<String>>,
    /// Those of them that do not exist (`null`: not listed).
    pub tokens_missing: Option<Vec<String>>,
    /// The latest restart stamped on the operator's Deployments (UTC, RFC 3339; `null`: none, or
    /// not read).
    pub restarted_at: Option<String>,
    /// The backend's last heartbeat (UTC, RFC 3339; `null`: none, or not read).
    pub last_heartbeat: Option<String>,
    /// What could not be read, in words.
    pub notes: Vec<String>,
}

/// A rotation as the Tokens screen shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RotationView {
    /// The rotation's id; for a set-aside journal, the set-aside file's name.
    pub id: String,
    /// `null` only for a set-aside journal whose backend cannot be told.
    pub backend: Option<BackendName>,
    /// The session and context it runs with (`null` when an interrupted one did not record them).
    pub session: Option<ServiceId>,
    pub context: Option<String>,
    /// `namespace/name key k` (empty when a set-aside journal does not tell).
    pub secret: String,
    /// Empty when a set-aside journal does not tell.
    pub new_token: String,
    pub old_token: Option<String>,
    pub status: RotationStatusDto,
    pub rolling_back: bool,
    /// A background run is in progress now.
    pub running: bool,
    pub steps: Vec<StepView>,
    /// The exact state in words: for an interrupted or set-aside one, from what the cluster and
    /// the service showed when last checked (`now`), else only what its journal makes certain.
    pub words: String,
    pub failure: Option<String>,
    pub can_retry: bool,
    pub can_roll_back: bool,
    /// UTC, RFC 3339 (for a set-aside journal: when it was set aside).
    pub started_at: String,
    pub updated_at: String,
    /// The journal could not be read and was set aside (status `needs_you`).
    pub set_aside: Option<SetAsideDto>,
    /// What the cluster and the service showed when last checked (interrupted and set-aside
    /// ones; `null` until checked).
    pub now: Option<RotationNowDto>,
}

pub(crate) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(crate) fn phase_state(phase: Phase) -> StepStateDto {
    match phase {
        Phase::Started => StepStateDto::Running,
        Phase::Finished => StepStateDto::Done,
        Phase::Skipped => StepStateDto::Skipped,
        Phase::Failed => StepStateDto::Failed,
    }
}

pub(crate) fn progress(e: &StepEvent) -> RotationProgress {
    RotationProgress {
        rotation_id: e.rotation_id.clone(),
        step: e.step.into(),
        title: e.step.title().to_owned(),
        state: phase_state(e.phase),
        message: e.message.clone(),
        at: rfc3339(e.at),
    }
}

/// What was seen, for the screen; `watched` names the tokens that were asked about.
pub(crate) fn now_dto(watched: &Watched, seen: &Observed) -> RotationNowDto {
    let mut asked = watched.tokens.clone();
    if let Some(holder) = seen.secret.as_ref().and_then(|s| s.holder.clone()) {
        if !asked.contains(&holder) {
            asked.push(holder);
        }
    }
    let split = |exists: bool| {
        seen.existing.as_ref().map(|found| {
            asked
                .iter()
                .filter(|t| found.contains(t) == exists)
                .map(ToString::to_string)
                .collect()
        })
    };
    RotationNowDto {
        checked_at: rfc3339(seen.at),
        secret_exists: seen.secret.as_ref().map(|s| s.exists),
        secret_holder: seen
            .secret
            .as_ref()
            .and_then(|s| s.holder.as_ref())
            .map(ToString::to_string),
        previous_kept: seen.secret.as_ref().map(|s| s.previous_kept),
        tokens_existing: split(true),
        tokens_missing: split(false),
        restarted_at: seen.restarted_at.flatten().map(rfc3339),
        last_heartbeat: seen.last_heartbeat.flatten().map(rfc3339),
        notes: seen.notes.clone(),
    }
}
