//! A rotation through IPC against the real API server: osmo-sim (auth required) with backend
//! `gpu` and its token, the token Secret and the chart's listener Deployment in a namespace, and
//! a simulated operator that reads the Secret, exchanges the token and heartbeats. The app starts
//! the rotation, it runs in the background, `rotation_status` follows it to the end; the old
//! token is gone, the new one is in use, and the Tokens list says the backend uses it. And a
//! rotation stopped while waiting for a heartbeat (`cancel_operation` of gpu's rotation) says where
//! it stands; after a restart it is listed and rolled back (the old token back in the secret).

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use k8s_openapi::api::apps::v1::Deployment;
use kube::api::PostParams;
use kube::Api;
use osmo_admin_operator_sim::{
    listener_deployment, ClusterOperator, ClusterOperatorConfig, ClusterOperatorStatus, SecretRef,
};
use osmo_sim::{Dialect, OperatorConfig, SeedBackend, SeedToken, SimConfig, Simulator};
use serde_json::{json, Value};
use tauri::async_runtime::block_on;

use crate::TestApp;

fn connected(s: &ClusterOperatorStatus) -> bool {
    matches!(
        s,
        ClusterOperatorStatus::Running(osmo_sim::OperatorStatus::Connected)
    )
}

/// Polls `rotation_status` until the rotation stops running.
fn wait_until_stopped(app: &TestApp, id: &str) -> Value {
    let start = Instant::now();
    loop {
        let view = app.invoke("rotation_status", json!({ "id": id })).unwrap();
        if view["running"] == false && view["status"] != "running" {
            return view;
        }
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "still running: {view}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

struct World {
    sim: osmo_sim::SimHandle,
    cluster: osmo_admin_test_cluster::TestCluster,
    operator: Option<ClusterOperator>,
    app: TestApp,
    admin: String,
    service_id: String,
    namespace: &'static str,
    old_value: String,
    client: kube::Client,
}

/// osmo-sim (6.0, auth required) with backend `gpu` and its token `backend-token`, the Secret and
/// the listener Deployment in `namespace` of a fresh cluster, a connected simulated operator, and
/// the app signed in as admin with `gpu` linked to the cluster's context.
fn world(namespace: &'static str) -> World {
    let sim = block_on(Simulator::start(
        SimConfig::new(Dialect::V6_0)
            .require_auth(true)
            .backend(SeedBackend::new("gpu"))
            .token(SeedToken::service("admin", &["osmo-admin"])),
    ))
    .unwrap();
    let old_value = sim
        .create_token(SeedToken::service("backend-token", &["osmo-backend"]))
        .unwrap();
    let admin = sim.seeded_token("admin").unwrap().to_owned();

    let cluster = block_on(osmo_admin_test_cluster::TestCluster::start())
        .unwrap_or_else(|e| panic!("starting the test cluster: {e}"));
    let client = block_on(cluster.client()).unwrap();
    block_on(cluster.create_namespace(namespace)).unwrap();
    block_on(cluster.create_secret(namespace, "osmo-operator-token", &[("token", &old_value)]))
        .unwrap();
    let secret_ref = SecretRef {
        namespace: namespace.into(),
        ..SecretRef::default()
    };
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), namespace);
    block_on(deployments.create(
        &PostParams::default(),
        &listener_deployment(&secret_ref, "backend-listener:6.0.0"),
    ))
    .unwrap();
    let unused: osmo_sim::TokenSource = Arc::new(|| Err("replaced".into()));
    let mut operator = OperatorConfig::new(sim.base_url(), sim.dialect(), "gpu", unused);
    operator.heartbeat_interval = Duration::from_millis(200);
    operator.retry_interval = Duration::from_millis(200);
    let config = ClusterOperatorConfig {
        secret: secret_ref,
        poll_interval: Duration::from_millis(100),
        ..ClusterOperatorConfig::new(client.clone(), operator)
    };
    let operator = block_on(async { ClusterOperator::start(config) });
    let status = block_on(operator.wait_for(Duration::from_secs(30), connected));
    assert!(connected(&status), "operator not connected: {status:?}");

    let app = start_app(&cluster, tempfile::tempdir().unwrap());
    let contexts = app.invoke("list_contexts", json!({})).unwrap();
    let context = contexts["contexts"][0]["name"].as_str().unwrap().to_owned();
    let id = app
        .invoke("add_service", json!({"name": "lab", "url": sim.base_url()}))
        .unwrap();
    app.invoke("sign_in_with_token", json!({"service": id, "token": admin}))
        .unwrap();
    app.invoke(
        "link_backend",
        json!({"backend": {"service": "lab", "backend": "gpu"}, "context": context, "operatorNamespace": namespace}),
    )
    .unwrap();
    World {
        sim,
        cluster,
        operator: Some(operator),
        app,
        admin,
        service_id: id.as_str().unwrap().to_owned(),
        namespace,
        old_value,
        client,
    }
}

