//! The crate's error type: one variant per failure the Connections screen tells apart, each mapped
//! to exactly one [`ErrorCode`] by [`Error::code`], each with a message that says what failed,
//! where, and what to do next.
//!
//! Turning `kube::Error`s into these variants lives in `failure.rs`; this module only defines them.

use std::path::PathBuf;
use std::time::Duration;

use osmo_admin_core::ErrorCode;

/// Everything this crate can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A kubeconfig file is not valid YAML or not a kubeconfig.
    #[error("{}{}: {message}: fix the file (the other kubeconfig files are still used)", path.display(), line_suffix(*line))]
    KubeconfigInvalid {
        /// The file.
        path: PathBuf,
        /// 1-based line of the problem, when the YAML parser reports one.
        line: Option<u64>,
        /// The parser's description.
        message: String,
    },

    /// A local file could not be read or written.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done ("read", "write", "back up").
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },

    /// A kubeconfig file that was asked for explicitly (settings, `set_current_context`) does not exist.
    #[error("kubeconfig file {} does not exist: restore it or remove it from the extra kubeconfig files in Settings", path.display())]
    FileNotFound {
        /// The missing file.
        path: PathBuf,
    },

    /// No kubeconfig file defines this context.
    #[error("context \"{name}\" is not defined in any kubeconfig file: pick another context or add the file that defines it")]
    ContextNotFound {
        /// The context name.
        name: String,
    },

    /// The context exists but cannot be used as written (missing cluster, bad server URL, unreadable CA...).
    #[error("context \"{context}\" cannot be used: {problem}")]
    ContextIncomplete {
        /// The context name.
        context: String,
        /// What is wrong and where to fix it.
        problem: String,
    },

    /// The server refused the TCP connection or the network path to it is down.
    #[error("cannot connect to {server} (cluster \"{cluster}\"): {detail}: check that the address in the kubeconfig is right, that the API server is running, and that your VPN or network is up")]
    Unreachable {
        /// The server URL.
        server: String,
        /// The cluster name in the kubeconfig.
        cluster: String,
        /// The OS's description ("connection refused").
        detail: String,
    },

    /// The server's host name does not resolve.
    #[error("cannot resolve the host name of {server} (cluster \"{cluster}\"): {detail}: check the server address in the kubeconfig and your DNS or VPN")]
    DnsFailed {
        /// The server URL.
        server: String,
        /// The cluster name in the kubeconfig.
        cluster: String,
        /// The resolver's description.
        detail: String,
    },

    /// The server's certificate is not signed by the CA the kubeconfig trusts.
    #[error("the server's certificate is not signed by the CA in the kubeconfig ({server}): check certificate-authority-data for cluster \"{cluster}\"")]
    UnknownAuthority {
        /// The server URL.
        server: String,
        /// The cluster name in the kubeconfig.
        cluster: String,
    },

    /// The client certificate of the kubeconfig user has expired.
    #[error("the client certificate of user \"{user}\" expired on {expired_at}: get a new certificate (or a new kubeconfig) from the cluster's administrator")]
    ClientCertificateExpired {
        /// The user name in the kubeconfig.
        user: String,
        /// When it expired (RFC 3339).
        expired_at: String,
    },

    /// Any other TLS failure (server certificate expired or for another name, server rejected the client
    /// certificate, the port does not speak TLS).
    #[error("TLS with {server} (cluster \"{cluster}\") failed: {detail}")]
    TlsFailed {
        /// The server URL.
        server: String,
        /// The cluster name in the kubeconfig.
        cluster: String,
        /// What failed and what to check.
        detail: String,
    },

    /// The server did not answer within the configured time.
    #[error("{server} did not answer {what} within {}: check that the address is an API server and that the network is not blocking it, then try again", format_duration(*after))]
    Timeout {
        /// The server URL (or the plugin command for exec timeouts).
        server: String,
        /// What was waited for.
        what: String,
        /// The configured limit.
        after: Duration,
    },

    /// An exec credential plugin (or auth-provider command) did not finish in time.
    #[error("the credential plugin `{command}` of user \"{user}\" did not print a credential within {}: it may be waiting for a browser login or other input; run `kubectl get namespaces --context {context}` in a terminal to log in, then try again", format_duration(*after))]
    CredentialPluginTimeout {
        /// The plugin command from the kubeconfig.
        command: String,
        /// The user name in the kubeconfig.
        user: String,
        /// The context being connected.
        context: String,
        /// The configured limit.
        after: Duration,
    },

    /// The server rejected the credentials (HTTP 401, or no credentials at all).
    #[error("{server} rejected the credentials of user \"{user}\" (401 Unauthorized): {hint}")]
    Unauthorized {
        /// The server URL.
        server: String,
        /// The user name in the kubeconfig.
        user: String,
        /// What to do next.
        hint: String,
    },

    /// The credentials are valid but not allowed to do what the probe needs to ask.
    #[error("403 Forbidden for user \"{user}\": {what}: ask the cluster's administrator for the permission")]
    Forbidden {
        /// The user name in the kubeconfig.
        user: String,
        /// kubectl-style "cannot create selfsubjectaccessreviews.authorization.k8s.io".
        what: String,
    },

    /// An exec credential plugin ran and failed, or printed something that is not an ExecCredential.
    #[error("the credential plugin `{command}` of user \"{user}\" failed: {detail}")]
    CredentialPluginFailed {
        /// The plugin command from the kubeconfig.
        command: String,
        /// The user name in the kubeconfig.
        user: String,
        /// Exit status and the plugin's stderr, or the parse error.
        detail: String,
    },

    /// An exec credential plugin exists but could not be started (not executable, bad interpreter):
    /// it never ran.
    #[error("the credential plugin `{command}` of user \"{user}\" could not be started: {detail}; make it executable (chmod +x) or put the right absolute path in the kubeconfig's users[].user.exec.command")]
    CredentialPluginNotStarted {
        /// The plugin command from the kubeconfig.
        command: String,
        /// The user name in the kubeconfig.
        user: String,
        /// The operating system's reason.
        detail: String,
    },

    /// An exec credential plugin binary is not on the PATH (or the absolute path does not exist).
    #[error("the credential plugin `{command}` of user \"{user}\" was not found{}: install it or put its absolute path in the kubeconfig's users[].user.exec.command{}", searched_suffix(searched_path.as_deref()), hint_suffix(install_hint.as_deref()))]
    CredentialPluginNotFound {
        /// The plugin command from the kubeconfig.
        command: String,
        /// The user name in the kubeconfig.
        user: String,
        /// The PATH searched, when the command is a bare name.
        searched_path: Option<String>,
        /// The kubeconfig's `installHint`.
        install_hint: Option<String>,
    },

    /// The server answered with a 5xx, or with something that is not the Kubernetes API.
    #[error("{server} answered with an error: {detail}: check that this is a Kubernetes API server and that it is healthy")]
    ServerError {
        /// The server URL.
        server: String,
        /// Status and message.
        detail: String,
    },

    /// A value handed in by the caller is invalid (e.g. a [`crate::BackendLink`]).
    #[error("{field}: {reason}")]
    InvalidInput {
        /// The field.
        field: &'static str,
        /// Why it is invalid.
        reason: String,
    },

    /// A bug or an unexpected state.
    #[error("internal error in the Kubernetes connection code: {0}: please report this with the log file")]
    Internal(String),
}

