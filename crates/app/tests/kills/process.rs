//! Starting a child process at a kill point and killing it there with SIGKILL.

use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use osmo_admin_core::kill_point::{PAUSE_AT, PAUSE_MARKER};

use crate::child::{Job, Work, JOB};

/// How long a child may take to reach its kill point.
const REACH: Duration = Duration::from_secs(90);

/// Runs `job` in a child process until it stops at kill point `point`, then kills it (SIGKILL)
/// and waits for it. Panics, with the child's output, if it ends or takes too long first.
pub async fn run_until_killed(job: &Job, point: &str) {
    let marker = job.dir.join("kill-point-reached");
    let (out, err) = (job.dir.join("child.out"), job.dir.join("child.err"));
    let mut command = Command::new(std::env::current_exe().unwrap());
    if let Work::Setup(setup) = &job.work {
        // The helm stand-in run by setup's step 3 inherits the app's environment.
        command.envs(setup.helm_env.iter().map(|(k, v)| (k, v)));
    }
    let mut child = command
        .env(JOB, serde_json::to_string(job).unwrap())
        .env(PAUSE_AT, point)
        .env(PAUSE_MARKER, &marker)
        .env("OSMO_ADMIN_LOG", "info")
        .stdin(Stdio::null())
        .stdout(File::create(&out).unwrap())
        .stderr(File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if marker.exists() {
            let reached = std::fs::read_to_string(&marker).unwrap();
            assert_eq!(reached, point, "stopped at another point");
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "the child ended ({status}) before kill point {point}:\n{}",
                tail(&err)
            );
        }
        if started.elapsed() > REACH {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "the child did not reach kill point {point} within {REACH:?}:\n{}",
                tail(&err)
            );
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // std's `Child::kill` is SIGKILL on unix: no destructor, no flush, no last journal entry.
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "{status}");
}

/// The end of a child's output, for a failure message.
fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}
