//! The token rotations of this run: each one an `osmo-admin-tokens` [`Rotation`] run in the
//! background (its [`StepEvent`]s sent as [`AppEvent::RotationProgress`], its end as
//! [`AppEvent::RotationsChanged`]), and the unfinished ones found in `data_dir/rotations` when the
//! app starts (listed as interrupted: the user resumes or rolls back; nothing runs by itself).
//!
//! The journal does not say which session and context a rotation used, so a small sidecar
//! `<id>.link` (JSON, not `.json`, so the library's scan skips it) records them for a resume.
//! The scan happens on first use as well as at start.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};

use chrono::{DateTime, SecondsFormat, Utc};
use osmo_admin_osmo_client::{CancellationToken, Session};
use osmo_admin_tokens::rotation::{
    unfinished, Direction, Journal, Phase, Rotation, RotationPlan, RotationState, Status, Step,
    StepEvent,
};
use osmo_admin_tokens::{Rules, TokensError};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use osmo_admin_core::{BackendName, ServiceId};

use crate::events::AppEvent;
use crate::operations::Operation;
use crate::{lock, WeakCore};

/// The payload of [`AppEvent::RotationsChanged`]: which rotation stopped running.
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
}

/// A rotation as the Tokens screen shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RotationView {
    pub id: String,
    pub backend: BackendName,
    /// The session and context it runs with (`null` when an interrupted one did not record them).
    pub session: Option<ServiceId>,
    pub context: Option<String>,
    /// `namespace/name key k`.
    pub secret: String,
    pub new_token: String,
    pub old_token: Option<String>,
    pub status: RotationStatusDto,
    pub rolling_back: bool,
    /// A background run is in progress now.
    pub running: bool,
    pub steps: Vec<StepView>,
    /// The exact state in words.
    pub words: String,
    pub failure: Option<String>,
    pub can_retry: bool,
    pub can_roll_back: bool,
    /// UTC, RFC 3339.
    pub started_at: String,
    pub updated_at: String,
}

/// The session and context a rotation uses, kept beside its journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RotationLink {
    pub session: String,
    pub context: String,
}

struct Entry {
    path: PathBuf,
    link: Option<RotationLink>,
    journal: Journal,
    /// `None` for an interrupted rotation not resumed yet.
    rotation: Option<Arc<tokio::sync::Mutex<Rotation>>>,
    /// The library's state as of the end of the last run.
    state: Option<RotationState>,
    running: bool,
    events: Vec<StepEvent>,
}

#[derive(Default)]
struct Inner {
    scanned: bool,
    entries: BTreeMap<String, Entry>,
    /// Journals that could not be read, in words.
    unreadable: Vec<String>,
}

/// What to do with a rotation in the background.
#[derive(Debug, Clone, Copy)]
pub enum Action {
    Run,
    Retry,
    RollBack,
}

