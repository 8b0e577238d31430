//! [`SetupError`]: every way a setup step can fail, with an [`ErrorCode`] for the UI and a
//! sentence saying what failed and what to do next. No variant carries a secret.

use osmo_admin_core::ErrorCode;
use osmo_admin_kube::operator::KubeCallError;
use osmo_admin_osmo_client::OsmoError;
use osmo_admin_scheduler::SchedulerError;
use osmo_admin_tokens::TokensError;

use crate::plan::PlanFieldError;

/// What failed.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// The plan breaks a rule; nothing was changed. Each entry names its field.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "))]
    Invalid(Vec<PlanFieldError>),
    /// The context lacks permissions setup needs; nothing was changed.
    #[error("The Kubernetes context may not do what setup needs: {}. Ask a cluster admin to grant it, or choose a context with more rights. Nothing was changed.", .missing.join("; "))]
    PermissionsMissing { missing: Vec<String> },
    /// A step was run before the one it depends on.
    #[error("{0}")]
    Order(String),
    /// What the step writes kept being changed by someone else while it wrote.
    #[error("{0}")]
    KeptChanging(String),
    /// Step 1's token name is taken by a token this setup did not create (another backend's),
    /// or one the Secret names but whose value the service refuses. (A token an interrupted run
    /// of this setup created and never wrote is replaced instead.)
    #[error("Token {name} already exists, but the Secret holds no value of it that the service accepts (a token's value is shown only once). Choose another token name, or delete it ({delete}) and run step 1 again.")]
    TokenExists { name: String, delete: String },
    #[error("{0}")]
    Tokens(#[from] TokensError),
    #[error("{0}")]
    Osmo(#[from] OsmoError),
    #[error("{0}")]
    Scheduler(#[from] SchedulerError),
    #[error("{0}")]
    Kube(#[from] osmo_admin_kube::Error),
    /// A Kubernetes call failed (403, 404, 409, unreachable...): osmo-admin-kube's one mapping,
    /// which is also what diagnostics' lookups fail with. Its timeouts and cancellations become
    /// [`SetupError::Timeout`] and [`SetupError::Cancelled`].
    #[error("{0}")]
    KubeCall(KubeCallError),
    /// helm ran and exited with an error; `output` is what it printed (also in the log).
    #[error("`{command}` failed ({status}): {}", last_lines(.output))]
    HelmFailed {
        command: String,
        status: String,
        output: String,
    },
    /// No answer in time.
    #[error("No answer within {seconds} s while trying to {what}. Try again; check the network and the cluster.")]
    Timeout { what: String, seconds: u64 },
    /// The caller cancelled.
    #[error("The setup step was cancelled.")]
    Cancelled,
    /// A file could not be read or written.
    #[error("Could not {what}: {detail}. Check that the folder is writable.")]
    Io { what: String, detail: String },
}

fn last_lines(output: &str) -> String {
    let lines: Vec<&str> = output.lines().filter(|l| !l.trim().is_empty()).collect();
    let start = lines.len().saturating_sub(3);
    lines[start..].join(" / ")
}

impl SetupError {
    pub fn code(&self) -> ErrorCode {
        match self {
            SetupError::Invalid(_) => ErrorCode::InvalidInput,
            SetupError::PermissionsMissing { .. } => ErrorCode::Forbidden,
            SetupError::Order(_) => ErrorCode::NotReady,
            SetupError::TokenExists { .. } | SetupError::KeptChanging(_) => ErrorCode::Conflict,
            SetupError::Tokens(e) => e.code(),
            SetupError::Osmo(e) => e.code(),
            SetupError::Scheduler(e) => e.code(),
            SetupError::Kube(e) => e.code(),
            SetupError::KubeCall(e) => e.code(),
            SetupError::HelmFailed { .. } => ErrorCode::Rejected,
            SetupError::Timeout { .. } => ErrorCode::Timeout,
            SetupError::Cancelled => ErrorCode::Cancelled,
            SetupError::Io { .. } => ErrorCode::Io,
        }
    }
}

impl From<KubeCallError> for SetupError {
    fn from(e: KubeCallError) -> Self {
        match e {
            KubeCallError::Cancelled => SetupError::Cancelled,
            KubeCallError::Timeout { what, seconds } => SetupError::Timeout { what, seconds },
            other => SetupError::KubeCall(other),
        }
    }
}
