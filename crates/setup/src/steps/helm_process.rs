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
