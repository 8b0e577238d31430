//! Telling failures apart: turns a `kube::Error` (and the errors nested in it) into one plain
//! [`Error`] variant with the next step.
//!
//! Scope: HTTP statuses (401, 403, 5xx), exec plugin failures, TLS failures found by downcasting to
//! `rustls::Error` anywhere in the source chain (including inside `std::io::Error`s, whose `source()`
//! skips the wrapped error), connection refused / unreachable, DNS failures (hyper-util's "dns error"),
//! and timeouts.
//!
//! Non-goals: retrying, logging policy.

use std::error::Error as StdError;

use kube::client::AuthError;
use kube::config::KubeconfigError;
use rustls::{AlertDescription, CertificateError};

use crate::contexts::AuthKind;
use crate::Error;

/// What was being talked to, for the messages.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// The context's name (what messages call the context).
    pub context: String,
    pub server: String,
    pub cluster: String,
    pub user: String,
    pub auth: AuthKind,
    /// The limit that applied, for timeout messages.
    pub timeout: std::time::Duration,
}

/// Every error in `err`'s chain, including the errors wrapped in `std::io::Error`s.
pub(crate) fn chain<'a>(err: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut out = Vec::new();
    let mut current = Some(err);
    while let Some(e) = current {
        if out.len() > 32 {
            break;
        }
        // An io::Error's source() skips the error it wraps (which may itself be an io::Error).
        let mut wrapped = Some(e);
        while let Some(w) = wrapped {
            out.push(w);
            wrapped = w
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .map(|inner| inner as &(dyn StdError + 'static));
        }
        current = e.source();
    }
    out
}

/// The plain error for a failed request or client construction.
pub(crate) fn classify(err: &kube::Error, target: &Target) -> Error {
    if let kube::Error::Api(status) = err {
        return from_status(status.code, &status.reason, &status.message, target);
    }
    if let kube::Error::InferKubeconfig(e) = err {
        return from_kubeconfig_error(&target.context, clone_kubeconfig_error(e));
    }
    let errors = chain(err);
    if let Some(auth) = errors.iter().find_map(|e| e.downcast_ref::<AuthError>()) {
        return from_auth_error(auth, target);
    }
    if let Some(tls) = errors
        .iter()
        .find_map(|e| e.downcast_ref::<rustls::Error>())
    {
        return from_rustls(tls, target);
    }
    if let Some(e) = errors
        .iter()
        .find(|e| e.to_string().starts_with("dns error"))
    {
        let detail = e
            .source()
            .map(|s| s.to_string())
            .unwrap_or_else(|| e.to_string());
        return Error::DnsFailed {
            server: target.server.clone(),
            cluster: target.cluster.clone(),
            detail,
        };
    }
    for e in &errors {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            match io.kind() {
                ConnectionRefused => {
                    return unreachable(target, "connection refused");
                }
                HostUnreachable | NetworkUnreachable | AddrNotAvailable | NetworkDown => {
                    return unreachable(target, &io.to_string());
                }
                TimedOut => {
                    return Error::Timeout {
                        server: target.server.clone(),
                        what: "the connection or the request".into(),
                        after: target.timeout,
                    };
                }
                _ => {}
            }
        }
    }
    if let Some(e) = errors
        .iter()
        .find(|e| e.to_string().starts_with("tcp connect error"))
    {
        return unreachable(target, &e.to_string());
    }
    let detail = errors
        .last()
        .map(|e| e.to_string())
        .unwrap_or_else(|| err.to_string());
    if errors.iter().any(|e| {
        let text = e.to_string();
        text.contains("connection closed before message completed") || text.contains("invalid HTTP")
    }) {
        return Error::ServerError {
            server: target.server.clone(),
            detail: format!("the connection was closed or answered with garbage ({detail})"),
        };
    }
    unreachable(target, &detail)
}

fn unreachable(target: &Target, detail: &str) -> Error {
    Error::Unreachable {
        server: target.server.clone(),
        cluster: target.cluster.clone(),
        detail: detail.into(),
    }
}

/// The plain error for an HTTP status from the API server.
pub(crate) fn from_status(code: u16, reason: &str, message: &str, target: &Target) -> Error {
    match code {
        401 => Error::Unauthorized {
            server: target.server.clone(),
            user: target.user.clone(),
            hint: unauthorized_hint(&target.auth),
        },
        403 => Error::Forbidden {
            user: target.user.clone(),
            what: if message.is_empty() {
                "is not allowed to do this".into()
            } else {
                message.into()
            },
        },
        _ => Error::ServerError {
            server: target.server.clone(),
            detail: format!("HTTP {code} {reason}: {message}"),
        },
    }
}

