//! The sandbox as a newcomer gets it: two services, four backends each (one offline), tokens
//! expired / expiring / fine, and a simulated operator that really brings its backend online;
//! the services answer at once, while the local cluster starts in the background.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use chrono::Utc;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Namespace, Pod};
use kube::api::{ListParams, Patch, PatchParams};
use kube::Api;
use osmo_admin_sandbox::{
    BackendSnapshot, ClusterSnapshot, OperatorKind, Sandbox, SandboxOptions, SandboxSnapshot,
    SANDBOX_CONTEXT, WAITING_FOR_CLUSTER,
};
use osmo_sim::SeedToken;

async fn wait_until_operators_connect(sandbox: &Sandbox) -> SandboxSnapshot {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let snapshot = sandbox.snapshot();
        // Online at the service, and the operator's own status caught up (polled each second).
        let east_online = snapshot.services.iter().all(|s| {
            s.backends.iter().any(|b| {
                b.name == "gpu-east"
                    && b.online
                    && b.operator_status.as_deref() == Some("connected, heartbeating")
            })
        });
        if east_online {
            return snapshot;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "gpu-east never came online: {snapshot:#?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn assert_world(snapshot: &SandboxSnapshot) {
    let versions: Vec<_> = snapshot
        .services
        .iter()
        .map(|s| s.version.as_str())
        .collect();
    assert_eq!(versions, ["6.0.0", "6.4.0"]);
    let today = Utc::now().date_naive();
    for service in &snapshot.services {
        let online: Vec<_> = service
            .backends
            .iter()
            .map(|b| (b.name.as_str(), b.online))
            .collect();
        assert_eq!(
            online,
            [
                ("gpu-east", true),
                ("gpu-west", true),
                ("cpu-batch", true),
                ("dgx-lab", false)
            ],
            "{}",
            service.name
        );
        let expiry = |name: &str| {
            service
                .tokens
                .iter()
                .find(|t| t.name == name)
                .unwrap_or_else(|| panic!("no token {name} in {}", service.name))
                .expires_at
        };
        assert!(expiry("dgx-lab-token") < today, "expired");
        let soon = (expiry("gpu-east-token") - today).num_days();
        assert!((1..=7).contains(&soon), "expires within 7 days, got {soon}");
        assert!((expiry("gpu-west-token") - today).num_days() > 30, "fine");
        let east = service
            .backends
            .iter()
            .find(|b| b.name == "gpu-east")
            .unwrap();
        assert_eq!(
            east.operator_status.as_deref(),
            Some("connected, heartbeating")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_cluster_operators_run_in_memory() {
    let sandbox = Sandbox::start(SandboxOptions {
        with_cluster: false,
        heartbeat_interval: Duration::from_millis(300),
    })
    .await
    .unwrap();
    let snapshot = wait_until_operators_connect(&sandbox).await;
    assert_world(&snapshot);
    assert!(matches!(snapshot.cluster, ClusterSnapshot::Absent { .. }));
    assert!(
        sandbox
            .chart_installer(SANDBOX_CONTEXT, std::path::Path::new("/any"))
            .is_none(),
        "no cluster, no chart installer"
    );
    assert!(snapshot.services[0].operator_where.contains("in memory"));
    // dgx-lab's expired token could never be rotated without a cluster: no operator runs for it.
    let dgx = backend(&snapshot, 0, "dgx-lab");
    assert_eq!(
        (dgx.operator, dgx.operator_status.as_deref()),
        (OperatorKind::None, None)
    );
}

fn backend<'a>(snapshot: &'a SandboxSnapshot, service: usize, name: &str) -> &'a BackendSnapshot {
    snapshot.services[service]
        .backends
        .iter()
        .find(|b| b.name == name)
        .unwrap()
}

/// Polls `probe` every 200 ms for up to 30 s.
async fn eventually<F, Fut>(what: &str, probe: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !probe().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "waited 30 s for {what}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Whether a simulated service answers `GET /api/version` with 200 (plain HTTP/1.1 over TCP).
async fn answers(base_url: &str) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Ok(mut stream) =
        tokio::net::TcpStream::connect(base_url.trim_start_matches("http://")).await
    else {
        return false;
    };
    let request = "GET /api/version HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n";
    let mut answer = String::new();
    stream.write_all(request.as_bytes()).await.is_ok()
        && stream.read_to_string(&mut answer).await.is_ok()
        && answer.starts_with("HTTP/1.1 200")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_local_cluster_operators_read_their_secret_and_it_all_stops_on_drop() {
    let asked = std::time::Instant::now();
    let sandbox = Sandbox::start(SandboxOptions {
        with_cluster: true,
        heartbeat_interval: Duration::from_millis(300),
    })
    .await
    .unwrap();
    let returned = asked.elapsed();
    // The services answer at once, with their seeded backends; the cluster starts in the
    // background, and the operators that will run there wait for it.
    let first = sandbox.snapshot();
    assert!(
        matches!(first.cluster, ClusterSnapshot::Starting),
        "{:?}",
        first.cluster
    );
    for (name, sim) in sandbox.simulators() {
        assert!(answers(&sim.base_url()).await, "{name} answers");
    }
    for name in ["gpu-east", "dgx-lab"] {
        let waiting = backend(&first, 0, name);
        assert_eq!(
            (waiting.operator, waiting.operator_status.as_deref()),
            (OperatorKind::Simulated, Some(WAITING_FOR_CLUSTER)),
            "{name}"
        );
    }
    let west = backend(&first, 1, "gpu-west");
    assert!(west.online && west.operator == OperatorKind::KeptAlive);
    let dgx = backend(&first, 1, "dgx-lab");
    assert!(!dgx.online && dgx.last_heartbeat.is_some(), "{dgx:?}");
    assert!(
        first.links.is_empty(),
        "nothing to link before the cluster runs"
    );
    assert!(sandbox
        .chart_installer(SANDBOX_CONTEXT, std::path::Path::new("/any"))
        .is_none());
    println!(
        "# Sandbox::start returned after {} ms with the cluster asked for (still starting)",
        returned.as_millis()
    );
    sandbox.cluster_settled().await;
    println!(
        "# the sandbox cluster settled {} ms after Sandbox::start was called",
        asked.elapsed().as_millis()
    );
    let snapshot = wait_until_operators_connect(&sandbox).await;
    assert_world(&snapshot);
    let ClusterSnapshot::Running {
        kubeconfig,
        context,
        ..
    } = &snapshot.cluster
    else {
        panic!(
            "the local cluster should run (tests/cluster/build.sh builds it): {:?}",
            snapshot.cluster
        );
    };
    assert!(kubeconfig.exists());
    assert_eq!(context, SANDBOX_CONTEXT);
    // Setup's step 3 gets the sandbox's simulated helm for the context it lends, and only that.
    let installer = sandbox
        .chart_installer(SANDBOX_CONTEXT, kubeconfig)
        .unwrap();
    let simulation = installer.simulation().expect("labelled as simulated");
    assert_eq!(simulation.by, "the sandbox");
    assert!(sandbox.chart_installer("local", kubeconfig).is_none());
    assert!(sandbox
        .chart_installer(SANDBOX_CONTEXT, &kubeconfig.with_extension("other"))
        .is_none());
    // The app links each service's gpu-east and dgx-lab to the cluster for the run, each in its
    // own operator namespace.
    let links: Vec<_> = snapshot
        .links
        .iter()
        .map(|l| {
            (
                l.service().as_str(),
                l.backend_name().as_str(),
                l.context(),
                l.operator_namespace(),
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            ("sandbox-6.0", "gpu-east", SANDBOX_CONTEXT, "osmo-operator"),
            (
                "sandbox-6.0",
                "dgx-lab",
                SANDBOX_CONTEXT,
                "dgx-lab-operator"
            ),
            (
                "sandbox-6.4",
                "gpu-east",
                SANDBOX_CONTEXT,
                "osmo-operator-v64"
            ),
            (
                "sandbox-6.4",
                "dgx-lab",
                SANDBOX_CONTEXT,
                "dgx-lab-operator-v64"
            ),
        ]
    );
    assert!(
        snapshot.services[0]
            .operator_where
            .contains("secret osmo-operator/osmo-operator-token"),
        "{}",
        snapshot.services[0].operator_where
    );
    // The Secret names the token it holds, the way the app's rotation marks the Secrets it
    // writes, so rotating a sandbox backend's token can delete the old one.
    // Through the kubeconfig written for the app, by its context's name.
    let config = kube::Config::from_custom_kubeconfig(
        kube::config::Kubeconfig::read_from(kubeconfig).unwrap(),
        &kube::config::KubeConfigOptions {
            context: Some(SANDBOX_CONTEXT.into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let secrets: kube::Api<k8s_openapi::api::core::v1::Secret> = kube::Api::namespaced(
        kube::Client::try_from(config.clone()).unwrap(),
        "osmo-operator",
    );
    let secret = secrets.get("osmo-operator-token").await.unwrap();
    let notes = secret.metadata.annotations.unwrap_or_default();
    let (owner, name) = (
        &notes["osmo-backend-admin/token-owner"],
        &notes["osmo-backend-admin/token-name"],
    );
    let (_, sim60) = sandbox.simulators().next().unwrap();
    assert!(sim60.token_exists(owner, name), "{owner}/{name}");
    let client = kube::Client::try_from(config).unwrap();

    // The cluster side looks the way a healthy install does: both namespaces, the listener and
    // the worker, their pods running and ready (the stand-in kubelet).
    let namespaces: Api<Namespace> = Api::all(client.clone());
    for ns in [
        "osmo-operator",
        "osmo-workflows",
        "osmo-operator-v64",
        "osmo-workflows-v64",
        "dgx-lab-operator",
        "dgx-lab-workflows",
    ] {
        assert!(
            namespaces.get_opt(ns).await.unwrap().is_some(),
            "namespace {ns}"
        );
    }
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), "osmo-operator");
    eventually("gpu-east's listener and worker to be ready", || async {
        let list = deployments
            .list(&ListParams::default())
            .await
            .unwrap()
            .items;
        list.len() == 2
            && list
                .iter()
                .all(|d| d.status.as_ref().and_then(|s| s.ready_replicas) == Some(1))
    })
    .await;
    let pods: Api<Pod> = Api::namespaced(client.clone(), "osmo-operator");
    let running = pods.list(&ListParams::default()).await.unwrap().items;
    assert!(
        running
            .iter()
            .all(|p| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running")),
        "{running:?}"
    );

    // dgx-lab's operator runs there with its expired token: it cannot connect, so dgx-lab stays
    // offline; its Secret names the token. Rotated the way the app does it (a new token in the
    // Secret, a rollout restart), it comes online.
    let snapshot = sandbox.snapshot();
    let dgx = backend(&snapshot, 0, "dgx-lab");
    assert_eq!(dgx.operator, OperatorKind::Simulated);
    assert!(!dgx.online);
    let secrets: kube::Api<k8s_openapi::api::core::v1::Secret> =
        kube::Api::namespaced(client.clone(), "dgx-lab-operator");
    let secret = secrets.get("osmo-operator-token").await.unwrap();
    let notes = secret.metadata.annotations.unwrap_or_default();
    assert_eq!(notes["osmo-backend-admin/token-name"], "dgx-lab-token");
    let (_, sim60) = sandbox.simulators().next().unwrap();
    let fresh = sim60
        .create_token(
            SeedToken::service("dgx-lab-token-2", &["osmo-backend"])
                .expires_at(Utc::now().date_naive() + chrono::Days::new(30)),
        )
        .unwrap();
    let write = serde_json::json!({"stringData": {"token": fresh}});
    secrets
        .patch(
            "osmo-operator-token",
            &PatchParams::default(),
            &Patch::Merge(&write),
        )
        .await
        .unwrap();
    let restart = serde_json::json!({"spec": {"template": {"metadata": {"annotations": {
        "kubectl.kubernetes.io/restartedAt": Utc::now().to_rfc3339()}}}}});
    Api::<Deployment>::namespaced(client.clone(), "dgx-lab-operator")
        .patch(
            "osmo-operator-osmo-backend-listener",
            &PatchParams::default(),
            &Patch::Merge(&restart),
        )
        .await
        .unwrap();
    eventually("dgx-lab online after its token is rotated", || async {
        backend(&sandbox.snapshot(), 0, "dgx-lab").online
    })
    .await;

    let urls: Vec<String> = sandbox
        .simulators()
        .map(|(_, sim)| sim.base_url())
        .collect();
    drop(sandbox);
    tokio::time::sleep(Duration::from_millis(300)).await;
    for url in urls {
        let refused = tokio::net::TcpStream::connect(url.trim_start_matches("http://")).await;
        assert!(
            refused.is_err(),
            "{url} still answers after the sandbox was dropped"
        );
    }
    assert!(
        !kubeconfig.exists(),
        "the local cluster's run folder is removed when it stops"
    );
}
