//! What an earlier setup of a backend saved (`data_dir/setup/<service>/<backend>.json`), to
//! resume it. A file that cannot be read never blocks the Setup screen: the library sets it aside
//! (kept) and the progress view carries a notice saying where and why.

use chrono::{DateTime, Utc};
use osmo_admin_core::BackendRef;
use osmo_admin_setup::{Progress, SetAside, SetupPlan, StepId};
use serde::Serialize;
use ts_rs::TS;

use super::{defaults, plan_dto, rfc3339, setup_dir, SetupPlanDto, SetupStepDto};
use crate::error::IpcError;
use crate::AppCore;

/// A step an earlier run finished.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FinishedStepDto {
    pub step: SetupStepDto,
    /// UTC, RFC 3339.
    pub at: String,
    pub what: String,
}

/// A saved progress file that could not be read and was set aside.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProgressSetAsideDto {
    /// Where the file is now (kept, never deleted).
    pub file: String,
    /// Why it could not be read.
    pub reason: String,
    /// When it was set aside (UTC, RFC 3339; empty when not known).
    pub at: String,
    /// The notice in one sentence.
    pub message: String,
}

/// The saved progress of a backend's setup, to resume it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetupProgressDto {
    pub plan: SetupPlanDto,
    /// The session and context of the last run (`null` in files of earlier versions).
    pub session: Option<String>,
    pub context: Option<String>,
    pub finished: Vec<FinishedStepDto>,
    /// The first step not finished (`null`: all five are).
    pub next_step: Option<SetupStepDto>,
    pub updated_at: String,
    /// The saved progress could not be read, so it was set aside (kept): show this notice. It is
    /// set only when nothing was saved since. Nothing of that earlier run is known then:
    /// `finished` is empty, `nextStep` is the first step, `plan` is the form's defaults,
    /// `session`/`context` are `null` and `updatedAt` is when it was set aside; each step's check
    /// still shows what is there.
    pub set_aside: Option<ProgressSetAsideDto>,
}

fn set_aside_dto(backend: &BackendRef, aside: &SetAside) -> ProgressSetAsideDto {
    let file = aside.path.display().to_string();
    ProgressSetAsideDto {
        message: format!(
            "The saved setup progress of backend {backend} could not be read ({}), so it was set aside as {file} and kept. Each step's check still shows what is already there.",
            aside.reason
        ),
        file,
        reason: aside.reason.clone(),
        at: aside.at.map(rfc3339).unwrap_or_default(),
    }
}

/// The notice to show: the newest set-aside file, when nothing was saved after it.
fn notice(found: Option<&Progress>, newest: Option<SetAside>) -> Option<SetAside> {
    let newest = newest?;
    let saved_since = |p: &Progress| {
        let at: Option<DateTime<Utc>> = newest.at;
        at.is_none_or(|at| p.updated_at >= at)
    };
    match found {
        Some(p) if saved_since(p) => None,
        _ => Some(newest),
    }
}

/// What an earlier setup of `backend` finished (`null`: no saved progress and no notice).
pub fn progress(
    state: &AppCore,
    backend: &BackendRef,
) -> Result<Option<SetupProgressDto>, IpcError> {
    let name = backend.backend.as_str();
    if osmo_admin_core::check_backend_name(name).is_err() {
        return Ok(None);
    }
    let dir = setup_dir(state, &backend.service);
    let found = Progress::read(&dir, name);
    let newest = found
        .set_aside
        .clone()
        .or_else(|| Progress::set_aside_files(&dir, name).pop());
    let notice = notice(found.progress.as_ref(), newest);
    let set_aside = notice.as_ref().map(|a| set_aside_dto(backend, a));
    if let Some(progress) = found.progress {
        return Ok(Some(SetupProgressDto {
            plan: plan_dto(&progress.plan),
            session: progress.session.clone(),
            context: progress.context.clone(),
            finished: progress
                .finished
                .iter()
                .map(|f| FinishedStepDto {
                    step: f.step.into(),
                    at: rfc3339(f.at),
                    what: f.what.clone(),
                })
                .collect(),
            next_step: progress.next_step().map(Into::into),
            updated_at: rfc3339(progress.updated_at),
            set_aside,
        }));
    }
    let Some(aside) = notice else {
        return Ok(None);
    };
    let plan = defaults(state, &backend.service, name.to_owned(), None)
        .map(|d| d.plan)
        .unwrap_or_else(|_| plan_dto(&SetupPlan::new(name, "", "")));
    Ok(Some(SetupProgressDto {
        plan,
        session: None,
        context: None,
        finished: Vec::new(),
        next_step: Some(StepId::Token.into()),
        updated_at: aside.at.map(rfc3339).unwrap_or_default(),
        set_aside,
    }))
}