fn unauthorized_hint(auth: &AuthKind) -> String {
    match auth {
        AuthKind::None => {
            "the user has no credentials in the kubeconfig: add a token, certificate or exec plugin".into()
        }
        AuthKind::Token | AuthKind::TokenFile { .. } => {
            "the token is invalid, expired or revoked: get a new token and update the kubeconfig".into()
        }
        AuthKind::Exec { command, .. } => format!(
            "the credential from `{command}` was not accepted: log in again with the plugin's own tool"
        ),
        AuthKind::AuthProvider { name } => {
            format!("the {name} token was not accepted: log in again with your identity provider")
        }
        AuthKind::ClientCertificate => {
            "the client certificate was not accepted: check that it was issued by this cluster's CA".into()
        }
        AuthKind::Basic { .. } => {
            "the username or password is wrong, or the server does not accept basic authentication".into()
        }
    }
}

fn from_rustls(tls: &rustls::Error, target: &Target) -> Error {
    let server = target.server.clone();
    let cluster = target.cluster.clone();
    let tls_failed = |detail: String| Error::TlsFailed {
        server: server.clone(),
        cluster: cluster.clone(),
        detail,
    };
    match tls {
        rustls::Error::InvalidCertificate(cert) => match cert {
            CertificateError::UnknownIssuer | CertificateError::BadSignature => {
                Error::UnknownAuthority {
                    server: target.server.clone(),
                    cluster: target.cluster.clone(),
                }
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => tls_failed(
                "the server's certificate has expired: ask the cluster's administrator to renew it".into(),
            ),
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                tls_failed(format!(
                    "the server's certificate is not valid for this address: use the host name the certificate names, or set tls-server-name for cluster \"{}\"",
                    target.cluster
                ))
            }
            other => tls_failed(format!(
                "the server's certificate was rejected ({other:?}): check certificate-authority-data for cluster \"{}\"",
                target.cluster
            )),
        },
        rustls::Error::AlertReceived(alert) => match alert {
            AlertDescription::CertificateExpired => tls_failed(
                "the server rejected the client certificate as expired: get a new one".into(),
            ),
            AlertDescription::BadCertificate
            | AlertDescription::UnknownCA
            | AlertDescription::CertificateRequired
            | AlertDescription::CertificateUnknown => tls_failed(format!(
                "the server rejected the client certificate ({alert:?}): check client-certificate-data of user \"{}\"",
                target.user
            )),
            other => tls_failed(format!("the server ended the handshake ({other:?})")),
        },
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => {
            tls_failed("the server did not answer with TLS: check that the address is https:// and the port is the API server's".into())
        }
        other => tls_failed(other.to_string()),
    }
}

fn from_auth_error(auth: &AuthError, target: &Target) -> Error {
    let command = match &target.auth {
        AuthKind::Exec { command, .. } => command.clone(),
        _ => String::new(),
    };
    let plugin_failed = |detail: String| Error::CredentialPluginFailed {
        command: command.clone(),
        user: target.user.clone(),
        detail,
    };
    match auth {
        AuthError::AuthExecStart(io) if io.kind() == std::io::ErrorKind::NotFound => {
            Error::CredentialPluginNotFound {
                command: command.clone(),
                user: target.user.clone(),
                searched_path: None,
                install_hint: None,
            }
        }
        AuthError::AuthExecStart(io) => Error::CredentialPluginNotStarted {
            command: command.clone(),
            user: target.user.clone(),
            detail: io.to_string(),
        },
        AuthError::AuthExecRun { out, .. } => {
            let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
            let stderr = if stderr.is_empty() {
                "(no output on stderr)".to_string()
            } else {
                stderr
            };
            plugin_failed(format!("{}; its stderr: {stderr}", out.status))
        }
        AuthError::AuthExecParse(e) => plugin_failed(format!(
            "it printed something that is not an ExecCredential ({})",
            e.to_string().lines().next().unwrap_or_default()
        )),
        AuthError::ExecPluginFailed => {
            plugin_failed("its ExecCredential has no status (no token or certificate)".into())
        }
        AuthError::MalformedTokenExpirationDate(e) => {
            plugin_failed(format!("its expirationTimestamp is not a valid date ({e})"))
        }
        AuthError::MissingCommand => Error::ContextIncomplete {
            context: target.context.clone(),
            problem: format!(
                "user \"{}\" has an exec section without a command",
                target.user
            ),
        },
        AuthError::ReadTokenFile(source, path) => Error::Io {
            action: "read the token file",
            path: path.clone(),
            source: std::io::Error::new(source.kind(), source.to_string()),
        },
        other => match &target.auth {
            AuthKind::Exec { .. } => plugin_failed(other.to_string()),
            AuthKind::AuthProvider { name } => Error::CredentialPluginFailed {
                command: format!("auth-provider {name}"),
                user: target.user.clone(),
                detail: other.to_string(),
            },
            _ => Error::ContextIncomplete {
                context: target.context.clone(),
                problem: format!(
                    "the credentials of user \"{}\" are unusable: {other}",
                    target.user
                ),
            },
        },
    }
}