pub struct Rotations {
    dir: PathBuf,
    inner: Mutex<Inner>,
    core: Mutex<Option<WeakCore>>,
    me: Weak<Rotations>,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn phase_state(phase: Phase) -> StepStateDto {
    match phase {
        Phase::Started => StepStateDto::Running,
        Phase::Finished => StepStateDto::Done,
        Phase::Skipped => StepStateDto::Skipped,
        Phase::Failed => StepStateDto::Failed,
    }
}

fn progress(e: &StepEvent) -> RotationProgress {
    RotationProgress {
        rotation_id: e.rotation_id.clone(),
        step: e.step.into(),
        title: e.step.title().to_owned(),
        state: phase_state(e.phase),
        message: e.message.clone(),
        at: rfc3339(e.at),
    }
}

fn link_path(journal: &Path) -> PathBuf {
    journal.with_extension("link")
}

fn read_link(journal: &Path) -> Option<RotationLink> {
    let text = std::fs::read_to_string(link_path(journal)).ok()?;
    serde_json::from_str(&text).ok()
}

/// The step list: the journal's facts, overridden by this run's events.
fn steps(entry: &Entry) -> Vec<StepView> {
    let j = &entry.journal;
    let rolling = j.direction == Direction::RollingBack
        || entry
            .events
            .iter()
            .any(|e| Step::ROLL_BACK.contains(&e.step));
    let list: Vec<Step> = Step::FORWARD
        .iter()
        .chain(if rolling { &Step::ROLL_BACK[..] } else { &[] })
        .copied()
        .collect();
    let open = matches!(j.status, Status::Running | Status::Failed);
    list.into_iter()
        .map(|step| {
            let last = entry.events.iter().rev().find(|e| e.step == step);
            let (state, message) = match last {
                Some(e) => (phase_state(e.phase), Some(e.message.clone())),
                None => {
                    let done = if Step::FORWARD.contains(&step) {
                        j.reached.is_some_and(|r| step <= r)
                    } else {
                        j.rolled_back.contains(&step)
                    };
                    let state = if done {
                        StepStateDto::Done
                    } else if open && j.in_progress == Some(step) {
                        if j.status == Status::Failed {
                            StepStateDto::Failed
                        } else {
                            StepStateDto::Interrupted
                        }
                    } else {
                        StepStateDto::Pending
                    };
                    (state, None)
                }
            };
            StepView {
                step: step.into(),
                title: step.title().to_owned(),
                state,
                message,
            }
        })
        .collect()
}

/// Words for a rotation read from disk (the library's own words need a connected rotation).
fn interrupted_words(j: &Journal) -> String {
    let new = &j.new_token.name;
    let where_ = match (j.direction, j.reached) {
        (Direction::RollingBack, _) => format!(
            "It was rolling back ({} of 3 undo steps done).",
            j.rolled_back.len()
        ),
        (_, None) if j.create_attempted => format!(
            "The old token is still in the secret; the new token {new} may exist in OSMO."
        ),
        (_, None) => "Nothing had changed yet: the old token is still in the secret.".to_owned(),
        (_, Some(Step::CreateToken)) => format!(
            "The new token {new} exists in OSMO but was not written into the secret; the old token is still in use."
        ),
        (_, Some(Step::WriteSecret)) => format!(
            "The new token {new} is in the secret (the previous value is kept beside it), but the operator was not restarted."
        ),
        (_, Some(Step::RestartOperator)) => format!(
            "The new token {new} is in the secret and the operator was restarted; it had not come back online yet."
        ),
        (_, Some(_)) => format!(
            "The backend came back online with the new token {new}; the old token was not deleted yet."
        ),
    };
    match (&j.status, &j.failure) {
        (Status::Failed, Some(failure)) => format!(
            "Stopped in an earlier run after a failure: {failure} {where_} Retry it or roll it back."
        ),
        _ => format!("Interrupted when the app stopped. {where_} Resume it or roll it back."),
    }
}

impl Rotations {
    pub fn new(dir: PathBuf) -> Arc<Self> {
        Arc::new_cyclic(|me| Self {
            dir,
            inner: Mutex::new(Inner::default()),
            core: Mutex::new(None),
            me: me.clone(),
        })
    }

    /// Where the journals live (`data_dir/rotations`).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where events go.
    pub(crate) fn connect(&self, core: WeakCore) {
        *lock(&self.core) = Some(core);
    }

    fn send(&self, event: AppEvent) {
        let core = lock(&self.core).as_ref().and_then(WeakCore::upgrade);
        if let Some(core) = core {
            core.events.emit(event);
        }
    }

    /// Finds the unfinished journals once (at start, or on first use).
    pub fn scan(&self) {
        let mut inner = lock(&self.inner);
        if inner.scanned {
            return;
        }
        inner.scanned = true;
        for found in unfinished(&self.dir) {
            match found {
                Ok((path, journal)) => {
                    tracing::info!(rotation = %journal.id, backend = %journal.plan.backend, "unfinished rotation found");
                    let link = read_link(&path);
                    inner.entries.entry(journal.id.clone()).or_insert(Entry {
                        path,
                        link,
                        journal,
                        rotation: None,
                        state: None,
                        running: false,
                        events: Vec::new(),
                    });
                }
                Err(e) => {
                    tracing::warn!(%e, "unreadable rotation journal");
                    inner.unreadable.push(e.to_string());
                }
            }
        }
    }

