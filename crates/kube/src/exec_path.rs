//! The PATH exec credential plugins run with.
//!
//! A desktop app started from the Dock, a launcher or a desktop file does not get the PATH the user's
//! login shell sets up (Homebrew, `~/.local/bin`, `gcloud`'s SDK folder), so plugins such as
//! `gke-gcloud-auth-plugin`, `aws` or `kubelogin` are "not found" although kubectl in a terminal finds
//! them. [`login_shell_path`] asks the login shell once (`$SHELL -lc 'printf ...'`, with a timeout) and
//! uses the process's PATH followed by the login shell's folders it lacks (a folder the app was started
//! with, e.g. from a terminal or a wrapper script, still comes first), or the process's PATH alone when
//! the shell cannot be asked. The result is handed to [`crate::ConnectOptions::exec_path`], which
//! `connect.rs` gives kube-rs's own exec support through the exec config's `env`.
//!
//! Non-goals: running plugins (kube-rs does), caching (the caller keeps the result), Windows shells
//! (no `$SHELL` there: the process PATH is used).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde::Serialize;

/// The environment [`login_shell_path`] needs, passed in so that tests are hermetic.
#[derive(Debug, Clone, Default)]
pub struct ShellEnv {
    /// The user's shell (`$SHELL`).
    pub shell: Option<OsString>,
    /// The process's own PATH (the fallback).
    pub current_path: Option<OsString>,
}

impl ShellEnv {
    /// Reads `SHELL` and `PATH` from this process's environment (call at the app's edge).
    pub fn from_process() -> Self {
        ShellEnv {
            shell: std::env::var_os("SHELL"),
            current_path: std::env::var_os("PATH"),
        }
    }
}

/// Where a [`LoginPath`] came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PathSource {
    /// The login shell printed it.
    LoginShell,
    /// The process's PATH, because asking the shell failed for `reason`.
    Fallback {
        /// Why the shell was not used.
        reason: String,
    },
}

/// The PATH to run credential plugins with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginPath {
    /// The PATH value.
    pub path: OsString,
    /// Where it came from.
    pub source: PathSource,
}

const START: &str = "__OSMO_ADMIN_PATH_START__";
const END: &str = "__OSMO_ADMIN_PATH_END__";

