//! The Kubernetes-context half of the Connections screen of OSMO Backend Admin.
//!
//! - [`discover`] the user's kubeconfig files with kubectl's rules and read them into a
//!   [`KubeconfigSet`] (per-file errors, last good contents kept on [`KubeconfigSet::reload`]);
//! - list the merged contexts ([`KubeconfigSet::contexts`]) with server, user, namespace, [`AuthKind`],
//!   source file and duplicates;
//! - test a context ([`probe_context`]): server version, round-trip time, authentication, and the
//!   [`permissions`] setup and rotation need, with timeouts and distinct, plain [`Error`]s;
//! - build a `kube::Client` for a context ([`client_for`]), running exec credential plugins with the
//!   app's PATH then the user's login-shell PATH ([`login_shell_path`]), and keep one per context ([`ClientCache`]);
//! - talk to a backend operator ([`operator`]): its token Secret and Deployments, every call's
//!   error mapped once to an [`operator::KubeCallError`];
//! - switch kubectl's current context
//!   ([`set_current_context`], the only write to a kubeconfig, with a backup).
//!
//! Tauri-free: no UI, no commands, no settings persistence, no global environment reads in the logic
//! (the caller passes `KUBECONFIG`, the home folder and the shell).

mod client_cache;
mod client_cert;
mod connect;
mod contexts;
mod current_context;
mod error;
mod exec_path;
mod failure;
mod file_references;
mod kubeconfig;
pub mod operator;
pub mod permissions;
mod pointed_file;
mod probe;
mod watch;

pub use client_cache::ClientCache;
pub use connect::{client_for, ConnectOptions, ResolvedContext};
pub use contexts::{AuthKind, ContextInfo, ContextList, ExecEnvVar};
pub use current_context::{set_current_context, set_current_context_at};
pub use error::Error;
pub use exec_path::{login_shell_path, LoginPath, PathSource, ShellEnv};
pub use kubeconfig::{
    discover, discover_with_separator, read_file, split_kubeconfig_list, FileOrigin, FileProblem,
    FileState, FileStatus, KubeconfigSet, SourceFile, KUBECONFIG_LIST_SEPARATOR,
};
/// The namespace of the OSMO backend operator unless the user says otherwise (one definition,
/// in `osmo-admin-core` beside the backend link).
pub use osmo_admin_core::DEFAULT_OPERATOR_NAMESPACE;
pub use permissions::{Permission, PermissionCheck};
pub use probe::{probe_context, probe_resolved, ProbeOptions, ProbeReport};
pub use watch::{KubeconfigWatcher, DEFAULT_DEBOUNCE};

#[cfg(test)]
mod test_support {
    use std::path::PathBuf;

    use crate::kubeconfig::{FileOrigin, SourceFile};

    pub(crate) fn fixtures_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests")
            .join("fixtures")
    }

    pub(crate) fn fixture(name: &str, origin: FileOrigin) -> SourceFile {
        SourceFile {
            path: fixtures_dir().join(name),
            origin,
        }
    }
}