    /// Journals that could not be read, in words.
    pub fn unreadable(&self) -> Vec<String> {
        self.scan();
        lock(&self.inner).unreadable.clone()
    }

    fn view_of(entry: &Entry) -> RotationView {
        let j = &entry.journal;
        let interrupted = entry.rotation.is_none() && j.is_unfinished() && !entry.running;
        let status = if entry.running {
            RotationStatusDto::Running
        } else if interrupted {
            RotationStatusDto::Interrupted
        } else {
            match j.status {
                Status::Running => RotationStatusDto::Running,
                Status::Failed => RotationStatusDto::Failed,
                Status::Completed => RotationStatusDto::Completed,
                Status::RolledBack => RotationStatusDto::RolledBack,
            }
        };
        let (words, can_retry, can_roll_back) = match (&entry.state, interrupted) {
            (_, true) => (
                interrupted_words(j),
                true,
                j.reached != Some(Step::DeleteOldToken),
            ),
            (Some(s), false) if !entry.running => (s.words.clone(), s.can_retry, s.can_roll_back),
            _ => (
                format!(
                    "Rotating the token of backend {}: see the steps below.",
                    j.plan.backend
                ),
                false,
                false,
            ),
        };
        RotationView {
            id: j.id.clone(),
            backend: BackendName::new(j.plan.backend.as_str()),
            session: entry
                .link
                .as_ref()
                .map(|l| ServiceId::new(l.session.as_str())),
            context: entry.link.as_ref().map(|l| l.context.clone()),
            secret: j.plan.secret.to_string(),
            new_token: j.new_token.name.clone(),
            old_token: j.plan.old_token.as_ref().map(ToString::to_string),
            status,
            rolling_back: j.direction == Direction::RollingBack,
            running: entry.running,
            steps: steps(entry),
            words,
            failure: if entry.running {
                None
            } else {
                j.failure.clone()
            },
            can_retry: can_retry && !entry.running,
            can_roll_back: can_roll_back && !entry.running,
            started_at: rfc3339(j.created_at),
            updated_at: rfc3339(j.updated_at),
        }
    }

    /// Every rotation of this run and every interrupted one, newest first.
    pub fn list(&self) -> Vec<RotationView> {
        self.scan();
        let inner = lock(&self.inner);
        let mut views: Vec<RotationView> = inner.entries.values().map(Self::view_of).collect();
        views.sort_by(|a, b| b.started_at.cmp(&a.started_at));
        views
    }

    pub fn get(&self, id: &str) -> Result<RotationView, TokensError> {
        self.scan();
        let inner = lock(&self.inner);
        inner
            .entries
            .get(id)
            .map(Self::view_of)
            .ok_or_else(|| unknown(id))
    }

    /// The session and context recorded for `id`, if any.
    pub fn link(&self, id: &str) -> Result<Option<RotationLink>, TokensError> {
        self.scan();
        let inner = lock(&self.inner);
        let entry = inner.entries.get(id).ok_or_else(|| unknown(id))?;
        Ok(entry.link.clone())
    }

    /// Whether `id` needs connecting first (an interrupted rotation not resumed in this run).
    pub fn needs_resume(&self, id: &str) -> Result<bool, TokensError> {
        self.scan();
        let inner = lock(&self.inner);
        let entry = inner.entries.get(id).ok_or_else(|| unknown(id))?;
        Ok(entry.rotation.is_none())
    }

    /// Starts a new rotation (journal written, nothing sent) and runs it in the background.
    pub fn start(
        &self,
        link: RotationLink,
        session: Arc<Session>,
        client: kube::Client,
        plan: RotationPlan,
        rules: &Rules,
        begin: impl FnOnce() -> Operation,
    ) -> Result<RotationView, TokensError> {
        self.scan();
        let rotation = Rotation::start(session, client, plan, &self.dir, rules)?;
        let path = rotation.journal_path().to_owned();
        if let Ok(text) = serde_json::to_string(&link) {
            if let Err(e) = std::fs::write(link_path(&path), text) {
                tracing::warn!(%e, "could not record the rotation's session and context");
            }
        }
        let id = rotation.journal().id.clone();
        let entry = Entry {
            path,
            link: Some(link),
            journal: rotation.journal().clone(),
            rotation: None,
            state: Some(rotation.state()),
            running: false,
            events: Vec::new(),
        };
        lock(&self.inner).entries.insert(id.clone(), entry);
        self.attach(&id, rotation);
        self.launch(&id, Action::Run, begin)
    }