/// Asks `env.shell` for the PATH of a login shell, within `timeout`, and returns `env.current_path`
/// followed by the login folders it lacks; falls back to
/// `env.current_path` (or an empty PATH) when there is no shell, it fails, times out or prints nothing.
///
/// The value is framed by markers so that a profile that prints a banner does not corrupt it; the
/// shell is killed if it does not finish in time.
pub async fn login_shell_path(env: &ShellEnv, timeout: Duration) -> LoginPath {
    let fallback = |reason: String| {
        tracing::info!(%reason, "using the app's own PATH for credential plugins");
        LoginPath {
            path: env.current_path.clone().unwrap_or_default(),
            source: PathSource::Fallback { reason },
        }
    };
    let Some(shell) = env.shell.as_ref().filter(|s| !s.is_empty()) else {
        return fallback("no login shell is set ($SHELL is empty)".into());
    };
    let mut command = tokio::process::Command::new(shell);
    command
        .arg("-lc")
        .arg(format!("printf '{START}%s{END}' \"$PATH\""))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    if let Some(path) = &env.current_path {
        command.env("PATH", path);
    }
    let child = match command.spawn() {
        Ok(c) => c,
        Err(e) => return fallback(format!("cannot start {}: {e}", Path::new(shell).display())),
    };
    let output = match tokio::time::timeout(timeout, child.wait_with_output()).await {
        Ok(Ok(o)) => o,
        Ok(Err(e)) => return fallback(format!("{} failed: {e}", Path::new(shell).display())),
        Err(_) => {
            return fallback(format!(
                "{} did not print its PATH within {}",
                Path::new(shell).display(),
                crate::error::format_duration(timeout)
            ))
        }
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let framed = stdout
        .find(START)
        .map(|i| &stdout[i + START.len()..])
        .and_then(|rest| rest.find(END).map(|j| &rest[..j]));
    match framed {
        Some(path) if !path.is_empty() && output.status.success() => LoginPath {
            path: app_path_then_login_path(env.current_path.as_ref(), &OsString::from(path)),
            source: PathSource::LoginShell,
        },
        _ => fallback(format!(
            "{} printed no PATH (exit status {})",
            Path::new(shell).display(),
            output.status
        )),
    }
}

/// The app's own PATH, then the folders of the login shell's PATH it lacks (each folder once, in order).
fn app_path_then_login_path(app: Option<&OsString>, login: &OsString) -> OsString {
    let mut folders: Vec<PathBuf> = Vec::new();
    for folder in app
        .map(std::env::split_paths)
        .into_iter()
        .flatten()
        .chain(std::env::split_paths(login))
    {
        if !folder.as_os_str().is_empty() && !folders.contains(&folder) {
            folders.push(folder);
        }
    }
    // Folders came from PATH values, so they hold no separator.
    std::env::join_paths(folders).unwrap_or_else(|_| login.clone())
}

/// Where `command` would be found on `path` (`None` if it is not there). A command with a path
/// separator is taken as a path and only checked for existence.
pub(crate) fn find_on_path(command: &str, path: &OsString) -> Option<PathBuf> {
    let as_path = Path::new(command);
    if as_path.components().count() > 1 || as_path.is_absolute() {
        return as_path.is_file().then(|| as_path.to_path_buf());
    }
    std::env::split_paths(path).find_map(|dir| {
        let candidates = if cfg!(windows) {
            vec![
                dir.join(command),
                dir.join(format!("{command}.exe")),
                dir.join(format!("{command}.cmd")),
                dir.join(format!("{command}.bat")),
            ]
        } else {
            vec![dir.join(command)]
        };
        candidates.into_iter().find(|c| is_executable(c))
    })
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn script(dir: &Path, name: &str, body: &str) -> OsString {
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        path.into_os_string()
    }

    #[tokio::test]
    async fn the_login_shell_path_is_used_even_after_a_banner() {
        let dir = tempfile::tempdir().expect("tempdir");
        // A fake "shell" that prints a banner, then runs the command with a login PATH.
        let shell = script(
            dir.path(),
            "fake-shell",
            "echo 'Welcome!'; PATH=/opt/homebrew/bin:/usr/bin; export PATH; shift; eval \"$1\"",
        );
        let env = ShellEnv {
            shell: Some(shell),
            current_path: Some("/usr/bin:/bin".into()),
        };
        let got = login_shell_path(&env, Duration::from_secs(5)).await;
        assert_eq!(got.source, PathSource::LoginShell);
        // The app's own folders first, then the login shell's it lacks.
        assert_eq!(got.path, OsString::from("/usr/bin:/bin:/opt/homebrew/bin"));
    }

    #[tokio::test]
    async fn a_slow_missing_or_failing_shell_falls_back_to_the_process_path() {
        let dir = tempfile::tempdir().expect("tempdir");
        let current = OsString::from("/usr/local/bin:/usr/bin");
        let cases = [
            (Some(script(dir.path(), "slow", "sleep 5")), "within"),
            (
                Some(dir.path().join("no-such-shell").into_os_string()),
                "cannot start",
            ),
            (
                Some(script(dir.path(), "fails", "exit 3")),
                "printed no PATH",
            ),
            (None, "no login shell"),
        ];
        for (shell, reason_part) in cases {
            let env = ShellEnv {
                shell,
                current_path: Some(current.clone()),
            };
            let started = std::time::Instant::now();
            let got = login_shell_path(&env, Duration::from_millis(500)).await;
            assert!(started.elapsed() < Duration::from_secs(3));
            assert_eq!(got.path, current);
            match got.source {
                PathSource::Fallback { reason } => {
                    assert!(reason.contains(reason_part), "{reason}")
                }
                other => panic!("expected a fallback, got {other:?}"),
            }
        }
    }

    #[test]
    fn commands_are_found_on_the_given_path_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let plugin = script(dir.path(), "my-plugin", "true");
        let path = OsString::from(format!("/nonexistent:{}", dir.path().display()));
        assert_eq!(
            find_on_path("my-plugin", &path),
            Some(PathBuf::from(&plugin))
        );
        assert_eq!(find_on_path("my-plugin", &OsString::from("/usr/bin")), None);
        assert_eq!(
            find_on_path(&plugin.to_string_lossy(), &OsString::new()),
            Some(PathBuf::from(&plugin))
        );
        assert_eq!(find_on_path("/no/such/plugin", &path), None);
    }
}
