use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::TestApp;

/// Polls `command` until `ok` holds of its answer (60 s at most).
fn wait_for(app: &TestApp, command: &str, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let view = app.invoke(command, json!({})).unwrap();
        if ok(&view) {
            return view;
        }
        assert!(Instant::now() < deadline, "{what}: {view}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_sandbox_is_off_until_started_then_reports_its_world_and_stops() {
    let app = TestApp::start();
    assert_eq!(
        app.invoke("sandbox_status", json!({})).unwrap()["state"],
        "off"
    );

    let view = app.invoke("start_sandbox", json!({})).unwrap();
    assert_eq!(view["state"], "running", "{view}");
    let services = view["services"].as_array().unwrap();
    let versions: Vec<_> = services
        .iter()
        .map(|s| s["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["6.0.0", "6.4.0"]);
    let dgx = services[0]["backends"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == "dgx-lab")
        .unwrap();
    assert_eq!(dgx["online"], false);
    // The local cluster starts in the background; dgx-lab's operator will run there (failing
    // with its expired token), and waits for it meanwhile.
    assert_eq!(view["clusterState"], "starting", "{view}");
    assert!(view["clusterNote"].as_str().unwrap().contains("starting"));
    assert_eq!(dgx["operator"], "simulated", "{dgx}");
    assert_eq!(
        dgx["operatorStatus"], "starting (waiting for the local cluster)",
        "{dgx}"
    );
    let token = &services[1]["tokens"][0];
    assert!(token["expiresAt"].as_str().unwrap().len() == 10, "{token}");
    assert!(
        !view.to_string().contains("\"value\""),
        "no token value crosses IPC: {view}"
    );

    // Stopped while its cluster may still start.
    let stopped = app.invoke("stop_sandbox", json!({})).unwrap();
    assert_eq!(stopped["state"], "off");
    assert_eq!(stopped["clusterState"], "absent");
}

/// While the sandbox runs, its cluster's context and the links of the backends whose operator
/// runs there are the app's (for Tokens, Scheduler and Setup), and the Tokens list reads which
/// tokens gpu-east and dgx-lab use from their Secrets; none of it is saved, and stopping takes it
/// back.
#[test]
fn the_sandbox_lends_its_cluster_and_links_for_the_run_only() {
    let app = TestApp::start();
    app.invoke("start_sandbox", json!({})).unwrap();
    // Once its cluster has started in the background, the sandbox lends it.
    let view = wait_for(&app, "sandbox_status", "the local cluster", |v| {
        v["clusterState"] != "starting"
    });
    assert!(
        view["clusterKubeconfig"].is_string(),
        "the local cluster runs in tests: {view}"
    );
    let contexts = wait_for(&app, "list_contexts", "the sandbox's context", |c| {
        c["contexts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "osmo-sandbox")
    });
    let links: Vec<_> = contexts["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            format!(
                "{}/{} -> {} in {}",
                l["service"], l["backend"], l["context"], l["operatorNamespace"]
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            r#""sandbox-6.0"/"gpu-east" -> "osmo-sandbox" in "osmo-operator""#,
            r#""sandbox-6.0"/"dgx-lab" -> "osmo-sandbox" in "dgx-lab-operator""#,
            r#""sandbox-6.4"/"gpu-east" -> "osmo-sandbox" in "osmo-operator-v64""#,
            r#""sandbox-6.4"/"dgx-lab" -> "osmo-sandbox" in "dgx-lab-operator-v64""#,
        ]
    );

    for (session, token, backend) in [
        ("sandbox-6.0", "gpu-east-token", "gpu-east"),
        ("sandbox-6.4", "gpu-east-token", "gpu-east"),
        ("sandbox-6.4", "dgx-lab-token", "dgx-lab"),
    ] {
        let tokens = app
            .invoke("list_tokens", json!({"service": session}))
            .unwrap();
        assert_eq!(tokens["useNotes"], json!([]), "{tokens}");
        let row = tokens["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == token)
            .unwrap_or_else(|| panic!("{token} listed: {tokens}"));
        assert_eq!(row["usedBy"], json!([backend]), "{row}");
    }
    let saved = std::fs::read_to_string(app.paths().settings_file()).unwrap_or_default();
    assert!(
        !saved.contains("osmo-sandbox"),
        "nothing lent is saved: {saved}"
    );

    app.invoke("stop_sandbox", json!({})).unwrap();
    let contexts = app.invoke("list_contexts", json!({})).unwrap();
    assert_eq!(contexts["links"], json!([]), "{contexts}");
    assert!(!contexts.to_string().contains("osmo-sandbox"), "{contexts}");
}