fn start_app(cluster: &osmo_admin_test_cluster::TestCluster, dir: tempfile::TempDir) -> TestApp {
    let kube_env = osmo_admin_app::KubeEnv {
        kubeconfig: Some(std::ffi::OsString::from(cluster.kubeconfig_path())),
        home: None,
    };
    TestApp::start_with(dir, kube_env)
}

fn request(namespace: &str, heartbeat_timeout_secs: u32) -> Value {
    let expires = (Utc::now().date_naive() + chrono::Duration::days(30)).to_string();
    json!({"request": {
        "backend": {"service": "lab", "backend": "gpu"}, "context": null,
        "secretNamespace": namespace, "secretName": "osmo-operator-token", "secretKey": "token",
        "oldOwner": null, "oldName": "backend-token", "newOwner": null, "newName": null,
        "expiresAt": expires, "heartbeatTimeoutSecs": heartbeat_timeout_secs, "deleteOld": true,
        "pollIntervalSecs": 1
    }})
}

fn new_name() -> String {
    let expires = Utc::now().date_naive() + chrono::Duration::days(30);
    format!("backend-token-{}", expires.format("%Y%m%d"))
}

impl World {
    /// The token value the Secret holds now.
    fn secret_token(&self) -> String {
        use k8s_openapi::api::core::v1::Secret as KubeSecret;
        let api: Api<KubeSecret> = Api::namespaced(self.client.clone(), self.namespace);
        let secret = block_on(api.get("osmo-operator-token")).unwrap();
        String::from_utf8(secret.data.unwrap()["token"].0.clone()).unwrap()
    }

    fn stop(mut self) {
        drop(self.app);
        self.operator.take();
        block_on(self.cluster.stop()).unwrap();
        block_on(self.sim.shutdown());
    }
}

