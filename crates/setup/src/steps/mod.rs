//! The guide's five steps (product.md §5) against one cluster and one OSMO service.
//!
//! Each step has a `check` (what is already there: [`StepState`]), the equivalent commands for
//! the record ([`Setup::commands`]) and a `run` that first checks again, changes only what is
//! missing and streams a live log ([`crate::log`]). So running the wizard again on a
//! half-set-up (or fully set-up) cluster is safe: what is there is reported `Done` and left alone.
//! A value that would be overwritten (the token Secret) needs a [`Confirmation`] naming the change.
//!
//! 1. [`token`]: the operator's access token; reused when the Secret holds one the service accepts.
//! 2. [`cluster`]: the two namespaces and the token Secret.
//! 3. [`operator`]: the values file, then helm (repo add, repo update, upgrade --install).
//! 4. [`scheduler`]: the backend's scheduler settings, and whether that scheduler is installed.
//! 5. [`online`]: wait for the backend to report online; otherwise the "why offline?" verdict.

pub mod cluster;
mod helm_run;
pub mod online;
pub mod operator;
mod record;
pub mod scheduler;
mod state;
pub mod token;

use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use osmo_admin_core::kill_point::{self, When};
use osmo_admin_kube::operator::{run, KubeAction, Limits};
use osmo_admin_kube::{ConnectOptions, ResolvedContext};
use osmo_admin_osmo_client::{CancellationToken, Session};
use osmo_admin_secrets::Secret;
use osmo_admin_tokens::TokenRef;

use crate::error::SetupError;
use crate::log::{LogSink, StepLog};
use crate::plan::SetupPlan;
use crate::progress::Progress;
pub use state::{Confirmation, StepId, StepOutcome, StepRun, StepState};

/// A setup of one backend: the session, the chosen context, the plan, and the folder for the
/// values file and the progress file. Holds a token created by step 1 in memory (never on disk)
/// until step 2 has written it into the Secret.
pub struct Setup {
    pub(crate) session: Arc<Session>,
    pub(crate) context: ResolvedContext,
    pub(crate) connect: ConnectOptions,
    pub(crate) client: kube::Client,
    pub(crate) plan: SetupPlan,
    pub(crate) dir: PathBuf,
    pub(crate) new_token: Mutex<Option<(TokenRef, Secret)>>,
}

impl Setup {
    /// Validates `plan` and connects to `context`. `dir` keeps `<backend>.json` (progress) and
    /// `<backend>-values.yaml`.
    pub async fn new(
        session: Arc<Session>,
        context: ResolvedContext,
        connect: ConnectOptions,
        plan: SetupPlan,
        dir: PathBuf,
    ) -> Result<Self, SetupError> {
        plan.validate().map_err(SetupError::Invalid)?;
        let client = osmo_admin_kube::client_for(&context, &connect).await?;
        Ok(Self {
            session,
            context,
            connect,
            client,
            plan,
            dir,
            new_token: Mutex::new(None),
        })
    }

    /// Like [`Setup::new`] with the plan of the saved progress in `dir` (`None`: no progress).
    pub async fn resume(
        session: Arc<Session>,
        context: ResolvedContext,
        connect: ConnectOptions,
        dir: PathBuf,
        backend: &str,
    ) -> Result<Option<(Self, Progress)>, SetupError> {
        let Some(progress) = Progress::load(&dir, backend)? else {
            return Ok(None);
        };
        let setup = Self::new(session, context, connect, progress.plan.clone(), dir).await?;
        Ok(Some((setup, progress)))
    }

    pub fn plan(&self) -> &SetupPlan {
        &self.plan
    }

    /// The Kubernetes context it works in.
    pub fn context_name(&self) -> &str {
        &self.context.name
    }

    /// Where step 3 saves the values file.
    pub fn values_path(&self) -> PathBuf {
        self.dir
            .join(format!("{}-values.yaml", self.plan.backend_name))
    }

    /// The saved progress (or a fresh one).
    pub fn progress(&self) -> Result<Progress, SetupError> {
        Ok(Progress::load(&self.dir, &self.plan.backend_name)?
            .unwrap_or_else(|| Progress::new(self.plan.clone())))
    }

    /// The title of `step` for this setup: [`StepId::title`], naming a simulated helm in step 3.
    pub fn step_title(&self, step: StepId) -> String {
        match step {
            StepId::Operator => operator::title(self),
            other => other.title().to_owned(),
        }
    }

    /// The equivalent commands of `step`, for the record (secrets as `<redacted>`).
    pub fn commands(&self, step: StepId) -> Vec<String> {
        record::commands(self, step)
    }

    /// What `step` finds already there.
    pub async fn check(
        &self,
        step: StepId,
        cancel: &CancellationToken,
    ) -> Result<StepState, SetupError> {
        match step {
            StepId::Token => token::check(self, cancel).await,
            StepId::Cluster => cluster::check(self, cancel).await.map(|(state, _)| state),
            StepId::Operator => operator::check(self, cancel).await,
            StepId::Scheduler => scheduler::check(self, cancel).await,
            StepId::Online => online::check(self, cancel).await,
        }
    }

    /// Checks all five steps, in order (what a resumed wizard shows first).
    pub async fn check_all(
        &self,
        cancel: &CancellationToken,
    ) -> Result<Vec<(StepId, StepState)>, SetupError> {
        let mut states = Vec::new();
        for step in StepId::ALL {
            states.push((step, self.check(step, cancel).await?));
        }
        Ok(states)
    }

