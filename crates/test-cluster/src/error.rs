//! The error type of the test-cluster harness.

use std::path::PathBuf;

/// Everything that can go wrong while starting, using or stopping a [`crate::TestCluster`].
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The kube-apiserver / kube-controller-manager binaries were never built.
    #[error(
        "the Kubernetes test binaries are missing ({missing} not found in {dir}): \
         run `{build_script}` once (about 10 min, cached outside the repository), \
         or set OSMO_ADMIN_KUBE_BIN to a folder holding kube-apiserver and kube-controller-manager"
    )]
    BinariesMissing {
        /// Folder that was searched.
        dir: PathBuf,
        /// Which binary is missing.
        missing: String,
        /// Absolute path of `tests/cluster/build.sh`.
        build_script: PathBuf,
    },
    /// A harness script (start.sh / stop.sh) or `cargo build` failed.
    #[error("{command} failed ({status}):\n{stderr}")]
    Command {
        /// What was run.
        command: String,
        /// Exit status.
        status: String,
        /// Its standard error.
        stderr: String,
    },
    /// File-system or process-spawning error.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The generated kubeconfig could not be read or used.
    #[error("kubeconfig: {0}")]
    Kubeconfig(#[from] kube::config::KubeconfigError),
    /// A Kubernetes API call failed.
    #[error("Kubernetes API: {0}")]
    Kube(#[from] kube::Error),
    /// Anything else (unexpected API answers, time-outs).
    #[error("{0}")]
    Other(String),
}

impl Error {
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}
