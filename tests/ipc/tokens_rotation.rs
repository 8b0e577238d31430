//! A rotation through IPC against the real API server: osmo-sim (auth required) with backend
//! `gpu` and its token, the token Secret and the chart's listener Deployment in a namespace, and
//! a simulated operator that reads the Secret, exchanges the token and heartbeats. The app starts
//! the rotation, it runs in the background, `rotation_status` follows it to the end; the old
//! token is gone, the new one is in use, and the Tokens list says the backend uses it.

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

const NAMESPACE: &str = "ipc-rotation";

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

#[test]
fn a_rotation_through_ipc_replaces_the_backends_token() {
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
    block_on(cluster.create_namespace(NAMESPACE)).unwrap();
    block_on(cluster.create_secret(NAMESPACE, "osmo-operator-token", &[("token", &old_value)]))
        .unwrap();
    let secret_ref = SecretRef {
        namespace: NAMESPACE.into(),
        ..SecretRef::default()
    };
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), NAMESPACE);
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

    let kube_env = osmo_backend_admin::state::KubeEnv {
        kubeconfig: Some(std::ffi::OsString::from(cluster.kubeconfig_path())),
        home: None,
    };
    let app = TestApp::start_with(tempfile::tempdir().unwrap(), kube_env);
    let contexts = app.invoke("list_contexts", json!({})).unwrap();
    let context = contexts["contexts"][0]["name"].as_str().unwrap().to_owned();
    let id = app
        .invoke("add_service", json!({"name": "lab", "url": sim.base_url()}))
        .unwrap();
    app.invoke("sign_in_with_token", json!({"id": id, "token": admin}))
        .unwrap();
    app.invoke(
        "link_backend",
        json!({"session": "lab", "backend": "gpu", "context": context, "operatorNamespace": NAMESPACE}),
    )
    .unwrap();

    // Before: the secret was not written by the app, so only the name tells nothing; the form
    // names the old token itself.
    let expires = (Utc::now().date_naive() + chrono::Duration::days(30)).to_string();
    let request = json!({"request": {
        "session": "lab", "backend": "gpu", "context": null,
        "secretNamespace": NAMESPACE, "secretName": "osmo-operator-token", "secretKey": "token",
        "oldOwner": null, "oldName": "backend-token", "newOwner": null, "newName": null,
        "expiresAt": expires, "heartbeatTimeoutSecs": 60, "deleteOld": true, "pollIntervalSecs": 1
    }});
    let started = app.invoke("start_rotation", request.clone()).unwrap();
    let rotation = started["id"].as_str().unwrap().to_owned();
    let new_name = format!("backend-token-{}", expires.replace('-', ""));
    assert_eq!(started["newToken"], new_name.as_str(), "{started}");
    assert_eq!(started["context"], context.as_str(), "the linked context");
    let listed = app.invoke("list_rotations", json!({})).unwrap();
    assert_eq!(listed[0]["id"], rotation.as_str());
    // A second rotation of the same backend while this one is unfinished is refused.
    let twice = app.invoke("start_rotation", request).unwrap_err();
    assert_eq!(twice["code"], "conflict", "{twice}");

    let done = wait_until_stopped(&app, &rotation);
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
        !sim.token_exists("backend-token", "backend-token"),
        "the old token is gone"
    );
    assert!(sim.token_exists(&new_name, &new_name));
    let after = block_on(operator.wait_for(Duration::from_secs(30), connected));
    assert!(
        connected(&after),
        "the operator runs with the new token: {after:?}"
    );

    // The secret now names the token it holds: the list says which backend uses it.
    let tokens = app
        .invoke("list_tokens", json!({"session": "lab"}))
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
    let dir = app.dir;
    let restarted = TestApp::start_in(dir);
    assert_eq!(
        restarted.invoke("list_rotations", json!({})).unwrap(),
        json!([])
    );
    drop(restarted);
    drop(operator);
    block_on(cluster.stop()).unwrap();
    block_on(sim.shutdown());
}