/// kube's configuration errors for a context: unreadable CA or client certificate, bad URL...
pub(crate) fn from_kubeconfig_error(context: &str, e: KubeconfigError) -> Error {
    let problem = match &e {
        KubeconfigError::LoadCertificateAuthority(inner) => format!(
            "its cluster's certificate-authority cannot be loaded ({inner}): fix certificate-authority or certificate-authority-data"
        ),
        KubeconfigError::LoadClientCertificate(inner) => format!(
            "its user's client certificate cannot be loaded ({inner}): fix client-certificate or client-certificate-data"
        ),
        KubeconfigError::LoadClientKey(inner) => format!(
            "its user's client key cannot be loaded ({inner}): fix client-key or client-key-data"
        ),
        KubeconfigError::ParseCertificates(inner) => format!(
            "its cluster's certificate-authority is not PEM ({inner}): fix certificate-authority-data"
        ),
        KubeconfigError::ParseClusterUrl(inner) => {
            format!("its cluster's server address is not a URL ({inner})")
        }
        other => other.to_string(),
    };
    Error::ContextIncomplete {
        context: context.into(),
        problem,
    }
}

/// `KubeconfigError` is not `Clone`; keep its message.
fn clone_kubeconfig_error(e: &KubeconfigError) -> KubeconfigError {
    KubeconfigError::LoadContext(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use osmo_admin_core::ErrorCode;

    fn target(auth: AuthKind) -> Target {
        Target {
            context: "prod-admin".into(),
            server: "https://k.example.com:6443".into(),
            cluster: "prod".into(),
            user: "admin".into(),
            auth,
            timeout: std::time::Duration::from_secs(5),
        }
    }

    #[test]
    fn statuses_map_to_codes_with_next_steps() {
        let t = target(AuthKind::Token);
        let e = from_status(401, "Unauthorized", "Unauthorized", &t);
        assert_eq!(e.code(), ErrorCode::Unauthorized);
        assert!(e.to_string().contains("get a new token"), "{e}");
        let e = from_status(403, "Forbidden", "cannot create namespaces", &t);
        assert_eq!(e.code(), ErrorCode::Forbidden);
        assert!(e.to_string().contains("cannot create namespaces"), "{e}");
        let e = from_status(503, "ServiceUnavailable", "etcd down", &t);
        assert_eq!(e.code(), ErrorCode::ServerError);
        assert!(e.to_string().contains("HTTP 503"), "{e}");
    }

    #[test]
    fn tls_errors_are_told_apart() {
        let t = target(AuthKind::Token);
        let unknown = from_rustls(
            &rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
            &t,
        );
        assert!(matches!(unknown, Error::UnknownAuthority { .. }));
        assert_eq!(unknown.code(), ErrorCode::TlsFailed);
        assert!(unknown
            .to_string()
            .contains("check certificate-authority-data for cluster \"prod\""));
        let expired = from_rustls(
            &rustls::Error::InvalidCertificate(CertificateError::Expired),
            &t,
        );
        assert!(expired
            .to_string()
            .contains("server's certificate has expired"));
        let alert = from_rustls(
            &rustls::Error::AlertReceived(AlertDescription::CertificateExpired),
            &t,
        );
        assert!(alert.to_string().contains("client certificate as expired"));
    }

    #[test]
    fn errors_nested_in_io_errors_are_found() {
        let inner = rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer);
        let io = std::io::Error::new(std::io::ErrorKind::InvalidData, inner);
        let io = std::io::Error::other(io);
        let found = chain(&io)
            .iter()
            .any(|e| e.downcast_ref::<rustls::Error>().is_some());
        assert!(found);
    }

    #[cfg(unix)]
    #[test]
    fn exec_failures_carry_stderr() {
        use std::os::unix::process::ExitStatusExt;
        let out = std::process::Output {
            status: std::process::ExitStatus::from_raw(256),
            stdout: Vec::new(),
            stderr: b"error: token expired, run `login`\n".to_vec(),
        };
        let e = from_auth_error(
            &AuthError::AuthExecRun {
                cmd: "x".into(),
                out: Box::new(out),
            },
            &target(AuthKind::Exec {
                command: "my-plugin".into(),
                args: vec![],
                env: vec![],
            }),
        );
        assert_eq!(e.code(), ErrorCode::CredentialPluginFailed);
        let text = e.to_string();
        assert!(text.contains("`my-plugin`"), "{text}");
        assert!(text.contains("token expired, run `login`"), "{text}");
    }

    #[test]
    fn a_plugin_that_could_not_be_started_never_ran() {
        let e = from_auth_error(
            &AuthError::AuthExecStart(std::io::Error::from(std::io::ErrorKind::PermissionDenied)),
            &target(AuthKind::Exec {
                command: "/opt/bin/my-plugin".into(),
                args: vec![],
                env: vec![],
            }),
        );
        assert_eq!(e.code(), ErrorCode::CredentialPluginNotStarted);
        let text = e.to_string();
        assert!(text.contains("could not be started"), "{text}");
        assert!(text.contains("chmod +x"), "{text}");
        assert!(!text.contains("failed"), "{text}");
    }

    #[test]
    fn configuration_errors_name_the_context_not_the_cluster() {
        let t = target(AuthKind::Token);
        let e = classify(
            &kube::Error::InferKubeconfig(KubeconfigError::LoadContext("bad".into())),
            &t,
        );
        assert!(e.to_string().contains("context \"prod-admin\""), "{e}");
    }
}
