//! The sandbox: a world to try the app in when there is no OSMO service to talk to.
//!
//! [`Sandbox::start`] starts, inside the app's own process, one simulated OSMO service per API
//! dialect (6.0 and 6.4), each with a handful of backends (one of them offline) and service
//! tokens that are expired, expiring within 7 days, and fine. One backend per service is kept
//! online by a simulated operator; when the local Kubernetes API server's binaries are present
//! (`tests/cluster/build.sh`), that operator lives in the cluster and reads its token from the
//! chart's Secret there, so rotating it really works. So does the offline backend's, dgx-lab's,
//! whose token has expired: it stays offline until that token is rotated. Each operator in the
//! cluster has its own operator and workflow namespaces, with the chart's listener and worker
//! Deployments, whose pods a stand-in kubelet marks running. Everything is dropped with the
//! [`Sandbox`]; the cluster's processes are also stopped by a watchdog if the app dies.
//!
//! The services come first: [`Sandbox::start`] returns as soon as they answer (well under a
//! second), while the cluster starts in the background (about 5 s): until then the snapshot says
//! [`ClusterSnapshot::Starting`] and the operators that will run there [`WAITING_FOR_CLUSTER`];
//! [`Sandbox::cluster_settled`] resolves when it has started (the operators installed) or could
//! not (the operators then run in memory, as without a cluster). [`Sandbox::stop`] during the
//! start abandons it, leaving no process behind.
//!
//! The sandbox also lends the app its cluster (a kubeconfig whose context is `osmo-sandbox`,
//! and links of the backends whose operator runs there), and plays the operator of any backend
//! installed into that cluster with the `backend-operator` chart (the Setup screen's helm step).
//! That step needs no helm in the sandbox: for the context it lends, the sandbox supplies its chart
//! installer ([`Sandbox::chart_installer`], [`SandboxHelm`]), the helm stand-in run inside the app,
//! which says in the step's log and outcome that the install is simulated.
//!
//! Non-goals: sign-in to the sandbox services is development mode (no identity provider).

mod chart_installer;
mod chart_watch;
mod kubelet;
mod local_cluster;
mod sandbox;
mod service;
mod slot;
mod snapshot;
mod world;

pub use chart_installer::{SandboxHelm, SIMULATED_NOTE};
pub use sandbox::{Sandbox, SandboxError, SandboxOptions, SANDBOX_CONTEXT};
pub use slot::{SandboxSlot, SlotView};
pub use snapshot::{
    BackendSnapshot, ClusterSnapshot, SandboxSnapshot, ServiceSnapshot, TokenSnapshot,
    WAITING_FOR_CLUSTER,
};
pub use world::{BackendPlan, OperatorKind, BACKENDS, V64_SUFFIX};
