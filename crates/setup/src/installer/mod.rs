//! Who runs step 3's helm commands: a [`ChartInstaller`]. By default the user's helm, started as
//! a process ([`HelmProcess`]); a caller may supply another in [`crate::HelmOptions::installer`],
//! e.g. a simulation of helm, which says so ([`Simulation`]) so that the step's title, log and
//! outcome can tell the user plainly that nothing real was installed.
//!
//! The step applies helm's time limit and the cancellation itself, by dropping the run: an
//! installer needs no timer of its own (the process is killed when its run is dropped).

mod process;

use std::fmt::Debug;

use async_trait::async_trait;

use crate::log::Stream;
pub use process::{missing_helm, HelmProcess, HELM_INSTALL_URL};

/// Runs `helm <args>` for step 3 (repo add, repo update, upgrade --install).
#[async_trait]
pub trait ChartInstaller: Debug + Send + Sync {
    /// `Some` when this is not a real helm: who simulates it and what that means.
    fn simulation(&self) -> Option<Simulation> {
        None
    }

    /// Runs `helm <args>`, handing each line it prints to `log` as it comes (stdout or stderr).
    async fn run(
        &self,
        args: &[String],
        log: &mut (dyn FnMut(Stream, String) + Send),
    ) -> Result<(), InstallerError>;
}

/// Two installers are equal when they are the same one (a plan with another installer is
/// another plan).
impl PartialEq for dyn ChartInstaller {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::addr_eq(self, other)
    }
}

impl Eq for dyn ChartInstaller {}

/// What a simulated helm tells the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simulation {
    /// Who simulates helm, as in "simulated by {by}" (e.g. `the sandbox`).
    pub by: String,
    /// Step 3's first log line: what is simulated and what is real.
    pub note: String,
}

/// How a run of helm failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstallerError {
    /// helm is not there: the message for the user (what is missing and how to install it).
    #[error("{0}")]
    Missing(String),
    /// helm ran and failed; what it printed went to the log.
    #[error("helm failed ({status})")]
    Failed {
        /// e.g. `exit status 1`.
        status: String,
    },
    /// helm could not be started for another reason.
    #[error("{0}")]
    Start(String),
}
