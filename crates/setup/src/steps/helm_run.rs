//! Running one helm command of step 3 through the plan's [`ChartInstaller`] (the user's helm by
//! default): the command and every line it prints go to the step's log, with helm's time limit
//! and cancellation (the run is dropped, which kills a helm process), and "helm is not there"
//! told apart from "helm failed".

use std::sync::Arc;

use osmo_admin_osmo_client::CancellationToken;

use crate::error::SetupError;
use crate::installer::{ChartInstaller, HelmProcess, InstallerError};
use crate::log::StepLog;
use crate::plan::HelmOptions;

/// How a helm command ended.
#[derive(Debug)]
pub(crate) enum HelmRun {
    /// It succeeded.
    Ok,
    /// helm is not there; what to tell the user.
    Missing(String),
}

/// The installer of `options`: its own, else the helm at `helm_path`.
pub(crate) fn installer(options: &HelmOptions) -> Arc<dyn ChartInstaller> {
    options
        .installer
        .clone()
        .unwrap_or_else(|| Arc::new(HelmProcess::new(options)))
}

/// Runs `helm <args>` (with `--kubeconfig`/`--kube-context` in `args`), logging its output.
pub(crate) async fn run_helm(
    options: &HelmOptions,
    args: &[String],
    log: &StepLog<'_>,
    cancel: &CancellationToken,
) -> Result<HelmRun, SetupError> {
    let shown = format!("helm {}", args.join(" "));
    log.command(shown.clone());
    let installer = installer(options);
    let mut output = String::new();
    let mut record = |stream, line: String| {
        output.push_str(&line);
        output.push('\n');
        log.line(stream, line);
    };
    let ended = tokio::select! {
        () = cancel.cancelled() => return Err(SetupError::Cancelled),
        ended = tokio::time::timeout(options.timeout, installer.run(args, &mut record)) => ended,
    };
    match ended {
        Err(_) => Err(SetupError::Timeout {
            what: format!("run {shown}"),
            seconds: options.timeout.as_secs().max(1),
        }),
        Ok(Ok(())) => Ok(HelmRun::Ok),
        Ok(Err(InstallerError::Missing(reason))) => Ok(HelmRun::Missing(reason)),
        Ok(Err(InstallerError::Failed { status })) => Err(SetupError::HelmFailed {
            command: shown,
            status,
            output,
        }),
        Ok(Err(InstallerError::Start(detail))) => Err(SetupError::Io {
            what: format!("start {shown}"),
            detail,
        }),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::os::unix::fs::PermissionsExt;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use super::*;
    use crate::log::{LogLine, Stream};
    use crate::steps::StepId;

    /// A fake helm: prints a line on each stream, then runs `rest`.
    fn fake_helm(dir: &std::path::Path, rest: &str) -> HelmOptions {
        let path = dir.join("helm");
        let script = format!("#!/bin/sh\necho \"out $1\"\necho \"err $1\" >&2\n{rest}\n");
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        HelmOptions {
            helm_path: path,
            timeout: Duration::from_secs(5),
            ..HelmOptions::default()
        }
    }

    async fn run(
        options: &HelmOptions,
        cancel: &CancellationToken,
    ) -> (Result<HelmRun, SetupError>, Vec<LogLine>) {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink_lines = lines.clone();
        let sink = move |l: LogLine| sink_lines.lock().unwrap().push(l);
        let log = StepLog {
            step: StepId::Operator,
            sink: &sink,
        };
        let result = run_helm(options, &["version".into()], &log, cancel).await;
        let lines = lines.lock().unwrap().clone();
        (result, lines)
    }

    #[tokio::test]
    async fn output_is_streamed_and_failure_carries_it() {
        let dir = tempfile::tempdir().unwrap();
        let (ok, lines) = run(&fake_helm(dir.path(), "exit 0"), &CancellationToken::new()).await;
        assert!(matches!(ok, Ok(HelmRun::Ok)));
        let streams: Vec<(Stream, &str)> =
            lines.iter().map(|l| (l.stream, l.text.as_str())).collect();
        assert_eq!(streams[0], (Stream::Command, "helm version"));
        assert!(
            streams.contains(&(Stream::Stdout, "out version")),
            "{streams:?}"
        );
        assert!(
            streams.contains(&(Stream::Stderr, "err version")),
            "{streams:?}"
        );

        let (failed, _) = run(&fake_helm(dir.path(), "exit 3"), &CancellationToken::new()).await;
        let Err(SetupError::HelmFailed { status, output, .. }) = failed else {
            panic!("{failed:?}")
        };
        assert_eq!(status, "exit status 3");
        assert!(
            output.contains("out version") && output.contains("err version"),
            "{output}"
        );
    }

    #[tokio::test]
    async fn missing_helm_timeouts_and_cancellation_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let missing = HelmOptions {
            helm_path: dir.path().join("nope"),
            ..HelmOptions::default()
        };
        let (result, lines) = run(&missing, &CancellationToken::new()).await;
        let Ok(HelmRun::Missing(reason)) = result else {
            panic!("{result:?}")
        };
        assert!(reason.starts_with("helm is not installed at "), "{reason}");
        assert!(
            reason.contains(crate::installer::HELM_INSTALL_URL),
            "{reason}"
        );
        // The log has the command tried, not the reason (the step's outcome says it, once).
        assert_eq!(lines.len(), 1, "{lines:?}");

        let mut slow = fake_helm(dir.path(), "exec sleep 30");
        slow.timeout = Duration::from_millis(300);
        let started = std::time::Instant::now();
        let (result, _) = run(&slow, &CancellationToken::new()).await;
        assert!(
            matches!(result, Err(SetupError::Timeout { .. })),
            "{:?}",
            result.err()
        );
        let cancel = CancellationToken::new();
        slow.timeout = Duration::from_secs(30);
        let trigger = cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            trigger.cancel();
        });
        let (result, _) = run(&slow, &cancel).await;
        assert!(
            matches!(result, Err(SetupError::Cancelled)),
            "{:?}",
            result.err()
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}