impl Error {
    /// The code the UI branches on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::KubeconfigInvalid { .. } | Error::ContextIncomplete { .. } => {
                ErrorCode::KubeconfigInvalid
            }
            Error::Io { .. } => ErrorCode::Io,
            Error::FileNotFound { .. } | Error::ContextNotFound { .. } => ErrorCode::NotFound,
            Error::Unreachable { .. } | Error::DnsFailed { .. } => ErrorCode::Unreachable,
            Error::UnknownAuthority { .. }
            | Error::ClientCertificateExpired { .. }
            | Error::TlsFailed { .. } => ErrorCode::TlsFailed,
            Error::Timeout { .. } | Error::CredentialPluginTimeout { .. } => ErrorCode::Timeout,
            Error::Unauthorized { .. } => ErrorCode::Unauthorized,
            Error::Forbidden { .. } => ErrorCode::Forbidden,
            Error::CredentialPluginFailed { .. } => ErrorCode::CredentialPluginFailed,
            Error::CredentialPluginNotFound { .. } | Error::CredentialPluginNotStarted { .. } => {
                ErrorCode::CredentialPluginNotStarted
            }
            Error::ServerError { .. } => ErrorCode::ServerError,
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }
}

fn line_suffix(line: Option<u64>) -> String {
    line.map(|l| format!(" line {l}")).unwrap_or_default()
}

fn searched_suffix(path: Option<&str>) -> String {
    path.map(|p| format!(" on PATH ({p})")).unwrap_or_default()
}

fn hint_suffix(hint: Option<&str>) -> String {
    hint.map(|h| format!(" (install hint: {h})"))
        .unwrap_or_default()
}

pub(crate) fn format_duration(d: Duration) -> String {
    if d.as_millis() % 1000 == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_kubeconfig_names_file_and_line() {
        let e = Error::KubeconfigInvalid {
            path: PathBuf::from("/home/a/.kube/config"),
            line: Some(7),
            message: "did not find expected key".into(),
        };
        assert_eq!(e.code(), ErrorCode::KubeconfigInvalid);
        let text = e.to_string();
        assert!(
            text.starts_with("/home/a/.kube/config line 7: did not find expected key"),
            "{text}"
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(Duration::from_secs(3)), "3 s");
        assert_eq!(format_duration(Duration::from_millis(1500)), "1500 ms");
    }

    #[test]
    fn plugin_not_found_names_command_path_and_hint() {
        let e = Error::CredentialPluginNotFound {
            command: "gke-gcloud-auth-plugin".into(),
            user: "u".into(),
            searched_path: Some("/usr/bin:/bin".into()),
            install_hint: Some("gcloud components install gke-gcloud-auth-plugin".into()),
        };
        assert_eq!(e.code(), ErrorCode::CredentialPluginNotStarted);
        let text = e.to_string();
        assert!(text.contains("`gke-gcloud-auth-plugin`"), "{text}");
        assert!(text.contains("/usr/bin:/bin"), "{text}");
        assert!(text.contains("gcloud components install"), "{text}");
    }
}
