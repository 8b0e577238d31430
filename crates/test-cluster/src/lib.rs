//! Test support for the OSMO Backend Admin workspace: a **real** Kubernetes control plane
//! (etcd + kube-apiserver v1.20.2 + kube-controller-manager on loopback) and a **helm stand-in**
//! that installs what the OSMO `backend-operator` chart installs.
//!
//! Used by other crates' tests as a dev-dependency:
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use osmo_admin_test_cluster::{HelmSandbox, TestCluster};
//! let cluster = TestCluster::start().await?;          // fails clearly if tests/cluster/build.sh was never run
//! let client = cluster.client().await?;               // kube::Client as cluster-admin
//! let viewer = cluster.add_user("viewer").await?;      // a ServiceAccount with its own kubeconfig
//! cluster.bind_cluster_role(&viewer, "view", None).await?;
//! let helm = HelmSandbox::new()?;                      // `helm` on a private PATH
//! let out = helm.command().args(["version"]).output()?;
//! # let _ = (client, out); Ok(()) }
//! ```
//!
//! The stand-in is also a library, [`helm_standin`]: `helm_standin::run(args, env, out)` does in the
//! caller's tokio runtime what the binary does, printing to an [`helm_standin::Output`] (the sandbox
//! runs it inside the app as its chart installer).
//!
//! The processes are stopped by PID when the [`TestCluster`] is dropped (or [`TestCluster::stop`]ped);
//! a watchdog started by `tests/cluster/start.sh --owner-pid` also stops them if the test process dies.
//! A start abandoned midway (its future dropped) ends what it had started; [`processes_started_by`]
//! finds whatever a process's clusters left running.

mod cluster;
mod error;
mod helm;
pub mod helm_standin;
mod paths;
mod process;
mod setup;
mod users;

pub use cluster::{ClusterProcess, TestCluster, OWNER_ENV};
pub use error::Error;
pub use helm::{helm_standin_path, HelmSandbox, HELM_STANDIN_ENV};
pub use paths::{build_script, kube_bin_dir, KUBE_BIN_ENV};
pub use process::{is_process_alive, processes_started_by};
pub use users::TestUser;
