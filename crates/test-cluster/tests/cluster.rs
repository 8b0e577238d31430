//! The harness against the real API server: kube-rs round trips, the controller-manager, extra users with
//! limited RBAC, and cleanup by PID (on drop, on stop, and by the watchdog when the owner dies).
//! Fails (never skips) when the kube binaries are missing: run tests/cluster/build.sh.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::{Namespace, Secret};
use k8s_openapi::ByteString;
use kube::api::{ListParams, ObjectMeta, PostParams};
use kube::Api;
use osmo_admin_test_cluster::{is_process_alive, kube_bin_dir, TestCluster};

async fn start() -> TestCluster {
    TestCluster::start().await.unwrap_or_else(|e| panic!("{e}"))
}

fn meta(name: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.into()),
        ..Default::default()
    }
}

fn deployment(name: &str) -> Deployment {
    serde_json::from_value(serde_json::json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "main", "image": "example.invalid/app:1"}]}
            }
        }
    }))
    .unwrap()
}

fn expect_status(result: Result<impl std::fmt::Debug, kube::Error>, code: u16) {
    match result {
        Err(kube::Error::Api(status)) => assert_eq!(status.code, code, "{status:?}"),
        other => panic!("expected HTTP {code}, got {other:?}"),
    }
}

#[tokio::test]
async fn kube_rs_round_trips_namespace_secret_and_deployment() {
    let cluster = start().await;
    assert!(cluster.server_url().starts_with("https://127.0.0.1:"));
    assert!(cluster.kubeconfig_path().is_file());
    let client = cluster.client().await.unwrap();

    let namespaces: Api<Namespace> = Api::all(client.clone());
    let ns = Namespace {
        metadata: meta("team-a"),
        ..Default::default()
    };
    namespaces
        .create(&PostParams::default(), &ns)
        .await
        .unwrap();
    expect_status(namespaces.create(&PostParams::default(), &ns).await, 409);

    let secrets: Api<Secret> = Api::namespaced(client.clone(), "team-a");
    let secret = Secret {
        metadata: meta("osmo-operator-token"),
        string_data: Some(BTreeMap::from([(
            "token".to_string(),
            "s3cret".to_string(),
        )])),
        ..Default::default()
    };
    secrets
        .create(&PostParams::default(), &secret)
        .await
        .unwrap();
    let read = secrets.get("osmo-operator-token").await.unwrap();
    assert_eq!(read.data.unwrap()["token"], ByteString(b"s3cret".to_vec()));
    expect_status(secrets.create(&PostParams::default(), &secret).await, 409);

    let deployments: Api<Deployment> = Api::namespaced(client.clone(), "team-a");
    deployments
        .create(&PostParams::default(), &deployment("web"))
        .await
        .unwrap();
    expect_status(
        deployments
            .create(&PostParams::default(), &deployment("web"))
            .await,
        409,
    );
    let read = deployments.get("web").await.unwrap();
    assert_eq!(read.spec.unwrap().replicas, Some(1));

    // The controller-manager turns the Deployment into a ReplicaSet.
    let replica_sets: Api<ReplicaSet> = Api::namespaced(client, "team-a");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let list = replica_sets
            .list(&ListParams::default().labels("app=web"))
            .await
            .unwrap();
        if let Some(rs) = list.items.first() {
            let owner = &rs.metadata.owner_references.as_ref().unwrap()[0];
            assert_eq!(
                (owner.kind.as_str(), owner.name.as_str()),
                ("Deployment", "web")
            );
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no ReplicaSet for Deployment web after 60 s"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    cluster.stop().await.unwrap();
}

#[tokio::test]
async fn extra_users_get_only_what_is_bound() {
    let cluster = start().await;
    let admin = cluster.client().await.unwrap();
    Api::<Namespace>::all(admin.clone())
        .create(
            &PostParams::default(),
            &Namespace {
                metadata: meta("team-b"),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    Api::<Deployment>::namespaced(admin, "team-b")
        .create(&PostParams::default(), &deployment("api"))
        .await
        .unwrap();

    let viewer = cluster.add_user("viewer").await.unwrap();
    assert_eq!(
        viewer.username(),
        "system:serviceaccount:osmo-test-users:viewer"
    );
    assert!(viewer.kubeconfig_path().is_file());
    let client = viewer.client().await.unwrap();
    let in_b: Api<Deployment> = Api::namespaced(client.clone(), "team-b");
    expect_status(in_b.list(&ListParams::default()).await, 403);

    cluster
        .bind_cluster_role(&viewer, "view", Some("team-b"))
        .await
        .unwrap();
    // RBAC changes apply within a moment.
    let deadline = Instant::now() + Duration::from_secs(20);
    let list = loop {
        match in_b.list(&ListParams::default()).await {
            Ok(list) => break list,
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("viewer still cannot list deployments in team-b: {e}"),
        }
    };
    assert_eq!(list.items.len(), 1);
    // "view" does not cover Secrets, nor other namespaces, nor writes.
    expect_status(
        Api::<Secret>::namespaced(client.clone(), "team-b")
            .list(&ListParams::default())
            .await,
        403,
    );
    expect_status(
        Api::<Deployment>::namespaced(client.clone(), "default")
            .list(&ListParams::default())
            .await,
        403,
    );
    expect_status(
        in_b.create(&PostParams::default(), &deployment("mine"))
            .await,
        403,
    );
    expect_status(
        Api::<Namespace>::all(client)
            .list(&ListParams::default())
            .await,
        403,
    );
}

#[tokio::test]
async fn processes_are_gone_after_drop() {
    let cluster = start().await;
    let processes = cluster.processes().to_vec();
    let names: Vec<&str> = processes.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["etcd", "apiserver", "kcm", "watchdog"]);
    assert!(
        processes.iter().all(|p| is_process_alive(p.pid)),
        "{processes:?}"
    );
    let run_dir = cluster.run_dir().to_path_buf();
    drop(cluster);
    // The watchdog may take a moment to notice that it was asked to end; the rest is gone when drop returns.
    for p in &processes {
        if p.name != "watchdog" {
            assert!(
                !is_process_alive(p.pid),
                "{} (pid {}) still runs after drop",
                p.name,
                p.pid
            );
        }
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while processes.iter().any(|p| is_process_alive(p.pid)) {
        assert!(
            Instant::now() < deadline,
            "still running 5 s after drop: {processes:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        !run_dir.exists(),
        "the run folder {} was not removed",
        run_dir.display()
    );
}

/// A crashed test run: the owner process dies without stopping anything; the watchdog cleans up.
#[test]
fn watchdog_stops_the_cluster_when_the_owner_dies() {
    let bin = kube_bin_dir().unwrap_or_else(|e| panic!("{e}"));
    let run = tempfile::tempdir().unwrap();
    let mut owner = OwnerGuard(
        std::process::Command::new("sleep")
            .arg("600")
            .spawn()
            .unwrap(),
    );
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/cluster/start.sh");
    let status = std::process::Command::new(script)
        .arg(&bin)
        .arg(run.path())
        .arg("--owner-pid")
        .arg(owner.0.id().to_string())
        .arg("--remove-run-dir")
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let pids: Vec<u32> = ["etcd", "apiserver", "kcm", "watchdog"]
        .iter()
        .map(|n| {
            std::fs::read_to_string(run.path().join(format!("{n}.pid")))
                .unwrap()
                .trim()
                .parse()
                .unwrap()
        })
        .collect();
    assert!(pids.iter().all(|p| is_process_alive(*p)));
    owner.0.kill().unwrap();
    owner.0.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while pids.iter().any(|p| is_process_alive(*p)) {
        assert!(
            Instant::now() < deadline,
            "the watchdog did not stop {pids:?} after the owner exited"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    while run.path().exists() {
        assert!(
            Instant::now() < deadline,
            "the watchdog did not remove {}",
            run.path().display()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Ends the stand-in owner process if the test fails early (so the watchdog cleans up anyway).
struct OwnerGuard(std::process::Child);

impl Drop for OwnerGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
