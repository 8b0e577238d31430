//! Rotating a backend's token as a resumable state machine (product.md "Rotate a token").
//!
//! Forward: (1) create the new token; (2) write it into the Secret, keeping the previous value
//! in `<key>.previous` of the same Secret; (3) rollout restart of the operator Deployments;
//! (4) wait until the backend's `last_heartbeat` is newer than the restart; (5) delete the old
//! token (unless asked not to) and drop `<key>.previous`. Roll back: restore the previous value,
//! restart again, delete the new token. Each step is journaled before and after it runs
//! ([`Journal`], no secret values), so after a crash or quit [`Rotation::resume`] picks it up:
//! [`Rotation::run`] continues, [`Rotation::roll_back`] undoes. A failure stops the rotation with
//! the state in words ([`Rotation::state`]) and offers [`Rotation::retry_step`] or
//! [`Rotation::roll_back`].
//!
//! Invariant: at every moment the Secret holds a token the service accepts, or the caller holds
//! the new one ([`Rotation::new_token_value`], between steps 1 and 2). The old token is deleted
//! only after the backend heartbeated past the restart, and a roll back refuses to restore an
//! old token the service no longer has.
//!
//! After a crash: a journal that cannot be read is never dropped ([`set_aside`]: moved aside,
//! kept, listed with what can still be read of it, blocking a new rotation of the same backend
//! and Secret until [`mark_resolved`]); and a rotation found on disk is described from what the
//! cluster and the service show now ([`observe`], [`now_in_words`]), not from the journal's last
//! entry, which may be behind (the app may stop right after a step's effect).
//!
//! Known limit: the heartbeat check compares the operator's heartbeat time with this machine's
//! clock at the restart; a clock skew of the cluster can make it pass early or wait longer.

pub mod cluster;
mod forward;
pub mod journal;
pub mod observe;
pub mod plan;
mod roll_back;
pub mod salvage;
pub mod set_aside;
pub mod step;
pub mod truth;
mod words;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Utc;
use osmo_admin_osmo_client::{CancellationToken, Session};
use osmo_admin_secrets::Secret;
use serde::Serialize;

pub use cluster::{
    token_in_secret, RESTARTED_AT_ANNOTATION, ROTATION_ANNOTATION, TOKEN_NAME_ANNOTATION,
    TOKEN_OWNER_ANNOTATION,
};
pub use journal::{new_id, scan, unfinished, unfinished_for, Direction, Journal, Scan, Status};
pub use observe::{observe, Watched};
pub use plan::{
    derived_token_name, Deployments, RotationPlan, SecretTarget, LISTENER_DEPLOYMENT,
    WORKER_DEPLOYMENT,
};
pub use salvage::JournalFacts;
pub use set_aside::{mark_resolved, set_aside_for, set_aside_journals, SetAside};
pub use step::{EventSink, Phase, Step, StepEvent};
pub use truth::{now_in_words, set_aside_in_words, Observed, SecretSeen, Truth};

use crate::error::TokensError;
use crate::form::{validate, Rules};
use crate::Limits;

/// Where a rotation stands, for the screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RotationState {
    pub id: String,
    pub status: Status,
    pub direction: Direction,
    pub reached: Option<Step>,
    /// The step that failed or was interrupted.
    pub stopped_at: Option<Step>,
    /// The exact state in words ("the new token is in the secret, the operator has not come back online").
    pub words: String,
    pub failure: Option<String>,
    pub can_retry: bool,
    pub can_roll_back: bool,
}

/// One rotation of one backend's token.
pub struct Rotation {
    session: Arc<Session>,
    client: kube::Client,
    journal: Journal,
    path: PathBuf,
    /// The new token's value, from creation until it is safely in the Secret.
    new_value: Option<Secret>,
    /// Set by `resume`: the cluster must be consulted before continuing.
    needs_reconcile: bool,
    /// Resumed, and no step has run since: the journal's last entry may be behind the truth.
    untouched: bool,
    /// What the cluster and the service showed ([`Rotation::observe`]) while `untouched`.
    seen: Option<Observed>,
    sink: Option<EventSink>,
}

impl Rotation {
    /// Validates the plan's new token (`rules`: today and the maximum lifetime) and writes the
    /// journal `journal_dir/<id>.json`. Nothing is sent yet; call [`Rotation::run`].
    pub fn start(
        session: Arc<Session>,
        client: kube::Client,
        plan: RotationPlan,
        journal_dir: &Path,
        rules: &Rules,
    ) -> Result<Self, TokensError> {
        let valid =
            validate(&plan.new_token, session.dialect(), rules).map_err(TokensError::Invalid)?;
        if plan
            .old_token
            .as_ref()
            .is_some_and(|o| o.owner == valid.owner && o.name == valid.name)
        {
            return Err(TokensError::State(format!(
                "The new token must have another name than the old one ({}).",
                valid.name
            )));
        }
        if let Some(id) = unfinished_for(journal_dir, &plan) {
            return Err(TokensError::State(format!(
                "Rotation {id} of backend {} has not finished; resume it or roll it back first.",
                plan.backend
            )));
        }
        if let Some(aside) = set_aside_for(journal_dir, &plan) {
            return Err(TokensError::State(format!(
                "An earlier rotation of backend {} left a journal that could not be read; it was set aside as {}. Check which token secret {} holds and which tokens exist in OSMO, then mark it resolved before starting a new rotation.",
                plan.backend,
                aside.path.display(),
                plan.secret
            )));
        }
        let mut journal = Journal::new(new_id(&plan.backend), plan, valid);
        let path = journal.path_in(journal_dir);
        journal.save(&path)?;
        Ok(Self {
            session,
            client,
            journal,
            path,
            new_value: None,
            needs_reconcile: false,
            untouched: false,
            seen: None,
            sink: None,
        })
    }

