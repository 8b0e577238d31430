//! The vocabulary of the steps: which step ([`StepId`]), what its check found ([`StepState`]),
//! how a run ended ([`StepOutcome`]) and the user's go-ahead for an overwrite ([`Confirmation`]).

use std::path::PathBuf;

use osmo_admin_diagnostics::Diagnosis;
use serde::{Deserialize, Serialize};

/// The five steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepId {
    Token,
    Cluster,
    Operator,
    Scheduler,
    Online,
}

impl StepId {
    pub const ALL: [StepId; 5] = [
        StepId::Token,
        StepId::Cluster,
        StepId::Operator,
        StepId::Scheduler,
        StepId::Online,
    ];

    /// 1 to 5.
    pub fn number(self) -> usize {
        self as usize + 1
    }

    pub fn title(self) -> &'static str {
        match self {
            StepId::Token => "Create the operator's access token",
            StepId::Cluster => "Create the namespaces and the token Secret",
            StepId::Operator => "Install the backend operator with helm",
            StepId::Scheduler => "Set the scheduler settings",
            StepId::Online => "Wait for the backend to come online",
        }
    }
}

/// What a step's check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum StepState {
    /// Already there; running the step changes nothing.
    Done { what: String },
    /// Not there; `what_it_will_do` in words.
    NotDone { what_it_will_do: String },
    /// Partly there: `done` is what is, `what_it_will_do` the rest.
    Partial {
        done: String,
        what_it_will_do: String,
    },
}

impl StepState {
    pub fn is_done(&self) -> bool {
        matches!(self, StepState::Done { .. })
    }
}

/// The user's go-ahead for a change that overwrites something, naming it exactly as the step
/// announced it (in [`StepOutcome::NeedsConfirmation`] or [`StepState::Partial`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    pub what_will_change: String,
}

/// How a run ended when nothing failed.
#[derive(Debug, Clone, Serialize)]
// One per run; boxing the diagnosis would only make matching clumsier.
#[allow(clippy::large_enum_variant)]
pub enum StepOutcome {
    /// The step made its changes.
    Done { what: String },
    /// Everything was already there; nothing was changed.
    AlreadyDone { what: String },
    /// The step did its part (or found it done), but something it depends on needs the user:
    /// e.g. the chosen scheduler is not installed in the cluster.
    DoneWithWarning { what: String, warning: String },
    /// Stopped before overwriting: run again with a [`Confirmation`] of exactly this text.
    NeedsConfirmation { what_will_change: String },
    /// helm could not be started: here are the values file and the commands to run by hand.
    HelmMissing {
        helm_path: String,
        reason: String,
        values_file: PathBuf,
        commands: Vec<String>,
    },
    /// The backend did not report online in time; the "why offline?" checks' verdict.
    NotOnline {
        waited_seconds: u64,
        diagnosis: Diagnosis,
    },
}

impl StepOutcome {
    /// Done now or before: the wizard may go on.
    pub fn is_done(&self) -> bool {
        matches!(
            self,
            StepOutcome::Done { .. }
                | StepOutcome::AlreadyDone { .. }
                | StepOutcome::DoneWithWarning { .. }
        )
    }
}

/// How a run ended, with a warning when a step ended done but something around it did not
/// (its progress could not be saved).
#[derive(Debug, Clone, Serialize)]
pub struct StepRun {
    pub outcome: StepOutcome,
    pub warning: Option<String>,
}
