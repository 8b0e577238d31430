//! Diagnostics for OSMO compute backends, as a library (no Tauri): the answer to "why is this
//! backend offline?" and the cluster-side facts behind it.
//!
//! * [`cluster_side`]: given a `kube::Client` for the backend's cluster, [`inspect`] reports the
//!   operator and workflow namespaces, the token Secret (present, key present, non-empty, last
//!   changed; never its value), the operator Deployments with their pods (restarts, last
//!   termination, waiting reasons, last `rollout restart`) and recent events. Each part fails on
//!   its own (e.g. "not allowed to list events in osmo-operator"). [`read_token`] is the only way
//!   to the token's value, as an [`osmo_admin_secrets::Secret`].
//! * [`scheduler_presence`]: is the scheduler a backend is configured for (`kai`, `volcano`,
//!   `scheduler-plugins`, `default`) installed in the cluster?
//! * [`why_offline`]: [`diagnose`] runs ordered checks (service, backend, heartbeat, context
//!   linked, cluster, the backend's token not expired, namespaces, secret, token accepted,
//!   Deployments, pods, warning events), each with a [`Verdict`] and a one-line finding, and
//!   names the first failure with a next step (an expired token's: [`ROTATE_NOW`]).
//!
//! Every Kubernetes and HTTP call has a time limit and stops on a [`CancellationToken`] (or when
//! its future is dropped). Failures are [`DiagnosticsError`]s with [`DiagnosticsError::code`] and
//! a sentence saying what failed and what to do. Results derive `Serialize` and hold no secrets.

pub mod cluster_side;
pub mod error;
pub mod scheduler_presence;
pub mod target;
pub mod why_offline;

pub use cluster_side::{
    inspect, read_token, ClusterSide, DeploymentStatus, EventSummary, NamespaceStatus,
    OperatorDeployments, PodSummary, SecretStatus,
};
pub use error::{DiagnosticsError, Part};
pub use osmo_admin_kube::operator::Limits;
pub use scheduler_presence::{scheduler_presence, SchedulerPresence};
pub use target::{
    ChartRole, ClusterTarget, SecretRef, DEFAULT_OPERATOR_NAMESPACE, DEFAULT_WORKFLOW_NAMESPACE,
    LISTENER_DEPLOYMENT, WORKER_DEPLOYMENT,
};
pub use tokio_util::sync::CancellationToken;
pub use why_offline::{
    diagnose, Check, CheckKind, ClusterLink, DiagnoseInput, Diagnosis, TokenInUse, TokenState,
    UsedToken, Verdict, ROTATE_NOW,
};