#[test]
fn a_rotation_through_ipc_replaces_the_backends_token() {
    let w = world("ipc-rotation");
    let app = &w.app;
    let context = app.invoke("list_contexts", json!({})).unwrap()["contexts"][0]["name"]
        .as_str()
        .unwrap()
        .to_owned();
    // The secret was not written by the app, so the form names the old token itself.
    let request = request(w.namespace, 60);
    let started = app.invoke("start_rotation", request.clone()).unwrap();
    let rotation = started["id"].as_str().unwrap().to_owned();
    let new_name = new_name();
    assert_eq!(started["newToken"], new_name.as_str(), "{started}");
    assert_eq!(started["context"], context.as_str(), "the linked context");
    let listed = app.invoke("list_rotations", json!({})).unwrap();
    assert_eq!(listed[0]["id"], rotation.as_str());
    // A second rotation of the same backend while this one is unfinished is refused.
    let twice = app.invoke("start_rotation", request).unwrap_err();
    assert_eq!(twice["code"], "conflict", "{twice}");

    let done = wait_until_stopped(app, &rotation);
    assert_eq!(done["status"], "completed", "{done}");
    let states: Vec<&str> = done["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, vec!["done"; 5], "{done}");
    assert_eq!(done["canRollBack"], false);
    assert!(
        !w.sim.token_exists("backend-token", "backend-token"),
        "the old token is gone"
    );
    assert!(w.sim.token_exists(&new_name, &new_name));
    assert_ne!(w.secret_token(), w.old_value);
    let operator = w.operator.as_ref().unwrap();
    let after = block_on(operator.wait_for(Duration::from_secs(30), connected));
    assert!(
        connected(&after),
        "the operator runs with the new token: {after:?}"
    );

    // The secret now names the token it holds: the list says which backend uses it.
    let tokens = app
        .invoke("list_tokens", json!({"service": "lab"}))
        .unwrap();
    let row = tokens["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == new_name.as_str())
        .unwrap_or_else(|| panic!("{tokens}"));
    assert_eq!(row["usedBy"], json!(["gpu"]), "{tokens}");
    assert_eq!(tokens["useNotes"], json!([]), "{tokens}");

    // The journal is on disk and finished: a restart finds nothing to resume.
    let journals = app.paths().data_dir.join("rotations");
    assert!(journals.join(format!("{rotation}.json")).exists());
    let restarted = start_app(
        &w.cluster,
        tempfile::TempDir::new_in(w.app.dir.path()).unwrap(),
    );
    std::fs::create_dir_all(restarted.paths().data_dir.join("rotations")).unwrap();
    for entry in std::fs::read_dir(&journals).unwrap() {
        let path = entry.unwrap().path();
        let to = restarted
            .paths()
            .data_dir
            .join("rotations")
            .join(path.file_name().unwrap());
        std::fs::copy(&path, to).unwrap();
    }
    assert_eq!(
        restarted.invoke("list_rotations", json!({})).unwrap(),
        json!([])
    );
    drop(restarted);
    w.stop();
}

#[test]
fn a_rotation_stopped_while_waiting_says_where_it_stands_and_a_restarted_app_rolls_it_back() {
    let mut w = world("ipc-rotation-fails");
    // The operator is gone: no heartbeat will follow the restart.
    w.operator.take();
    let started = w
        .app
        .invoke("start_rotation", request(w.namespace, 120))
        .unwrap();
    let id = started["id"].as_str().unwrap().to_owned();
    // It waits for a heartbeat that will not come: the user stops it.
    let waiting = Instant::now();
    loop {
        let view = w
            .app
            .invoke("rotation_status", json!({ "id": id }))
            .unwrap();
        let step = view["steps"].as_array().unwrap()[3].clone();
        if step["state"] == "running" {
            assert_eq!(step["step"], "wait_for_heartbeat");
            break;
        }
        assert!(waiting.elapsed() < Duration::from_secs(60), "{view}");
        std::thread::sleep(Duration::from_millis(100));
    }
    let stopped = w
        .app
        .invoke("cancel_operation", json!({"operation": {"kind": "rotation", "backend": {"service": "lab", "backend": "gpu"}}}))
        .unwrap();
    assert_eq!(stopped, json!(true));
    let failed = wait_until_stopped(&w.app, &id);
    assert_eq!(
        failed["failure"], "The operation was cancelled.",
        "{failed}"
    );
    assert_eq!(failed["status"], "failed", "{failed}");
    let state = |view: &Value, step: &str| {
        view["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["step"] == step)
            .map(|s| s["state"].as_str().unwrap().to_owned())
            .unwrap()
    };
    assert_eq!(state(&failed, "restart_operator"), "done", "{failed}");
    assert_eq!(state(&failed, "wait_for_heartbeat"), "failed", "{failed}");
    let words = failed["words"].as_str().unwrap();
    assert!(words.contains("has not come back online"), "{words}");
    assert_eq!(
        (failed["canRetry"].clone(), failed["canRollBack"].clone()),
        (json!(true), json!(true))
    );
    assert_ne!(
        w.secret_token(),
        w.old_value,
        "the new token is in the secret"
    );

    // The app quits and starts again: the failed rotation is listed, to retry or roll back.
    let dir = std::mem::replace(&mut w.app, TestApp::start()).dir;
    let app = start_app(&w.cluster, dir);
    let listed = app.invoke("list_rotations", json!({})).unwrap();
    assert_eq!(listed[0]["id"], id.as_str(), "{listed}");
    assert_eq!(listed[0]["status"], "interrupted", "{listed}");
    assert_eq!(listed[0]["session"], "lab");
    assert!(
        listed[0]["words"]
            .as_str()
            .unwrap()
            .contains("Retry it or roll it back"),
        "{listed}"
    );
    // Sessions come back from the keyring on a real start; here the test signs in again.
    app.invoke(
        "sign_in_with_token",
        json!({"service": w.service_id, "token": w.admin}),
    )
    .unwrap();
    let rolling = app
        .invoke("roll_back_rotation", json!({ "id": id }))
        .unwrap();
    assert_eq!(rolling["running"], true, "{rolling}");
    let rolled = wait_until_stopped(&app, &id);
    assert_eq!(rolled["status"], "rolled_back", "{rolled}");
    for step in ["restore_secret", "restart_again", "delete_new_token"] {
        assert_eq!(state(&rolled, step), "done", "{rolled}");
    }
    assert_eq!(
        w.secret_token(),
        w.old_value,
        "the old token is back in the secret"
    );
    assert!(
        !w.sim.token_exists(&new_name(), &new_name()),
        "the new token is deleted"
    );
    assert!(w.sim.token_exists("backend-token", "backend-token"));
    drop(app);
    w.stop();
}
