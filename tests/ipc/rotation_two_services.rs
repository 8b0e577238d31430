//! Two services that both have a backend `gpu-east`: a rotation of each runs at once, and each is
//! stopped on its own. Two osmo-sim services, the shared API server with one
//! namespace per service (its token Secret and listener Deployment), and the app signed in to both
//! with each `gpu-east` linked to its namespace. No operator runs at first, so both rotations wait
//! for a heartbeat; the test stops the second service's, then starts the first service's operator
//! and sees that rotation complete.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use k8s_openapi::api::apps::v1::Deployment;
use kube::api::PostParams;
use kube::Api;
use osmo_admin_operator_sim::{
    listener_deployment, ClusterOperator, ClusterOperatorConfig, ClusterOperatorStatus, SecretRef,
};
use osmo_admin_test_cluster::TestCluster;
use osmo_sim::{Dialect, OperatorConfig, SeedBackend, SeedToken, SimConfig, SimHandle, Simulator};
use serde_json::{json, Value};
use tauri::async_runtime::block_on;

use crate::TestApp;

const BACKEND: &str = "gpu-east";
const OLD_TOKEN: &str = "gpu-east-token";

/// One OSMO service with `gpu-east`, its token in a Secret of `namespace` beside the chart's
/// listener Deployment.
struct Service {
    sim: SimHandle,
    id: String,
    namespace: String,
}

fn service(
    app: &TestApp,
    cluster: &TestCluster,
    client: &kube::Client,
    dialect: Dialect,
    name: &str,
    namespace: String,
) -> Service {
    let sim = block_on(Simulator::start(
        SimConfig::new(dialect)
            .require_auth(true)
            .backend(SeedBackend::new(BACKEND))
            .token(SeedToken::service("admin", &["osmo-admin"])),
    ))
    .unwrap();
    let token = sim
        .create_token(SeedToken::service(OLD_TOKEN, &["osmo-backend"]))
        .unwrap();
    block_on(cluster.create_namespace(&namespace)).unwrap();
    block_on(cluster.create_secret(&namespace, "osmo-operator-token", &[("token", &token)]))
        .unwrap();
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), &namespace);
    block_on(deployments.create(
        &PostParams::default(),
        &listener_deployment(&secret_ref(&namespace), "backend-listener:6.0.0"),
    ))
    .unwrap();

    let id = app
        .invoke("add_service", json!({"name": name, "url": sim.base_url()}))
        .unwrap();
    let admin = sim.seeded_token("admin").unwrap().to_owned();
    app.invoke("sign_in_with_token", json!({"service": id, "token": admin}))
        .unwrap();
    let id = id.as_str().unwrap().to_owned();
    let context = app.invoke("list_contexts", json!({})).unwrap()["contexts"][0]["name"].clone();
    app.invoke(
        "link_backend",
        json!({"backend": {"service": id, "backend": BACKEND}, "context": context, "operatorNamespace": namespace}),
    )
    .unwrap();
    Service { sim, id, namespace }
}

fn secret_ref(namespace: &str) -> SecretRef {
    SecretRef {
        namespace: namespace.into(),
        ..SecretRef::default()
    }
}

impl Service {
    fn backend(&self) -> Value {
        json!({"service": self.id, "backend": BACKEND})
    }

    fn start_rotation(&self, app: &TestApp) -> String {
        let expires = (Utc::now().date_naive() + chrono::Duration::days(30)).to_string();
        let request = json!({"request": {
            "backend": self.backend(), "context": null,
            "secretNamespace": self.namespace, "secretName": "osmo-operator-token", "secretKey": "token",
            "oldOwner": null, "oldName": OLD_TOKEN, "newOwner": null, "newName": null,
            "expiresAt": expires, "heartbeatTimeoutSecs": 120, "deleteOld": true,
            "pollIntervalSecs": 1
        }});
        let started = app.invoke("start_rotation", request).unwrap();
        started["id"].as_str().unwrap().to_owned()
    }

    fn cancel(&self, app: &TestApp) -> Value {
        app.invoke(
            "cancel_operation",
            json!({"operation": {"kind": "rotation", "backend": self.backend()}}),
        )
        .unwrap()
    }

    /// A simulated operator for this service's `gpu-east`, reading the Secret in its namespace.
    fn start_operator(&self, client: &kube::Client) -> ClusterOperator {
        let unused: osmo_sim::TokenSource = Arc::new(|| Err("read from the Secret".into()));
        let mut operator =
            OperatorConfig::new(self.sim.base_url(), self.sim.dialect(), BACKEND, unused);
        operator.heartbeat_interval = Duration::from_millis(200);
        operator.retry_interval = Duration::from_millis(200);
        let config = ClusterOperatorConfig {
            secret: secret_ref(&self.namespace),
            poll_interval: Duration::from_millis(100),
            ..ClusterOperatorConfig::new(client.clone(), operator)
        };
        block_on(async { ClusterOperator::start(config) })
    }
}

