//! Setting up a new OSMO backend, as a library (no Tauri): the deployment guide's five steps
//! (product.md §5) as a wizard that can be re-run safely on a half-set-up cluster.
//!
//! * [`plan`]: [`SetupPlan`], everything chosen up front (backend name, namespaces, token
//!   Secret, new token, values form, helm options, scheduler form, timeouts), validated by field.
//! * [`installer`]: who runs step 3's helm commands ([`ChartInstaller`]): the user's helm by
//!   default, or one the caller supplies (a simulation of helm says so in the step's log).
//! * [`values`]: the chart's values file, `services` at the top level where the chart reads it;
//!   never a token.
//! * [`preflight`]: the context's permissions, checked before anything changes.
//! * [`steps`]: [`Setup`] with `check` ([`StepState`]: done, not done, partial), the equivalent
//!   commands, and `run` ([`StepOutcome`]) with a live [`log`] for each of the five steps.
//!   A Secret holding a different value is overwritten only with a [`Confirmation`].
//! * [`progress`]: which steps finished, on disk (no secrets), to resume an interrupted setup,
//!   and step 1's token while its creation is sent and not yet in the Secret (to recognise the
//!   orphan of a run stopped in between).
//!
//! Every Kubernetes and OSMO call has a time limit and a [`CancellationToken`]; helm runs with its
//! own limit and is killed on cancellation. Errors are [`SetupError`]s with [`SetupError::code`].

pub mod error;
pub mod installer;
pub mod log;
pub mod plan;
pub mod preflight;
pub mod progress;
pub mod steps;
pub mod values;

pub use error::SetupError;
pub use installer::{ChartInstaller, HelmProcess, InstallerError, Simulation};
pub use log::{LogLine, LogSink, Stream};
pub use osmo_admin_osmo_client::CancellationToken;
pub use plan::{HelmOptions, PlanFieldError, SchedulerInput, SetupPlan, OSMO_CHART_REPO_URL};
pub use preflight::Preflight;
pub use progress::{Finished, Found, Progress, SetAside};
pub use steps::{Confirmation, Setup, StepId, StepOutcome, StepRun, StepState};
pub use values::{render as render_values, Resources, ValuesForm};