    /// Runs `step` (checking first), logging to `log`; a finished step is recorded in the
    /// progress file (see [`Setup::run_step`] for a record that could not be saved).
    pub async fn run(
        &self,
        step: StepId,
        confirmation: Option<&Confirmation>,
        log: &LogSink,
        cancel: &CancellationToken,
    ) -> Result<StepOutcome, SetupError> {
        Ok(self
            .run_step(step, confirmation, log, cancel)
            .await?
            .outcome)
    }

    /// Like [`Setup::run`], with a warning when the step ended done but its record could not be
    /// saved: a step is never reported failed after its effect happened.
    pub async fn run_step(
        &self,
        step: StepId,
        confirmation: Option<&Confirmation>,
        log: &LogSink,
        cancel: &CancellationToken,
    ) -> Result<StepRun, SetupError> {
        let log = StepLog { step, sink: log };
        log.info(format!("Step {}: {}", step.number(), self.step_title(step)));
        kill_point::reached("setup", &step, When::Start);
        let outcome = match step {
            StepId::Token => token::run(self, &log, cancel).await,
            StepId::Cluster => cluster::run(self, confirmation, &log, cancel).await,
            StepId::Operator => operator::run(self, &log, cancel).await,
            StepId::Scheduler => scheduler::run(self, &log, cancel).await,
            StepId::Online => online::run(self, &log, cancel).await,
        }?;
        let mut warning = None;
        if let StepOutcome::Done { what }
        | StepOutcome::AlreadyDone { what }
        | StepOutcome::DoneWithWarning { what, .. } = &outcome
        {
            kill_point::reached("setup", &step, When::AfterEffect);
            log.info(what.clone());
            if let Err(e) = self.record(step, what, &log) {
                let words = format!(
                    "Step {} is done, but its progress could not be saved: {e} The steps' checks still show what is there; only resuming from the saved progress is affected.",
                    step.number()
                );
                log.info(words.clone());
                warning = Some(words);
            }
        }
        Ok(StepRun { outcome, warning })
    }

    /// Records `step` as finished in the progress file.
    fn record(&self, step: StepId, what: &str, log: &StepLog<'_>) -> Result<(), SetupError> {
        self.change_progress(log, |progress| progress.mark(step, what))
    }

    /// Reads the progress file (or begins a new record), applies `change` and saves it.
    pub(crate) fn change_progress(
        &self,
        log: &StepLog<'_>,
        change: impl FnOnce(&mut Progress),
    ) -> Result<(), SetupError> {
        let found = Progress::read(&self.dir, &self.plan.backend_name);
        if let Some(aside) = &found.set_aside {
            log.info(format!(
                "The saved progress could not be read ({}); it was set aside as {} and a new record begins.",
                aside.reason,
                aside.path.display()
            ));
        }
        let mut progress = found
            .progress
            .unwrap_or_else(|| Progress::new(self.plan.clone()));
        progress.plan = self.plan.clone();
        progress.session = Some(self.session.spec().name.clone());
        progress.context = Some(self.context.name.clone());
        change(&mut progress);
        progress.save(&self.dir)
    }

    /// Preflight, then every step in order until one does not end done; returns each step's
    /// outcome (the last one is where it stopped).
    pub async fn run_all(
        &self,
        confirmation: Option<&Confirmation>,
        log: &LogSink,
        cancel: &CancellationToken,
    ) -> Result<Vec<(StepId, StepOutcome)>, SetupError> {
        let preflight = self.preflight().await?;
        if !preflight.ready() {
            return Err(SetupError::PermissionsMissing {
                missing: preflight.missing,
            });
        }
        let mut outcomes = Vec::new();
        for step in StepId::ALL {
            let outcome = self.run(step, confirmation, log, cancel).await?;
            let go_on = outcome.is_done();
            outcomes.push((step, outcome));
            if !go_on {
                break;
            }
        }
        Ok(outcomes)
    }
}

/// Runs one call within the plan's call timeout, stopping on `cancel`.
pub(crate) async fn within<T>(
    timeout: Duration,
    cancel: &CancellationToken,
    what: &str,
    call: impl Future<Output = Result<T, SetupError>>,
) -> Result<T, SetupError> {
    tokio::select! {
        biased;
        () = cancel.cancelled() => Err(SetupError::Cancelled),
        answer = tokio::time::timeout(timeout, call) => answer.unwrap_or_else(|_| Err(SetupError::Timeout {
            what: what.to_owned(),
            seconds: timeout.as_secs().max(1),
        })),
    }
}

/// The plan's call timeout and `cancel`, for osmo-admin-kube's operator calls.
pub(crate) fn limits(setup: &Setup, cancel: &CancellationToken) -> Limits {
    Limits::new(setup.plan.call_timeout, cancel.clone())
}

/// A kube call within the plan's limits, its error (osmo-admin-kube's one mapping) naming `action`.
pub(crate) async fn kube_call<T>(
    setup: &Setup,
    cancel: &CancellationToken,
    action: KubeAction<'_>,
    call: impl Future<Output = Result<T, kube::Error>>,
) -> Result<T, SetupError> {
    Ok(run(&limits(setup, cancel), action, call).await?)
}