    /// Picks up a journaled rotation (after a crash or quit). [`Rotation::run`] continues it,
    /// [`Rotation::roll_back`] undoes it.
    pub fn resume(
        session: Arc<Session>,
        client: kube::Client,
        journal_path: &Path,
    ) -> Result<Self, TokensError> {
        let journal = Journal::load(journal_path)?;
        Ok(Self {
            session,
            client,
            journal,
            path: journal_path.to_owned(),
            new_value: None,
            needs_reconcile: true,
            untouched: true,
            seen: None,
            sink: None,
        })
    }

    /// Sends progress to `sink`.
    pub fn on_event(&mut self, sink: EventSink) {
        self.sink = Some(sink);
    }

    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    pub fn journal_path(&self) -> &Path {
        &self.path
    }

    /// The new token's value while it exists only here (created, not yet in the Secret): show it
    /// so it is not lost. `None` once it is in the Secret.
    pub fn new_token_value(&self) -> Option<&Secret> {
        self.new_value.as_ref()
    }

    /// Where things stand, in words. For a resumed rotation that has not run again: from what the
    /// cluster and the service showed ([`Rotation::observe`]), else only what the journal makes
    /// certain ([`now_in_words`]).
    pub fn state(&self) -> RotationState {
        let mut state = words::state(&self.journal, self.new_value.is_some());
        if self.untouched && self.journal.is_unfinished() {
            state.words = now_in_words(&self.journal, self.seen.as_ref()).words;
        }
        state
    }

    /// Reads what the cluster and the service show now about this rotation's backend; until it
    /// runs again, [`Rotation::state`] describes it from that.
    pub async fn observe(&mut self, cancel: &CancellationToken) -> &Observed {
        let limits = self.limits(cancel);
        let watched = Watched::of(&self.journal);
        let seen = observe(Ok(&self.session), Ok(&self.client), &watched, &limits).await;
        self.seen.insert(seen)
    }

    /// Runs the remaining forward steps (the first run, or continuing a resumed rotation).
    pub async fn run(&mut self, cancel: &CancellationToken) -> Result<(), TokensError> {
        self.forward(cancel).await
    }

    /// After a failure: runs the failed step again and continues (forward or rolling back).
    pub async fn retry_step(&mut self, cancel: &CancellationToken) -> Result<(), TokensError> {
        match self.journal.direction {
            Direction::Forward => self.forward(cancel).await,
            Direction::RollingBack => self.backward(cancel).await,
        }
    }

    /// Undoes what was done: restores the previous secret value, restarts again, deletes the new token.
    pub async fn roll_back(&mut self, cancel: &CancellationToken) -> Result<(), TokensError> {
        self.backward(cancel).await
    }

    fn limits(&self, cancel: &CancellationToken) -> Limits {
        Limits::new(self.journal.plan.call_timeout, cancel.clone())
    }

    fn emit(&self, step: Step, phase: Phase, message: String) {
        tracing::info!(rotation = %self.journal.id, ?step, ?phase, "{message}");
        if let Some(sink) = &self.sink {
            sink(StepEvent {
                rotation_id: self.journal.id.clone(),
                step,
                phase,
                message,
                at: Utc::now(),
            });
        }
    }

    fn save(&mut self) -> Result<(), TokensError> {
        self.journal.save(&self.path)
    }

    /// Journals and announces the start of `step`.
    fn begin(&mut self, step: Step) -> Result<(), TokensError> {
        self.untouched = false;
        self.seen = None;
        self.journal.in_progress = Some(step);
        self.journal.status = Status::Running;
        self.save()?;
        self.emit(step, Phase::Started, step.title().to_owned());
        Ok(())
    }

    /// Journals and announces the end of `step`: finished/skipped, or failed with the state in words.
    fn end(
        &mut self,
        step: Step,
        outcome: Result<(Phase, String), TokensError>,
    ) -> Result<(), TokensError> {
        self.journal.in_progress = None;
        match outcome {
            Ok((phase, message)) => {
                if self.journal.direction == Direction::Forward {
                    self.journal.reached = Some(step);
                } else {
                    self.journal.rolled_back.push(step);
                }
                self.journal.failure = None;
                self.save()?;
                self.emit(step, phase, message);
                Ok(())
            }
            Err(e) => {
                self.journal.in_progress = Some(step);
                self.journal.status = Status::Failed;
                self.journal.failure = Some(e.to_string());
                self.save()?;
                let words = self.state().words;
                self.emit(step, Phase::Failed, format!("{e} {words}"));
                Err(e)
            }
        }
    }
}
