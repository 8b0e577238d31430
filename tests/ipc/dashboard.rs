//! The dashboard commands against osmo-sim: a development-mode service's backends appear in the
//! snapshot (online and offline), the detail shows fields, pools, uptime and history, "why is it
//! offline?" names the heartbeat, and notifications are switched off per backend.

use std::time::{Duration, Instant};

use osmo_sim::{Dialect, SeedBackend, SeedPool, SimConfig, Simulator};
use serde_json::{json, Value};

use crate::TestApp;

/// Every row the view carries, over its sessions.
fn rows(view: &Value) -> Vec<Value> {
    view["sessionRows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["rows"].as_array().cloned().unwrap_or_default())
        .collect()
}

fn wait_for(app: &TestApp, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let view = app.invoke("dashboard_snapshot", json!({})).unwrap();
        if ok(&view) {
            return view;
        }
        assert!(Instant::now() < deadline, "{what}: {view}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_signed_in_services_backends_show_with_detail_and_diagnosis() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let old = chrono::Utc::now().naive_utc() - chrono::Duration::hours(1);
    let sim = runtime
        .block_on(Simulator::start(
            SimConfig::new(Dialect::V6_4)
                .backend(SeedBackend::new("gpu-east"))
                .backend(SeedBackend::new("cpu-west").last_heartbeat(old))
                .pool(SeedPool {
                    name: "training".into(),
                    backend: "gpu-east".into(),
                    description: String::new(),
                    enable_maintenance: false,
                }),
        ))
        .unwrap();
    let app = TestApp::start();
    let empty = app.invoke("dashboard_snapshot", json!({})).unwrap();
    assert_eq!(empty["sessionRows"], json!([]), "{empty}");
    assert_eq!(empty["refreshSecs"], 10);
    assert_eq!(empty["notPolled"], json!([]));

    let id = app
        .invoke("add_service", json!({"name": "lab", "url": sim.base_url()}))
        .unwrap();
    let view = app.invoke("dashboard_snapshot", json!({})).unwrap();
    assert_eq!(view["notPolled"][0]["session"], "lab", "{view}");
    assert!(view["notPolled"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("Not signed in"));
    app.invoke(
        "sign_in_development",
        json!({"service": id.as_str().unwrap(), "user": "ana"}),
    )
    .unwrap();

    let view = wait_for(&app, "two rows", |v| rows(v).len() == 2);
    let listed = rows(&view);
    let gpu = listed.iter().find(|r| r["name"] == "gpu-east").unwrap();
    let cpu = listed.iter().find(|r| r["name"] == "cpu-west").unwrap();
    assert_eq!(gpu["session"], "lab");
    assert_eq!(gpu["online"], true, "{gpu}");
    assert_eq!(gpu["pools"], json!(["training"]));
    assert_eq!(gpu["notify"], true);
    assert!(gpu["offlineSince"].is_null());
    assert_eq!(cpu["online"], false, "{cpu}");
    assert!(cpu["offlineSince"].is_string(), "{cpu}");
    let session = &view["sessions"][0];
    assert_eq!(session["session"], "lab");
    assert_eq!(session["total"], 2);
    assert_eq!(session["online"], 1);
    assert_eq!(session["stale"], false);
    assert!(session["updatedAt"].is_string());
    assert_eq!(view["notPolled"], json!([]));

    app.invoke("refresh_dashboard", json!({})).unwrap();

    let detail = app
        .invoke(
            "backend_detail",
            json!({"backend": {"service": "lab", "backend": "gpu-east"}}),
        )
        .unwrap();
    let fields = detail["fields"].as_array().unwrap();
    assert!(
        fields
            .iter()
            .any(|f| f["name"] == "name" && f["value"] == "gpu-east"),
        "{detail}"
    );
    assert_eq!(detail["pools"], json!(["training"]));
    assert!(detail["configHistoryError"].is_null(), "{detail}");
    assert!(detail["link"].is_null());
    assert!(detail["cluster"].is_null());
    assert!(
        detail["uptime"]["lastDay"].as_f64().unwrap() > 0.99,
        "{detail}"
    );
    assert!(!detail["uptime"]["segments"].as_array().unwrap().is_empty());
    assert!(detail["uptime"]["observedSince"].is_string(), "{detail}");

    let diagnosis = app
        .invoke(
            "diagnose_backend",
            json!({"backend": {"service": "lab", "backend": "cpu-west"}}),
        )
        .unwrap();
    let checks = diagnosis["checks"].as_array().unwrap();
    assert_eq!(checks[0]["verdict"], "pass", "{diagnosis}");
    let first = diagnosis["firstFailure"].as_u64().unwrap() as usize;
    // Offline and not linked: linking its context comes first (the cluster checks need it).
    assert_eq!(checks[first]["kind"], "ContextLinked", "{diagnosis}");
    assert!(checks[first]["nextStep"].is_string(), "{diagnosis}");
    assert_eq!(diagnosis["linked"], false);
    assert_eq!(diagnosis["healthy"], false);

    let err = app
        .invoke(
            "backend_detail",
            json!({"backend": {"service": "nope", "backend": "gpu-east"}}),
        )
        .unwrap_err();
    assert!(err["code"].is_string(), "{err}");

    app.invoke(
        "set_backend_notifications",
        json!({"backend": {"service": "lab", "backend": "cpu-west"}, "on": false}),
    )
    .unwrap();
    let view = app.invoke("dashboard_snapshot", json!({})).unwrap();
    let cpu = rows(&view)
        .into_iter()
        .find(|r| r["name"] == "cpu-west")
        .unwrap();
    assert_eq!(cpu["notify"], false);
    let settings = std::fs::read_to_string(app.paths().settings_file()).unwrap();
    assert!(settings.contains("muted_notifications"), "{settings}");
    assert!(app.paths().data_dir.join("health.sqlite").is_file());
    // A reader that names the rows it has gets them again only once they change: the switch
    // back changes the tag, and the rows come with it. (Heartbeats have a tag of their own.)
    let known = json!([{
        "session": "lab",
        "tag": view["sessionRows"][0]["tag"],
        "beats": view["sessionRows"][0]["beats"],
    }]);
    let same = app
        .invoke("dashboard_snapshot", json!({ "known": known }))
        .unwrap();
    assert_eq!(same["sessionRows"][0]["rows"], Value::Null, "{same}");
    assert_eq!(same["sessionRows"][0]["tag"], view["sessionRows"][0]["tag"]);
    app.invoke(
        "set_backend_notifications",
        json!({"backend": {"service": "lab", "backend": "cpu-west"}, "on": true}),
    )
    .unwrap();
    let changed = app
        .invoke("dashboard_snapshot", json!({ "known": known }))
        .unwrap();
    assert_ne!(
        changed["sessionRows"][0]["tag"],
        view["sessionRows"][0]["tag"]
    );
    let cpu = rows(&changed)
        .into_iter()
        .find(|r| r["name"] == "cpu-west")
        .unwrap();
    assert_eq!(cpu["notify"], true, "{changed}");

    app.invoke("sign_out", json!({"service": id, "keepListed": false}))
        .unwrap();
    let view = app.invoke("dashboard_snapshot", json!({})).unwrap();
    assert_eq!(view["sessionRows"], json!([]), "{view}");
    runtime.block_on(sim.shutdown());
}

#[test]
fn the_sandboxs_services_show_on_the_dashboard() {
    let app = TestApp::start();
    let view = app.invoke("start_sandbox", json!({})).unwrap();
    assert_eq!(view["state"], "running", "{view}");
    let view = wait_for(&app, "both sandbox sessions with rows", |v| {
        let sessions = v["sessions"].as_array().unwrap();
        sessions.len() == 2
            && sessions
                .iter()
                .all(|s| s["updatedAt"].is_string() && s["total"].as_u64() > Some(0))
    });
    let names: Vec<&str> = view["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["session"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["sandbox-6.0", "sandbox-6.4"], "{view}");
    let dgx = rows(&view)
        .into_iter()
        .find(|r| r["name"] == "dgx-lab")
        .unwrap();
    assert_eq!(dgx["online"], false, "{dgx}");
    assert!(dgx["offlineSince"].is_string(), "{dgx}");
    app.invoke(
        "update_settings",
        json!({"settings": {"theme": "system", "dashboardRefreshSecs": 30}}),
    )
    .unwrap();
    let view = app.invoke("dashboard_snapshot", json!({})).unwrap();
    assert_eq!(view["refreshSecs"], 30);
    app.invoke("stop_sandbox", json!({})).unwrap();
}

#[test]
fn a_linked_backend_shows_its_cluster_side_and_the_cluster_checks_run() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sim = runtime
        .block_on(Simulator::start(
            SimConfig::new(Dialect::V6_4).backend(SeedBackend::new("gpu-east")),
        ))
        .unwrap();
    let cluster = tauri::async_runtime::block_on(osmo_admin_test_cluster::TestCluster::start())
        .unwrap_or_else(|e| panic!("starting the test cluster: {e}"));
    let kube_env = osmo_admin_app::KubeEnv {
        kubeconfig: Some(std::ffi::OsString::from(cluster.kubeconfig_path())),
        home: None,
    };
    let app = TestApp::start_with(tempfile::tempdir().unwrap(), kube_env);
    let contexts = app.invoke("list_contexts", json!({})).unwrap();
    let context = contexts["contexts"][0]["name"].as_str().unwrap().to_owned();
    let id = app
        .invoke("add_service", json!({"name": "lab", "url": sim.base_url()}))
        .unwrap();
    app.invoke(
        "sign_in_development",
        json!({"service": id.as_str().unwrap(), "user": "ana"}),
    )
    .unwrap();
    app.invoke(
        "link_backend",
        json!({"backend": {"service": "lab", "backend": "gpu-east"}, "context": context}),
    )
    .unwrap();

    let detail = app
        .invoke(
            "backend_detail",
            json!({"backend": {"service": "lab", "backend": "gpu-east"}}),
        )
        .unwrap();
    assert_eq!(detail["link"]["context"], context.as_str(), "{detail}");
    assert!(detail["clusterError"].is_null(), "{detail}");
    let side = &detail["cluster"];
    assert_eq!(side["operatorNamespace"]["name"], "osmo-operator", "{side}");
    assert_eq!(side["operatorNamespace"]["present"], false, "{side}");

    let diagnosis = app
        .invoke(
            "diagnose_backend",
            json!({"backend": {"service": "lab", "backend": "gpu-east"}}),
        )
        .unwrap();
    assert_eq!(diagnosis["linked"], true);
    let checks = diagnosis["checks"].as_array().unwrap();
    let reachable = checks
        .iter()
        .find(|c| c["kind"] == "ClusterReachable")
        .unwrap();
    assert_eq!(reachable["verdict"], "pass", "{diagnosis}");
    let first = diagnosis["firstFailure"].as_u64().unwrap() as usize;
    assert_eq!(checks[first]["kind"], "Namespaces", "{diagnosis}");
    drop(app);
    tauri::async_runtime::block_on(cluster.stop()).unwrap();
    runtime.block_on(sim.shutdown());
}

#[test]
fn a_corrupt_uptime_history_is_told_on_the_dashboard() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("health.sqlite"), "not a database\n".repeat(300)).unwrap();
    let app = TestApp::start_in(dir);
    let view = app.invoke("dashboard_snapshot", json!({})).unwrap();
    let notice = view["historyNotice"].as_str().unwrap_or_default();
    assert!(notice.contains("could not be read"), "{view}");
    assert!(notice.contains("health.sqlite.corrupt-"), "{view}");
    assert_eq!(view["historyError"], Value::Null);
}
