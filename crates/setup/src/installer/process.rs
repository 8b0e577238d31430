//! The default [`ChartInstaller`]: the user's helm as a process, its stdout and stderr handed on
//! line by line; "helm is not there" told apart from "helm failed", with how to install helm.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use async_trait::async_trait;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use super::{ChartInstaller, InstallerError};
use crate::log::Stream;
use crate::plan::HelmOptions;

/// helm's installation guide.
pub const HELM_INSTALL_URL: &str = "https://helm.sh/docs/intro/install/";

/// Runs the helm at `helm_path` (a path, or a name looked up on `PATH`) with extra `env`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelmProcess {
    pub helm_path: PathBuf,
    pub env: Vec<(String, String)>,
}

impl HelmProcess {
    /// The helm of `options`: its path and extra environment.
    pub fn new(options: &HelmOptions) -> Self {
        Self {
            helm_path: options.helm_path.clone(),
            env: options.env.clone(),
        }
    }
}

/// What to tell the user when helm at `helm_path` could not be started with `error`: what is
/// missing, how to install helm, and that the commands can be run by hand.
pub fn missing_helm(helm_path: &Path, error: &std::io::Error) -> String {
    let shown = helm_path.display();
    let install = format!(
        "Install helm 3 ({HELM_INSTALL_URL}), e.g. `curl -fsSL https://raw.githubusercontent.com/helm/helm/main/scripts/get-helm-3 | bash` \
         or your distribution's helm package, then run this step again; or run the commands below where helm is installed, \
         with the values file"
    );
    let bare = helm_path.components().count() == 1 && !helm_path.is_absolute();
    match error.kind() {
        std::io::ErrorKind::PermissionDenied => format!(
            "{shown} may not be run (permission denied): make it executable or choose another helm. {install}."
        ),
        _ if bare => format!("helm is not installed: there is no {shown:?} on the app's PATH. {install}."),
        _ => format!("helm is not installed at {shown} ({error}). Correct the helm path, or: {install}."),
    }
}

#[async_trait]
impl ChartInstaller for HelmProcess {
    async fn run(
        &self,
        args: &[String],
        log: &mut (dyn FnMut(Stream, String) + Send),
    ) -> Result<(), InstallerError> {
        let mut command = Command::new(&self.helm_path);
        command
            .args(args)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = match command.spawn() {
            Ok(child) => child,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied
                ) =>
            {
                return Err(InstallerError::Missing(missing_helm(&self.helm_path, &e)));
            }
            Err(e) => return Err(InstallerError::Start(e.to_string())),
        };
        let mut out = child.stdout.take().map(|s| BufReader::new(s).lines());
        let mut err = child.stderr.take().map(|s| BufReader::new(s).lines());
        let status = loop {
            tokio::select! {
                line = next(&mut out) => match line {
                    Some(line) => log(Stream::Stdout, line),
                    None => out = None,
                },
                line = next(&mut err) => match line {
                    Some(line) => log(Stream::Stderr, line),
                    None => err = None,
                },
                status = child.wait(), if out.is_none() && err.is_none() => {
                    break status.map_err(|e| InstallerError::Start(e.to_string()))?;
                }
            }
        };
        if status.success() {
            Ok(())
        } else {
            Err(InstallerError::Failed {
                status: status
                    .code()
                    .map_or_else(|| status.to_string(), |c| format!("exit status {c}")),
            })
        }
    }
}

type Lines<R> = Option<tokio::io::Lines<BufReader<R>>>;

/// The next line of a stream; pending forever once the stream is done (`None` slot).
async fn next<R: tokio::io::AsyncRead + Unpin>(lines: &mut Lines<R>) -> Option<String> {
    match lines {
        Some(l) => l.next_line().await.ok().flatten(),
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Error, ErrorKind};

    use super::*;

    #[test]
    fn a_missing_helm_is_told_once_with_how_to_install_it() {
        let message = missing_helm(Path::new("helm"), &Error::from(ErrorKind::NotFound));
        assert!(
            message.starts_with("helm is not installed: there is no \"helm\" on the app's PATH."),
            "{message}"
        );
        assert_eq!(message.matches(HELM_INSTALL_URL).count(), 1, "{message}");
        assert_eq!(message.matches("get-helm-3 | bash").count(), 1, "{message}");
        assert_eq!(message.matches("not installed").count(), 1, "{message}");

        let at = missing_helm(
            Path::new("/opt/helm/helm"),
            &Error::from(ErrorKind::NotFound),
        );
        assert!(
            at.starts_with("helm is not installed at /opt/helm/helm ("),
            "{at}"
        );
        assert!(at.contains(HELM_INSTALL_URL), "{at}");
        let denied = missing_helm(
            Path::new("/opt/helm/helm"),
            &Error::from(ErrorKind::PermissionDenied),
        );
        assert!(denied.contains("permission denied"), "{denied}");
    }
}