    /// Connects an interrupted rotation (`Rotation::resume`), so it can run or roll back.
    pub fn resume(
        &self,
        id: &str,
        link: RotationLink,
        session: Arc<Session>,
        client: kube::Client,
    ) -> Result<(), TokensError> {
        let path = {
            let inner = lock(&self.inner);
            inner
                .entries
                .get(id)
                .ok_or_else(|| unknown(id))?
                .path
                .clone()
        };
        let rotation = Rotation::resume(session, client, &path)?;
        if let Ok(text) = serde_json::to_string(&link) {
            let _ = std::fs::write(link_path(&path), text);
        }
        if let Some(entry) = lock(&self.inner).entries.get_mut(id) {
            entry.link = Some(link);
        }
        self.attach(id, rotation);
        Ok(())
    }

    fn attach(&self, id: &str, mut rotation: Rotation) {
        let me = self.me.clone();
        rotation.on_event(Arc::new(move |event: StepEvent| {
            if let Some(me) = me.upgrade() {
                me.on_event(event);
            }
        }));
        if let Some(entry) = lock(&self.inner).entries.get_mut(id) {
            entry.rotation = Some(Arc::new(tokio::sync::Mutex::new(rotation)));
        }
    }

    fn on_event(&self, event: StepEvent) {
        let payload = progress(&event);
        if let Some(entry) = lock(&self.inner).entries.get_mut(&event.rotation_id) {
            entry.events.push(event);
        }
        self.send(AppEvent::RotationProgress(payload));
    }

    /// Runs `action` on rotation `id` in the background; refused while it already runs.
    /// `begin` registers the cancellable operation, only once the run is accepted (a refused
    /// request must not cancel the run under the same name).
    pub fn launch(
        &self,
        id: &str,
        action: Action,
        begin: impl FnOnce() -> Operation,
    ) -> Result<RotationView, TokensError> {
        let rotation = {
            let mut inner = lock(&self.inner);
            let entry = inner.entries.get_mut(id).ok_or_else(|| unknown(id))?;
            if entry.running {
                return Err(TokensError::State(format!(
                    "Rotation {id} is running already; wait for it to stop."
                )));
            }
            let rotation = entry.rotation.clone().ok_or_else(|| {
                TokensError::State(format!(
                    "Rotation {id} was interrupted; resume it with its session and context first."
                ))
            })?;
            entry.running = true;
            if matches!(action, Action::RollBack) {
                entry.journal.direction = Direction::RollingBack;
            }
            rotation
        };
        let running = begin();
        let me = self.me.clone();
        let id_owned = id.to_owned();
        tokio::spawn(async move {
            let cancel: CancellationToken = running.token().clone();
            let mut r = rotation.lock().await;
            let result = match action {
                Action::Run => r.run(&cancel).await,
                Action::Retry => r.retry_step(&cancel).await,
                Action::RollBack => r.roll_back(&cancel).await,
            };
            let state = r.state();
            let journal = r.journal().clone();
            drop(r);
            drop(running);
            if let Err(e) = &result {
                tracing::warn!(rotation = %id_owned, code = ?e.code(), "rotation stopped: {e}");
            }
            if let Some(me) = me.upgrade() {
                if let Some(entry) = lock(&me.inner).entries.get_mut(&id_owned) {
                    entry.running = false;
                    entry.state = Some(state);
                    entry.journal = journal;
                }
                me.send(AppEvent::RotationsChanged(RotationsChanged {
                    id: id_owned,
                }));
            }
        });
        self.get(id)
    }
}

fn unknown(id: &str) -> TokensError {
    TokensError::State(format!(
        "There is no rotation {id}: it finished in an earlier run or never existed."
    ))
}
