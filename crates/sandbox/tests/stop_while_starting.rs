//! Stopping the sandbox while its local cluster is still starting leaves nothing behind: no
//! kube-apiserver, etcd, watchdog or `start.sh` of it runs on, and its run folder is gone.
//! (Alone in its test binary: it counts every cluster process this process started.)
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::time::Duration;

use osmo_admin_sandbox::{ClusterSnapshot, Sandbox, SandboxOptions};
use osmo_admin_test_cluster::processes_started_by;

/// The process's name (`/proc/<pid>/comm`).
fn name(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// etcd's `--data-dir` is `<run folder>/etcd-data`.
fn run_folder(etcd: u32) -> Option<PathBuf> {
    let cmdline = std::fs::read(format!("/proc/{etcd}/cmdline")).ok()?;
    let args: Vec<String> = cmdline
        .split(|b| *b == 0)
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    let data = args.iter().position(|a| a == "--data-dir")?;
    Some(PathBuf::from(args.get(data + 1)?).parent()?.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_while_the_cluster_starts_leaves_no_process_and_no_folder() {
    let me = std::process::id();
    let sandbox = Sandbox::start(SandboxOptions {
        with_cluster: true,
        heartbeat_interval: Duration::from_millis(300),
    })
    .await
    .unwrap();
    // Once etcd runs, the control plane is half started.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let etcd = loop {
        let etcd = processes_started_by(me)
            .into_iter()
            .find(|pid| name(*pid) == "etcd");
        if let Some(etcd) = etcd {
            break etcd;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "etcd never started: {:?}",
            sandbox.snapshot().cluster
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let run = run_folder(etcd).unwrap();
    assert!(run.exists(), "{}", run.display());
    assert!(
        matches!(sandbox.snapshot().cluster, ClusterSnapshot::Starting),
        "stopped while it starts"
    );
    let watchdog: u32 = std::fs::read_to_string(run.join("watchdog.pid"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let started: Vec<String> = processes_started_by(me).into_iter().map(name).collect();

    sandbox.stop().await;
    let snapshot = sandbox.snapshot();
    assert!(
        matches!(snapshot.cluster, ClusterSnapshot::Absent { .. }),
        "{:?}",
        snapshot.cluster
    );
    assert!(snapshot.links.is_empty());
    tokio::time::timeout(Duration::from_secs(1), sandbox.cluster_settled())
        .await
        .expect("a stopped sandbox's cluster is settled");
    // The control plane and start.sh end when stop returns; the watchdog, asked to end, may take
    // a moment, and its `sleep 1` may outlive it by up to a second.
    let left: Vec<String> = processes_started_by(me)
        .into_iter()
        .filter(|pid| *pid != watchdog)
        .map(name)
        .filter(|name| name != "sleep")
        .collect();
    assert!(
        left.is_empty(),
        "still running when stop returned: {left:?} (of {started:?})"
    );
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let left: Vec<String> = processes_started_by(me).into_iter().map(name).collect();
        if left.is_empty() {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "still running 5 s after stop: {left:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!run.exists(), "{} was not removed", run.display());
    drop(sandbox);
}
