//! Running the user's helm: its stdout and stderr streamed line by line into the step's log, a
//! time limit, cancellation (the process is killed), and "helm is not there" told apart from
//! "helm failed".

use std::process::Stdio;

use osmo_admin_osmo_client::CancellationToken;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use crate::error::SetupError;
use crate::log::{StepLog, Stream};
use crate::plan::HelmOptions;

/// How a helm command ended.
#[derive(Debug)]
pub(crate) enum HelmRun {
    /// Exit status 0.
    Ok,
    /// helm could not be started; the reason in words.
    Missing(String),
}

/// Runs `helm <args>` (with `--kubeconfig`/`--kube-context` from `connection`), logging its output.
pub(crate) async fn run_helm(
    options: &HelmOptions,
    args: &[String],
    log: &StepLog<'_>,
    cancel: &CancellationToken,
) -> Result<HelmRun, SetupError> {
    let shown = format!("helm {}", args.join(" "));
    log.command(shown.clone());
    let mut command = Command::new(&options.helm_path);
    command
        .args(args)
        .envs(options.env.iter().map(|(k, v)| (k, v)))
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
            return Ok(HelmRun::Missing(format!(
                "helm could not be started as {:?}: {e}",
                options.helm_path.display().to_string()
            )));
        }
        Err(e) => {
            return Err(SetupError::Io {
                what: format!("start {shown}"),
                detail: e.to_string(),
            });
        }
    };
    let mut out = child.stdout.take().map(|s| BufReader::new(s).lines());
    let mut err = child.stderr.take().map(|s| BufReader::new(s).lines());
    let mut output = String::new();
    let mut record = |stream: Stream, line: String| {
        output.push_str(&line);
        output.push('\n');
        log.line(stream, line);
    };
    let deadline = tokio::time::sleep(options.timeout);
    tokio::pin!(deadline);
    let status = loop {
        tokio::select! {
            () = cancel.cancelled() => {
                let _ = child.kill().await;
                return Err(SetupError::Cancelled);
            }
            () = &mut deadline => {
                let _ = child.kill().await;
                return Err(SetupError::Timeout { what: format!("run {shown}"), seconds: options.timeout.as_secs().max(1) });
            }
            line = next(&mut out) => match line {
                Some(line) => record(Stream::Stdout, line),
                None => out = None,
            },
            line = next(&mut err) => match line {
                Some(line) => record(Stream::Stderr, line),
                None => err = None,
            },
            status = child.wait(), if out.is_none() && err.is_none() => {
                break status.map_err(|e| SetupError::Io { what: format!("wait for {shown}"), detail: e.to_string() })?;
            }
        }
    };
    if status.success() {
        Ok(HelmRun::Ok)
    } else {
        Err(SetupError::HelmFailed {
            command: shown,
            status: status
                .code()
                .map_or_else(|| status.to_string(), |c| format!("exit status {c}")),
            output,
        })
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
#[allow(clippy::unwrap_used)]
mod tests {
    use std::os::unix::fs::PermissionsExt;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use super::*;
    use crate::log::LogLine;
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
        let (result, _) = run(&missing, &CancellationToken::new()).await;
        assert!(
            matches!(result, Ok(HelmRun::Missing(_))),
            "{:?}",
            result.err()
        );

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
