use serde_json::json;

use crate::TestApp;

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
    // Its operator runs in the local cluster, failing with its expired token.
    assert_eq!(dgx["operator"], "simulated", "{dgx}");
    let token = &services[1]["tokens"][0];
    assert!(token["expiresAt"].as_str().unwrap().len() == 10, "{token}");
    assert!(
        !view.to_string().contains("\"value\""),
        "no token value crosses IPC: {view}"
    );

    assert_eq!(
        app.invoke("stop_sandbox", json!({})).unwrap()["state"],
        "off"
    );
}

/// While the sandbox runs, its cluster's context and the links of the backends whose operator
/// runs there are the app's (for Tokens, Scheduler and Setup), and the Tokens list reads which
/// tokens gpu-east and dgx-lab use from their Secrets; none of it is saved, and stopping takes it
/// back.
#[test]
fn the_sandbox_lends_its_cluster_and_links_for_the_run_only() {
    let app = TestApp::start();
    let view = app.invoke("start_sandbox", json!({})).unwrap();
    assert!(
        view["clusterKubeconfig"].is_string(),
        "the local cluster runs in tests: {view}"
    );
    let contexts = app.invoke("list_contexts", json!({})).unwrap();
    assert!(
        contexts["contexts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "osmo-sandbox"),
        "{contexts}"
    );
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