fn view(app: &TestApp, id: &str) -> Value {
    app.invoke("rotation_status", json!({ "id": id })).unwrap()
}

fn step_state(view: &Value, step: &str) -> String {
    view["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == step)
        .map(|s| s["state"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("no step {step}: {view}"))
}

/// Polls `rotation_status` until `done` holds of the view.
fn wait_for(app: &TestApp, id: &str, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    let start = Instant::now();
    loop {
        let view = view(app, id);
        if done(&view) {
            return view;
        }
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "rotation {id} never {what}: {view}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn stopped(view: &Value) -> bool {
    view["running"] == false && view["status"] != "running"
}

#[test]
fn rotations_of_gpu_east_in_two_services_run_at_once_and_stop_on_their_own() {
    let cluster = block_on(TestCluster::shared());
    let client = block_on(cluster.client()).unwrap();
    let kube_env = osmo_admin_app::KubeEnv {
        kubeconfig: Some(std::ffi::OsString::from(cluster.kubeconfig_path())),
        home: None,
    };
    let app = TestApp::start_with(tempfile::tempdir().unwrap(), kube_env);
    let suffix = std::process::id();
    let east = service(
        &app,
        cluster,
        &client,
        Dialect::V6_0,
        "east-a",
        format!("two-rotations-a-{suffix}"),
    );
    let west = service(
        &app,
        cluster,
        &client,
        Dialect::V6_0,
        "east-b",
        format!("two-rotations-b-{suffix}"),
    );
    assert_ne!(east.id, west.id);

    // The second start must not take over (or cancel) the first: both run.
    let first = east.start_rotation(&app);
    let second = west.start_rotation(&app);
    assert_ne!(first, second);
    let listed = app.invoke("list_rotations", json!({})).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    for (service, id) in [(&east, &first), (&west, &second)] {
        let waiting = wait_for(&app, id, "waited for a heartbeat", |v| {
            step_state(v, "wait_for_heartbeat") == "running"
        });
        assert_eq!(waiting["session"], service.id.as_str(), "{waiting}");
        assert_eq!(waiting["running"], true, "{waiting}");
    }

    // Stopping the second service's gpu-east stops that rotation only.
    assert_eq!(west.cancel(&app), json!(true));
    let cancelled = wait_for(&app, &second, "stopped", stopped);
    assert_eq!(cancelled["status"], "failed", "{cancelled}");
    assert_eq!(
        cancelled["failure"], "The operation was cancelled.",
        "{cancelled}"
    );
    assert_eq!(step_state(&cancelled, "wait_for_heartbeat"), "failed");
    let still = view(&app, &first);
    assert_eq!(
        (still["status"].clone(), still["running"].clone()),
        (json!("running"), json!(true)),
        "the first service's rotation runs on: {still}"
    );
    assert_eq!(step_state(&still, "wait_for_heartbeat"), "running");

    // Its operator comes up with the new token, heartbeats, and that rotation completes.
    let operator = east.start_operator(&client);
    let completed = wait_for(&app, &first, "stopped", stopped);
    assert_eq!(completed["status"], "completed", "{completed}");
    assert_eq!(completed["failure"], Value::Null, "{completed}");
    let new_token = completed["newToken"].as_str().unwrap();
    assert!(east.sim.token_exists(new_token, new_token));
    assert!(
        !east.sim.token_exists(OLD_TOKEN, OLD_TOKEN),
        "the first service's old token is deleted"
    );
    assert!(
        west.sim.token_exists(OLD_TOKEN, OLD_TOKEN),
        "the stopped rotation kept the second service's old token"
    );
    let connected = block_on(operator.wait_for(Duration::from_secs(30), |s| {
        matches!(
            s,
            ClusterOperatorStatus::Running(osmo_sim::OperatorStatus::Connected)
        )
    }));
    assert!(
        matches!(connected, ClusterOperatorStatus::Running(_)),
        "{connected:?}"
    );

    // Neither is running now: stopping either answers false.
    assert_eq!(east.cancel(&app), json!(false));
    assert_eq!(west.cancel(&app), json!(false));
    drop(operator);
    drop(app);
    block_on(east.sim.shutdown());
    block_on(west.sim.shutdown());
}
